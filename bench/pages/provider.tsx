// Page (d): sessionkit as an app mounts it: the full SessionProvider (owning
// its client: memory adapter, signed in, system clock, cross-tab on as in any
// browser) with the ready-made InactivityWarning (closed) and one useAuth
// consumer. The server inactivity timeout is 15 minutes, as react-idle-timer's
// page uses; everything else is left at its default.
import { createRoot } from 'react-dom/client'
import { useEffect } from 'react'
import { createMemoryAdapter } from '../../src/adapters/memory'
import { InactivityWarning, SessionProvider, useAuth } from '../../src/react'

const TIMEOUT_MS = 15 * 60_000
const adapter = createMemoryAdapter({
  policy: { inactivityTimeoutMs: TIMEOUT_MS, maxLifetimeMs: 12 * 60 * 60_000 },
  signedInAs: 'ada@example.com',
})

let commits = 0
let signedIn = false

function App() {
  const { isSignedIn, userId } = useAuth()
  useEffect(() => {
    commits++
    if (isSignedIn && !signedIn) {
      signedIn = true
      // The harness starts once the page says it is ready: signed in.
      ;(window as unknown as { __pageInfo: () => unknown }).__pageInfo = () => ({ commits, signedIn, calls: adapter.calls })
    }
  })
  return <main>{isSignedIn ? `Signed in as ${userId}` : 'Loading…'}</main>
}

const root = document.createElement('div')
document.body.append(root)
createRoot(root).render(
  <SessionProvider adapter={adapter}>
    <App />
    <InactivityWarning />
  </SessionProvider>,
)
