// @vitest-environment node
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { createMemoryAdapter } from '../../../src/adapters/memory'
import { createSessionClient } from '../../../src/core/client'
import { createVirtualClock } from '../../../src/core/virtualClock'
import { InactivityWarning, Protect, SessionProvider, SignedIn, SignedOut, useAuth, useSessionExpiry } from '../../../src/react'

function Page() {
  const auth = useAuth()
  const { phase } = useSessionExpiry()
  return (
    <main>
      <p>{auth.isLoaded ? 'Loaded' : 'Loading'}</p>
      <p>{`Phase ${phase}`}</p>
      <SignedIn>Dashboard</SignedIn>
      <SignedOut>Please sign in</SignedOut>
      <Protect role="org:admin">Admin panel</Protect>
      <InactivityWarning />
    </main>
  )
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
})
