import { act, cleanup, render, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { StrictMode } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryAdapter } from '../../../src/adapters/memory'
import { createSessionClient } from '../../../src/core/client'
import { createMemoryTabHub } from '../../../src/core/tabs/memoryTransport'
import { createVirtualClock } from '../../../src/core/virtualClock'
import type { SessionClient } from '../../../src/core/types'
import { InactivityWarning, SessionProvider } from '../../../src/react'
import { SECOND, SHORT_POLICY } from './harness'

// "Stay signed in" in a tab that does not lead: that tab sends its own touch
// (client.touch() goes through its own TouchScheduler.now(), whoever leads),
// so its warning is done only when that touch lands, offline or not.

const user = () => userEvent.setup({ delay: null })
const RETRYING = "Can't reach the server — retrying"

/** Queries on one tab's page. */
const on = (tab: Tab) => within(tab.container)

interface Tab {
  client: SessionClient
  input: EventTarget
  /** This tab's page. */
  container: HTMLElement
}

describe('given two tabs, and "Stay signed in" in the tab that does not lead', () => {
  const opened: Array<() => void> = []
  afterEach(() => {
    // The pages first, then their tabs' clients.
    cleanup()
    for (const close of opened.splice(0)) close()
  })

  /** Two tabs of one browser (one backend, one tab hub, one clock), each with its warning open. */
  async function twoTabs({ latencyMs = 0 } = {}) {
    const clock = createVirtualClock()
    const adapter = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com', latencyMs })
    const hub = createMemoryTabHub(clock)
    const advance = (ms: number) => act(() => clock.advanceAsync(ms))
    const open = (): Tab => {
      const transport = hub.tab()
      const input = new EventTarget()
      const client = createSessionClient({ adapter, clock, eventTarget: input, crossTab: transport })
      const unmount = client.mount()
      opened.push(() => {
        unmount()
        client.destroy()
        transport.close()
      })
      const { container } = render(
        <StrictMode>
          <SessionProvider client={client}>
            <InactivityWarning />
          </SessionProvider>
        </StrictMode>,
      )
      return { client, input, container }
    }
    const tabs = [open(), open()]
    while (tabs.some((tab) => tab.client.getState().status === 'loading')) await advance(100)
    await advance(100)
    const follower = tabs.find((tab) => !tab.client.isLeader())!
    const leader = tabs.find((tab) => tab.client.isLeader())!
    await advance(follower.client.getState().deadline! - 60 * SECOND - clock.now())
    for (const tab of tabs) expect(on(tab).getByRole('alertdialog')).toBeInTheDocument()
    return { adapter, leader, follower, advance }
  }

  const statusOf = (tab: Tab) =>
    on(tab).getAllByRole('status').find((region) => !region.classList.contains('sk-visually-hidden'))!

  it('shows it pending until its own touch lands, then closes the warning in both tabs', async () => {
    const { adapter, leader, follower, advance } = await twoTabs({ latencyMs: 2 * SECOND })
    adapter.resetCalls()
    await user().click(on(follower).getByRole('button', { name: 'Stay signed in' }))
    expect(on(follower).getByRole('button', { name: 'Renewing…' })).toHaveAttribute('aria-disabled', 'true')
    expect(follower.client.getState().renewal).toBe('pending')
    await advance(SECOND)
    for (const tab of [leader, follower]) expect(on(tab).getByRole('alertdialog')).toBeInTheDocument()
    await advance(SECOND)
    // One touch, the follower's own: it does not hand "Stay" to the leader and trust it.
    expect(adapter.calls.touchSession).toBe(1)
    for (const tab of [leader, follower]) {
      expect(on(tab).queryByRole('alertdialog')).not.toBeInTheDocument()
      expect(tab.client.getState().phase).toBe('active')
    }
  })

  it('keeps both warnings open while offline, the retry message in its own, and closes both once its touch lands', async () => {
    const { adapter, leader, follower, advance } = await twoTabs()
    const deadline = follower.client.getState().deadline!
    adapter.fail('offline')
    adapter.resetCalls()
    await user().click(on(follower).getByRole('button', { name: 'Stay signed in' }))
    await advance(0)
    expect(adapter.calls.touchSession).toBeGreaterThanOrEqual(1)
    expect(follower.client.getState()).toMatchObject({ phase: 'warning', renewal: 'retrying', deadline })
    expect(statusOf(follower)).toHaveTextContent(RETRYING)
    // The leader heard "the user is here" but was not renewed either: its warning stays, with nothing to retry.
    expect(leader.client.getState()).toMatchObject({ phase: 'warning', renewal: 'idle', deadline })
    expect(statusOf(leader)).toHaveTextContent(/^$/)
    expect(on(leader).getByRole('button', { name: 'Stay signed in' })).not.toHaveAttribute('aria-disabled')
    await advance(5 * SECOND)
    expect(follower.client.getState().renewal).toBe('retrying')
    expect(on(follower).getByRole('alertdialog')).toBeInTheDocument()

    adapter.fail(null)
    follower.input.dispatchEvent(new Event('online'))
    await advance(0)
    expect(follower.client.getState()).toMatchObject({ phase: 'active', renewal: 'idle' })
    expect(follower.client.getState().deadline).toBeGreaterThan(deadline)
    // The session news reached the leader: its deadline moved too.
    expect(leader.client.getState().deadline).toBe(follower.client.getState().deadline)
    for (const tab of [leader, follower]) expect(on(tab).queryByRole('alertdialog')).not.toBeInTheDocument()
  })
})
