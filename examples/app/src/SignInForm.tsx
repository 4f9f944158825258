import { useId, useState, type FormEvent, type Ref } from 'react'
import { useSessionClient, useSessionSelector } from '../../../src/react'
import { DEMO_PASSWORD, DEMO_USERS } from '../../../server/demoUsers'

interface SignInFormProps {
  title: string
  onSignedIn?: () => void
  onCancel?: () => void
  /** The Email field, for the app to move focus to (after "Sign in again"). */
  fieldRef?: Ref<HTMLInputElement>
}

/** Why the last session ended, as the sign-in card says it (the OIDC card too). */
export const SIGN_OUT_REASONS: Record<string, string> = {
  inactivity: 'Your last session ended after a period of inactivity.',
  idle: 'Your last session ended because you were away.',
  'max-lifetime': 'Your last session reached its maximum length.',
  revoked: 'Your last session was ended on the server or in another tab.',
  'signed-out': 'You signed out.',
}

const selectSignOutReason = (state: { signOutReason: string | null }) => state.signOutReason

function describeError(error: unknown): string {
  const code = (error as { code?: string } | null)?.code
  if (code === 'invalid_credentials') return 'The email or password is incorrect.'
  if (code === 'rate_limited') return 'Too many attempts: wait a minute, then try again.'
  if (code === 'network_error' || code === 'timeout') return 'The server cannot be reached: check your connection and try again.'
  return error instanceof Error ? error.message : String(error)
}

/** Email + password against the reference server, with the demo users one click away. */
export function SignInForm({ title, onSignedIn, onCancel, fieldRef }: SignInFormProps) {
  const client = useSessionClient()
  const signOutReason = useSessionSelector(selectSignOutReason)
  const [identifier, setIdentifier] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [pending, setPending] = useState(false)
  const headingId = useId()
  const errorId = useId()

  async function submit(event: FormEvent) {
    event.preventDefault()
    setPending(true)
    setError(null)
    try {
      await client.signIn({ identifier, password })
      setPassword('')
      onSignedIn?.()
    } catch (e) {
      setError(describeError(e))
    } finally {
      setPending(false)
    }
  }

  return (
    <section className="card" aria-labelledby={headingId}>
      <h1 id={headingId}>{title}</h1>
      {!onCancel && signOutReason ? <p className="muted">{SIGN_OUT_REASONS[signOutReason] ?? null}</p> : null}
      <form onSubmit={submit} aria-describedby={error ? errorId : undefined} noValidate>
        <label>
          Email
          <input
            ref={fieldRef}
            type="email"
            name="identifier"
            autoComplete="username"
            required
            value={identifier}
            onChange={(e) => setIdentifier(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error ? (
          <p id={errorId} className="error-text" role="alert">
            {error}
          </p>
        ) : null}
        <div className="actions">
          {onCancel ? (
            <button type="button" className="secondary" onClick={onCancel}>
              Cancel
            </button>
          ) : null}
          <button type="submit" disabled={pending}>
            {pending ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
      </form>
      <h2 className="small-heading">Demo users</h2>
      <p className="muted">
        Every demo user's password is <code>{DEMO_PASSWORD}</code>.
      </p>
      <ul className="demo-users">
        {DEMO_USERS.map((user) => (
          <li key={user.id}>
            <span>
              {user.firstName} {user.lastName} <span className="muted">{user.email}</span>
            </span>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setIdentifier(user.email)
                setPassword(DEMO_PASSWORD)
              }}
            >
              Use {user.firstName}
            </button>
          </li>
        ))}
      </ul>
    </section>
  )
}
