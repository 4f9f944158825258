import { redirect } from 'next/navigation'
import { safeNext } from '../../lib/config'
import { readSnapshot } from '../../lib/session'
import { SignInForm } from './SignInForm'

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = safeNext((await searchParams).next)
  // Already signed in: nothing to do here.
  if (await readSnapshot()) redirect(next)
  return (
    <main>
      <SignInForm next={next} />
    </main>
  )
}
