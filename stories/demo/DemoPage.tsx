// A small app page for stories: who is signed in, the connection, some work
// to lose, and a way back in. Built only from the public hooks.
import type { ReactNode } from 'react'
import { DEMO_PASSWORD } from '../../src/adapters/memory'
import { SignedIn, SignedOut, useSessionClient, useSessionSelector, useUser } from '../../src/react'
import './demo.css'

/** "offline: retrying" while the server cannot be reached; nothing when online. */
export function ConnectivityBanner() {
  const connectivity = useSessionSelector((state) => state.connectivity)
  if (connectivity === 'online') return null
  return (
    <p className="demo-banner" role="status">
      {connectivity === 'offline' ? 'You are offline' : 'The server is having trouble'}: your session is kept and sessionkit keeps retrying.
    </p>
  )
}

/** A button that signs Ada back in with the demo password. */
export function SignInAsAda() {
  const client = useSessionClient()
  return (
    <button type="button" className="demo-button" onClick={() => void client.signIn({ identifier: 'ada@example.com', password: DEMO_PASSWORD })}>
      Sign in as Ada
    </button>
  )
}

function Greeting() {
  const { user } = useUser()
  return <span>Signed in as {user ? `${user.firstName} ${user.lastName}` : '…'}</span>
}

export function DemoPage({ title = 'Invoices', children }: { title?: string; children?: ReactNode }) {
  return (
    <div className="demo-page">
      <div className="demo-header">
        <strong>Acme</strong>
        <SignedIn>
          <Greeting />
        </SignedIn>
        <SignedOut>
          <span>Signed out</span> <SignInAsAda />
        </SignedOut>
      </div>
      <ConnectivityBanner />
      <h1 className="demo-title">{title}</h1>
      <p>Draft invoice #1042 for Globex: three lines, unsaved.</p>
      {children}
    </div>
  )
}
