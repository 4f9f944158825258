import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryAdapter } from '../../src/adapters/memory'
import { createMemoryTabHub, type MemoryTab } from '../../src/core/tabs/memoryTransport'
import type { TabTransport } from '../../src/core/tabs/transport'
import type { Phase } from '../../src/core/deadline'
import type { SessionClientOptions } from '../../src/core/types'
import { createVirtualClock, type VirtualClock } from '../../src/core/virtualClock'
import { MINUTE, SECOND, SHORT_POLICY } from './helpers'
import { closeOpenedTabs, openTab, type Tab } from './tabHelpers'
import { tabsWithInput } from './tabsWithInput'

// In a browser, tabs are separate processes: a lock grant and a channel message take separate paths, in no
// order between them. When the leader closes as a new tab opens, the new tab's hello can reach the tab taking
// over before its lock grant does, while nobody leads. The new tab must still learn what the others know.

/** A tab whose lock grants arrive 5 ms late (its channel messages still take a microtask). */
const laggingLocks = (clock: VirtualClock, tab: MemoryTab): TabTransport => ({
  channel: (name) => tab.channel(name),
  locks: {
    request: (name, options, callback) =>
      tab.locks.request(name, options, async (lock) => {
        await new Promise<void>((resolve) => clock.setTimeout(resolve, 5))
        return callback(lock)
      }),
  },
})

afterEach(closeOpenedTabs)

function browser(options: Partial<SessionClientOptions> = {}) {
  const clock = createVirtualClock()
  const adapter = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com' })
  const hub = createMemoryTabHub(clock)
  const start = clock.now()
  /** Opens one mounted tab with late lock grants. */
  const open = (): Tab => openTab(clock, adapter, hub, options, (tab) => laggingLocks(clock, tab))
  /** Moves the clock to `at` (ms since the browser opened). */
  const until = (at: number) => clock.advanceAsync(start + at - clock.now())
  return { clock, adapter, open, until }
}

describe('given a leader that closes just as a new tab opens, the lock reaching the next tab after the new tab’s hello', () => {
  it('the new tab opened during the warning shows it too, then signs out for idle', async () => {
    const { open, until } = browser({ idleTimeout: 5 * MINUTE, warnBefore: 60 * SECOND })
    const a = open()
    const b = open()
    await until(4 * MINUTE + 30 * SECOND)
    expect(a.client.isLeader()).toBe(true)
    expect([a, b].map((tab) => tab.client.getState().phase)).toEqual(['warning', 'warning'])
    a.close()
    const c = open()
    const phases: Phase[] = [c.client.getState().phase]
    c.client.subscribe(() => phases.push(c.client.getState().phase))
    await until(4 * MINUTE + 31 * SECOND)
    expect(b.client.isLeader()).toBe(true)
    expect(c.client.getState()).toMatchObject({ phase: 'warning', deadline: b.client.getState().deadline })
    await until(5 * MINUTE + 1 * SECOND)
    expect(phases).toContain('warning')
    for (const tab of [b, c]) expect(tab.client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'idle' })
  })

  it('the new tab opened after a sign-out the server has not heard yet comes up signed out, and mints no token', async () => {
    const { clock, adapter, open, until } = browser()
    const a = open()
    const b = open()
    await until(100)
    expect(a.client.isLeader()).toBe(true)
    adapter.fail('server-error', { only: ['endSession', 'endAllSessions'] })
    const signedOut = b.client.signOut()
    await until(1 * SECOND)
    await signedOut
    for (const tab of [a, b]) expect(tab.client.getState().status).toBe('signed-out')
    a.close()
    const c = open()
    await until(1 * SECOND + 500)
    expect(b.client.isLeader()).toBe(true)
    expect(c.client.getState().status).toBe('signed-out')
    await clock.advanceAsync(61 * SECOND)
    adapter.resetCalls()
    expect(c.client.getState().status).toBe('signed-out')
    expect(await c.client.getToken({ skipCache: true })).toBeNull()
    expect(adapter.calls.createToken).toBe(0)
  })
})

describe('given three tabs signed out at an idle deadline while the server cannot hear it', () => {
  it('a tab opens, the leader closes: the others hear the news again, and once the server is back each tab left tells it once', async () => {
    const { adapter, tabs, until, open } = await tabsWithInput(3, { idleTimeout: 5 * MINUTE, beforeSignOut: () => new Promise<void>(() => undefined), beforeSignOutTimeout: 100 })
    const sessionId = tabs[0]!.client.getState().session!.id
    adapter.fail('offline', { only: ['endSession'] })
    await until(5 * MINUTE + 5 * SECOND)
    for (const tab of tabs) expect(tab.client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'idle' })
    const leader = tabs.find((tab) => tab.client.isLeader())!
    // The leader's hello reply to the new tab, then the takeover's repeat of it, reach the others again.
    const others = [...tabs.filter((tab) => tab !== leader), open()]
    await until(5 * MINUTE + 6 * SECOND)
    expect(others.at(-1)!.client.getState().status).toBe('signed-out')
    leader.close()
    await until(5 * MINUTE + 10 * SECOND)
    adapter.fail(null)
    adapter.resetCalls()
    for (const tab of others) tab.input.dispatchEvent(new Event('online'))
    await until(5 * MINUTE + 11 * SECOND)
    expect(adapter.calls.endSession).toBe(others.length)
    expect(adapter.peek(sessionId)!.status).not.toBe('active')
  })
})
