'use client'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useState } from 'react'
import { SignedIn, SignedOut, useAuth, useSessionExpiry, useUser } from 'sessionkit/react'

type Hello = { ok: true; message: string } | { ok: false; message: string }

/** The hooks on the client: who is signed in, the session's phase, a call to the app's own API with a token. */
export function DashboardClient() {
  const router = useRouter()
  const auth = useAuth()
  const { user } = useUser()
  const { phase } = useSessionExpiry()
  const [hello, setHello] = useState<Hello | null>(null)

  async function callHello() {
    const token = await auth.getToken()
    const response = await fetch('/api/hello', { headers: token ? { authorization: `Bearer ${token}` } : {} })
    const body = (await response.json()) as { message?: string; error?: { message: string } }
    setHello(response.ok ? { ok: true, message: body.message ?? '' } : { ok: false, message: `${response.status}: ${body.error?.message ?? ''}` })
  }

  async function signOut() {
    await auth.signOut()
    router.push('/sign-in')
  }

  // Only without a snapshot (the session server could not be asked while rendering): the browser asks.
  if (!auth.isLoaded) {
    return (
      <section className="card" aria-busy="true">
        <p>Loading session…</p>
      </section>
    )
  }

  return (
    <>
      <SignedIn>
        <section className="card" aria-label="Session">
          <p>
            Signed in as <strong>{user?.identifier}</strong> · session <span data-testid="phase">{phase}</span>
          </p>
          <button type="button" onClick={() => void callHello()}>
            Call /api/hello
          </button>
          <button type="button" onClick={() => void signOut()}>
            Sign out
          </button>
          {hello ? (
            <p data-testid="hello" className={hello.ok ? undefined : 'error'}>
              {hello.message}
            </p>
          ) : null}
        </section>
      </SignedIn>
      <SignedOut>
        <section className="card">
          <p>
            You are signed out. <Link href="/sign-in">Sign in</Link>
          </p>
        </section>
      </SignedOut>
    </>
  )
}
