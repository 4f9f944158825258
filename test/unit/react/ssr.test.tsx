// @vitest-environment node
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { createMemoryAdapter } from '../../../src/adapters/memory'
import { createSessionClient } from '../../../src/core/client'
import { createVirtualClock } from '../../../src/core/virtualClock'
import { InactivityWarning, Protect, SessionProvider, SignedIn, SignedOut, useAuth, useSessionExpiry, useUser } from '../../../src/react'

function Page() {
  const auth = useAuth()
  const { phase } = useSessionExpiry()
  return (
    <main>
      <p>{auth.isLoaded ? 'Loaded' : 'Loading'}</p>
      <p>{`Phase ${phase}`}</p>
      <UserName />
      <SignedIn>Dashboard</SignedIn>
      <SignedOut>Please sign in</SignedOut>
      <Protect role="org:admin">Admin panel</Protect>
      <InactivityWarning />
    </main>
  )
}

function UserName() {
  const { user } = useUser()
  return <p>{user ? `Hello ${user.firstName}` : 'Nobody'}</p>
}

/** What the server read from GET /v1/client for this request: the memory adapter's real answer. */
async function snapshotOf(signedInAs: string | string[]) {
  const clock = createVirtualClock()
  const adapter = createMemoryAdapter({ clock, signedInAs })
  const answer = await adapter.getClient()
  adapter.resetCalls()
  return { clock, adapter, snapshot: { client: answer.data, serverNow: answer.serverNow } }
}

describe('given a server render (react-dom/server, no window)', () => {
  it('runs where window does not exist', () => {
    expect(typeof window).toBe('undefined')
    expect(typeof document).toBe('undefined')
  })

  it('renders the loading state from a provider that creates its own client', () => {
    const clock = createVirtualClock()
    const adapter = createMemoryAdapter({ clock, signedInAs: 'ada@example.com' })
    const html = renderToString(
      <SessionProvider adapter={adapter} clock={clock}>
        <Page />
      </SessionProvider>,
    )
    expect(html).toContain('Loading')
    expect(html).toContain('Phase active')
    expect(html).not.toContain('Dashboard')
    expect(html).not.toContain('Please sign in')
    expect(html).not.toContain('Admin panel')
    // The warning's dialog is there, closed and empty.
    expect(html).toMatch(/<dialog[^>]*role="alertdialog"[^>]*><\/dialog>/)
    expect(html).not.toMatch(/<dialog[^>]* open/)
  })

  it('renders the loading state even for a client that has already loaded, so hydration matches', async () => {
    const clock = createVirtualClock()
    const adapter = createMemoryAdapter({ clock, signedInAs: 'ada@example.com' })
    const client = createSessionClient({ adapter, clock })
    await client.load()
    expect(client.getState().status).toBe('signed-in')
    const html = renderToString(
      <SessionProvider client={client}>
        <Page />
      </SessionProvider>,
    )
    expect(html).toContain('Loading')
    client.destroy()
  })

  it('renders signed in from initialClient: the user\'s name, no loading text, and nothing asked of the server', async () => {
    const { clock, adapter, snapshot } = await snapshotOf('ada@example.com')
    const html = renderToString(
      <SessionProvider adapter={adapter} clock={clock} initialClient={snapshot}>
        <Page />
      </SessionProvider>,
    )
    expect(html).toContain('Hello Ada')
    expect(html).toContain('Dashboard')
    expect(html).toContain('Loaded')
    expect(html).not.toContain('Loading')
    expect(html).not.toContain('Please sign in')
    // A server render only reads the snapshot: no call, no timer left behind.
    expect(adapter.calls.getClient).toBe(0)
    expect(clock.pendingTimers()).toBe(0)
    // The warning stays closed until the browser takes over.
    expect(html).not.toMatch(/<dialog[^>]* open/)
  })

  it('renders signed out from initialClient={null}: the sign-in part, no loading text', async () => {
    const { clock, adapter } = await snapshotOf([])
    const html = renderToString(
      <SessionProvider adapter={adapter} clock={clock} initialClient={null}>
        <Page />
      </SessionProvider>,
    )
    expect(html).toContain('Please sign in')
    expect(html).toContain('Nobody')
    expect(html).not.toContain('Loading')
    expect(html).not.toContain('Dashboard')
    expect(adapter.calls.getClient).toBe(0)
  })
})
