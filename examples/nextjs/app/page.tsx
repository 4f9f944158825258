import Link from 'next/link'

export default function Home() {
  return (
    <main>
      <section className="card">
        <h1>sessionkit + Next.js</h1>
        <p>
          The <Link href="/dashboard">dashboard</Link> is rendered on the server with the signed-in user; signed out,
          the middleware sends you to <Link href="/sign-in">sign in</Link>.
        </p>
      </section>
    </main>
  )
}
