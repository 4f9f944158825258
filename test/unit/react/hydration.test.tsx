import { act, screen, within } from '@testing-library/react'
import { StrictMode, type ReactNode } from 'react'
import { hydrateRoot, type Root } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemoryAdapter } from '../../../src/adapters/memory'
import type { ClientSnapshot } from '../../../src/core/types'
import { createVirtualClock, type VirtualClock } from '../../../src/core/virtualClock'
import { InactivityWarning, SessionProvider, SignedIn, SignedOut, useAuth, useSessionExpiry, useUser } from '../../../src/react'
import { MINUTE, SECOND, SHORT_POLICY } from './harness'

// A server render with initialClient, then hydration of that very HTML in the
// browser, as a Next.js or Remix page does: the same markup on both sides
// (no hydration warning), and the page works at once, without a second
// GET /v1/client.

function Page() {
  const auth = useAuth()
  const { user } = useUser()
  const { phase } = useSessionExpiry()
  return (
    <main>
      <p>{auth.isLoaded ? 'Loaded' : 'Loading'}</p>
      <p>{`Phase ${phase}`}</p>
      <SignedIn>
        <p>{`Hello ${user?.firstName ?? ''}`}</p>
        <button type="button" onClick={() => void auth.signOut()}>
          Sign out now
        </button>
      </SignedIn>
      <SignedOut>
        <p>Please sign in</p>
      </SignedOut>
      <InactivityWarning />
    </main>
  )
}

let root: Root | undefined
let container: HTMLElement | undefined
afterEach(() => {
  act(() => root?.unmount())
  container?.remove()
  root = undefined
  container = undefined
  vi.restoreAllMocks()
})

interface Served {
  clock: VirtualClock
  adapter: ReturnType<typeof createMemoryAdapter>
  snapshot: ClientSnapshot | null
}

/** The server's side: what GET /v1/client answered for this browser (the memory adapter's real answer). */
async function serve(signedIn: boolean): Promise<Served> {
  const clock = createVirtualClock()
  const adapter = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: signedIn ? 'ada@example.com' : [] })
  const answer = await adapter.getClient()
  const snapshot = signedIn ? { client: answer.data, serverNow: answer.serverNow } : null
  adapter.resetCalls()
  return { clock, adapter, snapshot }
}

const provider = ({ clock, adapter }: Served, initialClient: ClientSnapshot | null | undefined, children: ReactNode) => (
  <SessionProvider adapter={adapter} clock={clock} eventTarget={window} warnBefore={60 * SECOND} {...(initialClient === undefined ? {} : { initialClient })}>
    {children}
  </SessionProvider>
)

/**
 * Hydrates `html` in StrictMode with every console warning and React's
 * recoverable errors (where hydration mismatches go) recorded.
 */
async function hydrate(html: string, ui: ReactNode) {
  const logged: string[] = []
  const record = (...args: unknown[]) => logged.push(args.map(String).join(' '))
  vi.spyOn(console, 'error').mockImplementation(record)
  vi.spyOn(console, 'warn').mockImplementation(record)
  container = document.createElement('div')
  container.innerHTML = html
  document.body.append(container)
  await act(async () => {
    root = hydrateRoot(container!, <StrictMode>{ui}</StrictMode>, {
      onRecoverableError: (error) => record('recoverable:', error),
    })
  })
  return logged
}

describe('given a page rendered on the server from initialClient', () => {
  it('hydrates signed in with no warning, without asking the server again, and the page works', async () => {
    const served = await serve(true)
    const html = renderToString(provider(served, served.snapshot, <Page />))
    expect(html).toContain('Hello Ada')
    // The page travels to the browser; a moment passes before it hydrates.
    await served.clock.advanceAsync(2 * SECOND)
    const logged = await hydrate(html, provider(served, served.snapshot, <Page />))

    expect(logged).toEqual([])
    expect(screen.getByText('Hello Ada')).toBeInTheDocument()
    expect(screen.getByText('Loaded')).toBeInTheDocument()
    expect(served.adapter.calls.getClient).toBe(0)

    // Interactive: the client's timers run from the snapshot, so the warning opens and renews. (The
    // snapshot's age counts as clock skew until the first real answer, so the deadline is 10 minutes after hydration.)
    await act(() => served.clock.advanceAsync(9 * MINUTE))
    const warning = screen.getByRole('alertdialog')
    expect(within(warning).getByText('1:00')).toBeInTheDocument()
    await act(() => served.clock.advanceAsync(SECOND))
    expect(within(warning).getByText('0:59')).toBeInTheDocument()
    await act(async () => {
      within(warning).getByRole('button', { name: 'Stay signed in' }).click()
      await served.clock.advanceAsync(0)
    })
    expect(served.adapter.calls.touchSession).toBeGreaterThan(0)
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument()
    expect(screen.getByText('Phase active')).toBeInTheDocument()

    await act(async () => {
      screen.getByRole('button', { name: 'Sign out now' }).click()
      await served.clock.advanceAsync(0)
    })
    expect(screen.getByText('Please sign in')).toBeInTheDocument()
    expect(logged).toEqual([])
  })

  it('hydrates signed out from initialClient={null} with no warning and asks nobody', async () => {
    const served = await serve(false)
    const html = renderToString(provider(served, null, <Page />))
    expect(html).toContain('Please sign in')
    const logged = await hydrate(html, provider(served, null, <Page />))
    expect(logged).toEqual([])
    expect(screen.getByText('Please sign in')).toBeInTheDocument()
    expect(screen.queryByText('Loading')).not.toBeInTheDocument()
    expect(served.adapter.calls.getClient).toBe(0)
  })

  it('reports a mismatch when the browser starts from another state (so the checks above can fail)', async () => {
    const served = await serve(true)
    // The server rendered without a snapshot (loading); the browser starts signed in.
    const html = renderToString(provider(served, undefined, <Page />))
    expect(html).toContain('Loading')
    const logged = await hydrate(html, provider(served, served.snapshot, <Page />))
    expect(logged.join('\n')).toMatch(/hydrat/i)
  })
})
