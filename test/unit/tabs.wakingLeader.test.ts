import { afterEach, expect, it } from 'vitest'
import { createMemoryAdapter } from '../../src/adapters/memory'
import { createMemoryTabHub, type MemoryTab } from '../../src/core/tabs/memoryTransport'
import type { TabTransport } from '../../src/core/tabs/transport'
import { createVirtualClock, type VirtualClock } from '../../src/core/virtualClock'
import { SECOND, SHORT_POLICY } from './helpers'
import { closeOpenedTabs, openTab, type Tab } from './tabHelpers'

// A leader that went silent (frozen, its heartbeats lost) has its lock stolen. The tab that takes over
// replays what it knows, the last input among it. In a browser a lock loss and a channel message have no
// order between them, so the old leader may hear that replay while it still believes it leads: its own
// input, already reported, must not make it touch the server again, or an idle user's deadline moves.

/** A tab that learns how its lock requests ended 5 ms late (its channel messages still take a microtask). */
const lateLockNews = (clock: VirtualClock, tab: MemoryTab): TabTransport => ({
  channel: (name) => tab.channel(name),
  locks: {
    request: (name, options, callback) => {
      const later = () => new Promise<void>((resolve) => clock.setTimeout(resolve, 5))
      return tab.locks.request(name, options, callback).then(
        () => later(),
        (error: unknown) => later().then(() => Promise.reject(error)),
      )
    },
  },
})

afterEach(closeOpenedTabs)

it('a silent leader whose lock was stolen sends no touch for input it reported already: the idle user’s server deadline stays', async () => {
  const clock = createVirtualClock()
  const adapter = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com' })
  const hub = createMemoryTabHub(clock)
  const start = clock.now()
  const until = (at: number) => clock.advanceAsync(start + at - clock.now())
  const open = (late: boolean): Tab => openTab(clock, adapter, hub, {}, late ? (tab) => lateLockNews(clock, tab) : undefined)
  const a = open(true)
  const c = open(false)
  await until(10 * SECOND)
  a.input.dispatchEvent(new Event('keydown'))
  // A's trailing touch reports that input; the user does nothing more.
  await until(125 * SECOND)
  expect(a.client.isLeader()).toBe(true)
  const sessionId = a.client.getState().session!.id
  const lastActiveAt = adapter.peek(sessionId)!.lastActiveAt
  adapter.resetCalls()

  hub.conditions.drop = (message) => (message as { type?: string }).type === 'heartbeat'
  await until(132 * SECOND)
  hub.conditions.drop = undefined
  expect(c.client.isLeader()).toBe(true)
  expect(a.client.isLeader()).toBe(false)

  await until(150 * SECOND)
  expect(adapter.calls.touchSession).toBe(0)
  expect(adapter.peek(sessionId)!.lastActiveAt).toBe(lastActiveAt)
})
