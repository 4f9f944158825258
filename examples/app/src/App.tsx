import { useEffect, useRef, useState } from 'react'
import { ImpersonationBanner, InactivityWarning, ReverificationDialog, useAuth, useSessionClient, useSessionSelector, useSignIn, useUser } from '../../../src/react'
import { Accounts } from './Accounts'
import { ActAs } from './ActAs'
import { Dashboard } from './Dashboard'
import { DraftNote } from './DraftNote'
import { DevicesCard, SignOutEverywhereButton, SignOutEverywhereNotice } from './Devices'
import { oidcConfig } from './oidc'
import { OidcDashboard } from './OidcDashboard'
import { OidcSignIn } from './OidcSignIn'
import { SessionPanel } from './SessionPanel'
import { SignInForm } from './SignInForm'

export function App() {
  const auth = useAuth()
  // An OpenID provider signs in by redirect: one button instead of the password form.
  const { canSignInWithRedirect } = useSignIn()
  const [addingAccount, setAddingAccount] = useState(false)
  // "Sign in again" asks for the sign-in form's first field; an effect answers,
  // after the commit that closed the notice: while it shows, the page is inert
  // and cannot take focus (else the library leaves it on <main>).
  const [signInAgain, setSignInAgain] = useState(false)
  const signInField = useRef<HTMLInputElement>(null)
  useEffect(() => {
    if (!signInAgain) return
    setSignInAgain(false)
    signInField.current?.focus()
  }, [signInAgain])
  // The query cache follows the session through <SessionQueryBoundary> (main.tsx): nothing to clear here.

  return (
    <>
      {/* While support acts as a user: always on top, never dismissible. */}
      <ImpersonationBanner />
      <header className="topbar">
        <span className="brand">sessionkit demo</span>
        {auth.isSignedIn ? <UserMenu /> : null}
      </header>
      {/* Outside the signed-in part: it must outlive the session to say why it ended. */}
      <InactivityWarning onSignInAgain={() => setSignInAgain(true)} />
      {/* Asks for the password when an action wrapped with useReverification needs a recent one. */}
      <ReverificationDialog />
      <main className="page">
        <div className="content">
          <ConnectionNotice />
          <SignOutEverywhereNotice />
          {!auth.isLoaded ? (
            <LoadingCard />
          ) : auth.isSignedIn ? (
            <>
              {/* Built with --mode oidc: the provider's userinfo is the API (no /api/me, no reverification). */}
              {oidcConfig ? <OidcDashboard issuer={oidcConfig.issuer} /> : <Dashboard />}
              <ActAs />
              <DraftNote key={auth.userId} />
              <Accounts onAddAccount={() => setAddingAccount(true)} />
              <DevicesCard />
              {addingAccount ? (
                <SignInForm
                  title="Add an account"
                  onCancel={() => setAddingAccount(false)}
                  onSignedIn={() => setAddingAccount(false)}
                />
              ) : null}
            </>
          ) : canSignInWithRedirect ? (
            <OidcSignIn />
          ) : (
            <SignInForm title="Sign in" fieldRef={signInField} />
          )}
        </div>
        <SessionPanel />
      </main>
    </>
  )
}

function UserMenu() {
  const { user } = useUser()
  const { signOut } = useAuth()
  return (
    <div className="user-menu">
      <span>{user ? `${user.firstName ?? ''} ${user.lastName ?? ''}`.trim() || user.identifier : ''}</span>
      <button type="button" className="secondary" onClick={() => void signOut()}>
        Sign out
      </button>
      <SignOutEverywhereButton />
    </div>
  )
}

const selectLoadError = (state: { status: string; error: { message: string } | null }) =>
  state.status === 'loading' ? (state.error?.message ?? null) : null

/** Before the first answer: a spinner, or what went wrong and a way to try again. */
function LoadingCard() {
  const client = useSessionClient()
  const error = useSessionSelector(selectLoadError)
  if (!error) {
    return (
      <section className="card" aria-busy="true">
        <p role="status">Loading your session…</p>
      </section>
    )
  }
  return (
    <section className="card" role="alert">
      <h1>Could not load your session</h1>
      <p className="error-text">{error}</p>
      <button type="button" onClick={() => void client.load().catch(() => undefined)}>
        Try again
      </button>
    </section>
  )
}

const selectConnectivity = (state: { connectivity: string }) => state.connectivity

/** Offline is not signed out: say so, and that the session is kept. */
function ConnectionNotice() {
  const connectivity = useSessionSelector(selectConnectivity)
  if (connectivity === 'online') return null
  return (
    <p className="notice" role="status">
      {connectivity === 'offline'
        ? 'The server cannot be reached. Your session is kept; sessionkit retries in the background.'
        : 'The server is answering with errors. Your session is kept; sessionkit retries in the background.'}
    </p>
  )
}
