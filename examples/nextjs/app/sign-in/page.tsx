import { redirect } from 'next/navigation'
import { isSignedIn } from 'sessionkit/server'
import { safeNext } from '../../lib/config'
import { readSnapshot } from '../../lib/session'
import { SignInForm } from './SignInForm'

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = safeNext((await searchParams).next)
  // Already signed in: nothing to do here. (A snapshot may list accounts and still be signed out.)
  const snapshot = await readSnapshot()
  if (snapshot !== undefined && isSignedIn(snapshot)) redirect(next)
  return (
    <main>
      <SignInForm next={next} />
    </main>
  )
}
