'use client'
import { useRouter } from 'next/navigation'
import { useState, type FormEvent } from 'react'
import { useSessionSelector, useSignIn } from 'sessionkit/react'

/** Why the last session ended, said above the form. */
const SIGN_OUT_REASONS: Record<string, string> = {
  inactivity: 'Your last session ended after a period of inactivity.',
  idle: 'Your last session ended because you were away.',
  'max-lifetime': 'Your last session reached its maximum length.',
  revoked: 'Your last session was ended elsewhere.',
  replaced: 'You signed in on another device.',
  'signed-out': 'You signed out.',
}

function describeError(error: unknown): string {
  const code = (error as { code?: string } | null)?.code
  if (code === 'invalid_credentials') return 'The email or password is incorrect.'
  if (code === 'rate_limited') return 'Too many attempts: wait a minute, then try again.'
  if (code === 'network_error' || code === 'timeout') return 'The server cannot be reached: check your connection and try again.'
  return error instanceof Error ? error.message : String(error)
}

/** The reference server's password sign-in (client.signIn), then on to `next`. */
export function SignInForm({ next }: { next: string }) {
  const router = useRouter()
  const { signIn } = useSignIn()
  const signOutReason = useSessionSelector((state) => state.signOutReason)
  const [identifier, setIdentifier] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [pending, setPending] = useState(false)

  async function submit(event: FormEvent) {
    event.preventDefault()
    setPending(true)
    setError(null)
    try {
      await signIn({ identifier, password })
      // The cookie is set: the next page renders signed in on the server (a dynamic page is fetched anew).
      router.push(next)
    } catch (e) {
      setError(describeError(e))
      setPending(false)
    }
  }

  return (
    <section className="card" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in</h1>
      {signOutReason ? <p className="muted">{SIGN_OUT_REASONS[signOutReason] ?? null}</p> : null}
      <form onSubmit={submit} noValidate>
        <label>
          Email
          <input type="email" name="identifier" autoComplete="username" required value={identifier} onChange={(e) => setIdentifier(e.target.value)} />
        </label>
        <label>
          Password
          <input type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="muted">Demo: ada@example.com, password “password”.</p>
    </section>
  )
}
