import { useId, useState } from 'react'
import { useSessionSelector, useSignIn } from '../../../src/react'
import { oidcConfig } from './oidc'
import { SIGN_OUT_REASONS } from './SignInForm'

const selectSignOutReason = (state: { signOutReason: string | null }) => state.signOutReason

/** One button: the page leaves for the provider's sign-in, and comes back signed in. */
export function OidcSignIn() {
  const providerName = oidcConfig?.providerName ?? 'your identity provider'
  const { signInWithRedirect } = useSignIn()
  const signOutReason = useSessionSelector(selectSignOutReason)
  const [error, setError] = useState<string | null>(null)
  const [pending, setPending] = useState(false)
  const headingId = useId()

  async function signIn() {
    setPending(true)
    setError(null)
    try {
      await signInWithRedirect()
    } catch (e) {
      // Only when the page could not leave, e.g. the provider's discovery document did not load.
      setError(e instanceof Error ? e.message : String(e))
      setPending(false)
    }
  }

  return (
    <section className="card" aria-labelledby={headingId}>
      <h1 id={headingId}>Sign in</h1>
      {signOutReason ? <p className="muted">{SIGN_OUT_REASONS[signOutReason] ?? null}</p> : null}
      <p className="muted">You sign in on the provider's page and come back here. The demo's test provider accepts any name and password.</p>
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
      <div className="actions">
        <button type="button" onClick={() => void signIn()} disabled={pending}>
          {pending ? 'Opening the sign-in page…' : `Sign in with ${providerName}`}
        </button>
      </div>
    </section>
  )
}
