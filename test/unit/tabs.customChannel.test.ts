import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemoryAdapter } from '../../src/adapters/memory'
import { createSessionClient } from '../../src/core/client'
import { createMemoryTabHub, type MemoryTab } from '../../src/core/tabs/memoryTransport'
import { TabSync } from '../../src/core/tabs/tabSync'
import type { TabTransport } from '../../src/core/tabs/transport'
import type { SessionClient } from '../../src/core/types'
import { createVirtualClock } from '../../src/core/virtualClock'
import { SECOND, SHORT_POLICY, sidOf } from './helpers'

/**
 * The `crossTab` option takes any TabTransport. A custom channel need not
 * behave like a BroadcastChannel: it may go on delivering after close, or
 * hand a tab its own messages. TabSync must cope with both (transport.ts).
 */

interface Wrapped extends TabTransport {
  /** Everything this tab's channels sent. */
  posts: { type: string }[]
  /** The options of every lock request this tab made. */
  lockRequests: unknown[]
  /** How many times TabSync called the unsubscribe function the channel returned. */
  unsubscribed: number
}

/** A memory tab behind a custom channel: `leaky` keeps delivering after close, `echo` also hands the tab its own messages. */
function wrap(tab: MemoryTab, { leaky = false, echo = false, returnsUnsubscribe = false } = {}): Wrapped {
  const wrapped: Wrapped = {
    posts: [],
    lockRequests: [],
    unsubscribed: 0,
    locks: {
      request(name, options, callback) {
        wrapped.lockRequests.push(options)
        return tab.locks.request(name, options, callback)
      },
    },
    channel(name) {
      const inner = tab.channel(name)
      const listeners = new Set<(data: unknown) => void>()
      inner.subscribe((data) => listeners.forEach((listener) => listener(data)))
      return {
        postMessage(message) {
          wrapped.posts.push(message as { type: string })
          inner.postMessage(message)
          if (echo) queueMicrotask(() => listeners.forEach((listener) => listener(structuredClone(message))))
        },
        subscribe(listener) {
          listeners.add(listener)
          if (returnsUnsubscribe)
            return () => {
              wrapped.unsubscribed++
              listeners.delete(listener)
            }
        },
        close() {
          if (!leaky) inner.close()
        },
      }
    },
  }
  return wrapped
}

let cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups) cleanup()
  cleanups = []
  vi.restoreAllMocks()
})

describe('given a channel that keeps delivering after close', () => {
  it('leaves a stopped TabSync inert: it neither steals the lock when the leader falls silent nor posts', async () => {
    const clock = createVirtualClock()
    const hub = createMemoryTabHub(clock)
    const sync = (transport: TabTransport, changes: boolean[] = []) =>
      new TabSync({ transport, name: 'sessionkit:test', clock, onMessage: () => {}, onLeadershipChange: (isLeader) => changes.push(isLeader) })
    const leaderTab = hub.tab()
    const leader = sync(leaderTab)
    leader.start()
    await clock.advanceAsync(100)
    expect(leader.isLeader).toBe(true)

    const leaky = wrap(hub.tab(), { leaky: true })
    const changes: boolean[] = []
    const follower = sync(leaky, changes)
    follower.start()
    await clock.advanceAsync(3 * SECOND)
    expect(follower.isLeader).toBe(false)
    follower.stop()
    const { posts, lockRequests } = leaky
    const sent = posts.length
    const requested = lockRequests.length

    // The leader's heartbeats still reach the stopped follower's channel; then the leader freezes.
    await clock.advanceAsync(5 * SECOND)
    leader.post({ type: 'hello' })
    leader.post({ type: 'token-request', requestId: 'x:1', sessionId: 's', template: null, organizationId: null })
    hub.conditions.drop = () => true
    await clock.advanceAsync(30 * SECOND)

    expect(follower.isLeader).toBe(false)
    expect(changes).toEqual([])
    expect(lockRequests.length).toBe(requested)
    expect(posts.length).toBe(sent)
    leader.stop()
    leaderTab.close()
  })

  it('calls the unsubscribe function a channel returns, on stop', async () => {
    const clock = createVirtualClock()
    const transport = wrap(createMemoryTabHub(clock).tab(), { leaky: true, returnsUnsubscribe: true })
    const sync = new TabSync({ transport, name: 'sessionkit:test', clock, onMessage: () => {}, onLeadershipChange: () => {} })
    sync.start()
    await clock.advanceAsync(100)
    expect(transport.unsubscribed).toBe(0)
    sync.stop()
    expect(transport.unsubscribed).toBe(1)
    // Started again: a new subscription, ended again on stop.
    sync.start()
    await clock.advanceAsync(100)
    sync.stop()
    expect(transport.unsubscribed).toBe(2)
    // Every lock request says it wants the lock to itself (the Web Locks default, stated).
    expect(transport.lockRequests.length).toBeGreaterThan(0)
    for (const options of transport.lockRequests) expect(options).toMatchObject({ mode: 'exclusive' })
  })
})

describe('given a channel that hands each tab its own messages too', () => {
  it('still serves a follower\'s token from the leader (its own request is no answer)', async () => {
    const clock = createVirtualClock()
    const adapter = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com' })
    const hub = createMemoryTabHub(clock)
    const open = (): SessionClient => {
      const tab = hub.tab()
      const client = createSessionClient({ adapter, clock, eventTarget: new EventTarget(), crossTab: wrap(tab, { echo: true }) })
      const unmount = client.mount()
      cleanups.push(() => (unmount(), client.destroy(), tab.close()))
      return client
    }
    const clients = [open(), open()]
    await clock.advanceAsync(100)
    expect(clients.filter((client) => client.isLeader()).length).toBe(1)
    const leader = clients.find((client) => client.isLeader())!
    const follower = clients.find((client) => !client.isLeader())!

    // The follower asks first: nobody holds a token yet, so it goes to the leader, which mints one.
    adapter.resetCalls()
    const token = follower.getToken()
    await clock.advanceAsync(100)
    expect(sidOf(await token)).toBe(follower.getState().session!.id)
    // One mint, the leader's: not a second one by the follower after its own echoed request failed it.
    expect(adapter.calls.createToken).toBe(1)
    expect(await leader.getToken()).toBe(await token)
    expect(adapter.calls.createToken).toBe(1)
  })
})

describe('given a custom transport without Web Locks (an older Safari: `locks: navigator.locks` is undefined)', () => {
  it('mounts and works alone, as without BroadcastChannel, and says why in development', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const clock = createVirtualClock()
    const adapter = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com' })
    const tab = createMemoryTabHub(clock).tab()
    for (const locks of [undefined, {}]) {
      const crossTab = { channel: tab.channel, locks } as unknown as TabTransport
      const client = createSessionClient({ adapter, clock, eventTarget: new EventTarget(), crossTab })
      const unmount = client.mount()
      cleanups.push(() => (unmount(), client.destroy()))
      await clock.advanceAsync(100)
      expect(client.getState().status).toBe('signed-in')
      expect(client.isLeader()).toBe(true)
      expect(sidOf(await client.getToken())).toBe(client.getState().session!.id)
    }
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('locks'))
  })
})
