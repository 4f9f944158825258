import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryAdapter, DEMO_PASSWORD } from '../../src/adapters/memory'
import type { AdapterResponse, SessionAdapter } from '../../src/core/adapter'
import { createSessionClient } from '../../src/core/client'
import { createMemoryTabHub, type MemoryTab } from '../../src/core/tabs/memoryTransport'
import type { SessionClient } from '../../src/core/types'
import { createVirtualClock, type VirtualClock } from '../../src/core/virtualClock'
import { MINUTE, SECOND, SHORT_POLICY } from './helpers'

// What a tab applies is ordered in two ways (stateOrder.ts): each session by its own server stamp
// (updatedAt), and the client (which session is active, the list) by when it was asked for and
// produced. These are the cases the single "server time of the answer" rule got wrong.

let clients: SessionClient[] = []
afterEach(() => {
  for (const client of clients) client.destroy()
  clients = []
})

/** `call` with its answer held back `ms` after the server acted, as a slow network path would. */
const slow =
  <A extends unknown[], R>(clock: VirtualClock, ms: number, call: (...args: A) => Promise<R>) =>
  async (...args: A) => {
    const answer = await call(...args)
    await new Promise<void>((resolve) => clock.setTimeout(resolve, ms))
    return answer
  }

/** A browser on one memory backend with Grace and Ada signed in (Ada active); `open` opens a tab. */
function browser(clock = createVirtualClock()) {
  const memory = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: ['grace@example.com', 'ada@example.com'] })
  const hub = createMemoryTabHub(clock)
  const open = (adapter: SessionAdapter = memory) => {
    const client = createSessionClient({ adapter, clock, eventTarget: new EventTarget(), crossTab: hub.tab() })
    clients.push(client)
    client.mount()
    return client
  }
  const idOf = (client: SessionClient, identifier: string) => client.getState().sessions.find((s) => s.user.identifier === identifier)!.id
  return { clock, memory, open, idOf }
}

describe('a touch answer and an account switch', () => {
  it('keeps a switch that answers after a touch sent later (one tab)', async () => {
    const clock = createVirtualClock()
    const memory = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: ['grace@example.com', 'ada@example.com'] })
    const client = createSessionClient({ adapter: { ...memory, setActiveSession: slow(clock, 500, memory.setActiveSession) }, clock, eventTarget: new EventTarget(), crossTab: false })
    clients.push(client)
    client.mount()
    await clock.advanceAsync(0)
    const grace = client.getState().sessions.find((s) => s.user.identifier === 'grace@example.com')!.id
    const switched = client.setActive(grace)
    await clock.advanceAsync(10)
    await client.touch()
    await clock.advanceAsync(1000)
    await switched
    expect(client.getState().session?.id).toBe(grace)
  })

  it("keeps a switch that answers after the other tab's touch news", async () => {
    const { clock, memory, open, idOf } = browser()
    const leader = open()
    await clock.advanceAsync(100)
    const follower = open({ ...memory, setActiveSession: slow(clock, 500, memory.setActiveSession) })
    await clock.advanceAsync(100)
    expect(leader.isLeader()).toBe(true)
    const grace = idOf(follower, 'grace@example.com')
    const switched = follower.setActive(grace)
    await clock.advanceAsync(10)
    await leader.touch()
    await clock.advanceAsync(1000)
    await switched
    expect(follower.getState().session?.id).toBe(grace)
    expect(leader.getState().session?.id).toBe(grace)
  })
})

describe('servers whose clocks differ (behind a load balancer)', () => {
  it("follows the leader's touch after its own load was answered by a server 2 s ahead", async () => {
    const { clock, memory, open } = browser()
    const ahead = <T>(answer: AdapterResponse<T>) => ({ ...answer, serverNow: answer.serverNow + 2 * SECOND })
    const leader = open()
    await clock.advanceAsync(100)
    const follower = open({ ...memory, getClient: async () => ahead(await memory.getClient()) })
    await clock.advanceAsync(100)
    expect(leader.isLeader()).toBe(true)
    await clock.advanceAsync(50 * SECOND)
    await follower.load()
    await clock.advanceAsync(10)
    await leader.touch()
    await clock.advanceAsync(10)
    expect(Math.abs(follower.getState().deadline! - leader.getState().deadline!)).toBeLessThan(3 * SECOND)
  })
})

describe('a tab that opens', () => {
  it('does not make the other tabs believe the user verified just now', async () => {
    const { clock, memory, open } = browser()
    const leader = open()
    await clock.advanceAsync(100)
    const follower = open()
    await clock.advanceAsync(100)
    const verifiedAt = follower.getState().session!.factorVerifiedAt![0]!
    expect(verifiedAt).not.toBeNull()
    await clock.advanceAsync(8 * MINUTE)
    // The new tab's own load is slow: what the others show meanwhile comes from the leader's hand-over.
    const third = open({ ...memory, getClient: slow(clock, 200, memory.getClient) })
    await clock.advanceAsync(100)
    expect(follower.getState().session!.factorVerifiedAt![0]).toBe(verifiedAt)
    expect(leader.getState().session!.factorVerifiedAt![0]).toBe(verifiedAt)
    expect(third.getState().session!.factorVerifiedAt![0]).toBe(verifiedAt)
    // After the new tab's load: verification ages are whole minutes, counted from when the server answered.
    await clock.advanceAsync(1 * SECOND)
    for (const tab of [leader, follower, third]) expect(Math.abs(tab.getState().session!.factorVerifiedAt![0]! - verifiedAt)).toBeLessThan(MINUTE)
  })

  it('after the session expired is never shown signed in', async () => {
    const clock = createVirtualClock()
    const memory = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com' })
    const hub = createMemoryTabHub(clock)
    const first = createSessionClient({ adapter: memory, clock, eventTarget: new EventTarget(), crossTab: hub.tab() })
    clients.push(first)
    first.mount()
    await clock.advanceAsync(100)
    await clock.advanceAsync(11 * MINUTE)
    expect(first.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'inactivity' })
    const second = createSessionClient({ adapter: { ...memory, getClient: slow(clock, 200, memory.getClient) }, clock, eventTarget: new EventTarget(), crossTab: hub.tab() })
    clients.push(second)
    const seen: string[] = []
    second.subscribe((state) => seen.push(state.status))
    second.mount()
    await clock.advanceAsync(1 * SECOND)
    expect(second.getState().status).toBe('signed-out')
    expect(seen).not.toContain('signed-in')
  })
})

describe('a background tab after the server clock was set back', () => {
  it("still follows the leader's switch", async () => {
    const { clock, memory, open, idOf } = browser()
    let setBackMs = 0
    const setBack = <A extends unknown[], T>(call: (...args: A) => Promise<AdapterResponse<T>>) => async (...args: A) => {
      const answer = await call(...args)
      return { ...answer, serverNow: answer.serverNow - setBackMs }
    }
    const adapter: SessionAdapter = { ...memory, getClient: setBack(memory.getClient), setActiveSession: setBack(memory.setActiveSession) }
    const leader = open(adapter)
    await clock.advanceAsync(100)
    const follower = open(adapter)
    await clock.advanceAsync(100)
    expect(leader.isLeader()).toBe(true)
    setBackMs = 5 * MINUTE
    await clock.advanceAsync(10)
    const grace = idOf(leader, 'grace@example.com')
    await leader.setActive(grace)
    await clock.advanceAsync(10)
    expect(leader.getState().session?.id).toBe(grace)
    expect(follower.getState().session?.id).toBe(grace)
  })
})

/** The answer as a server whose clock runs `ms` ahead would give it: its stamps and times later by `ms`. */
const answeredAhead = <T extends { updatedAt: number; lastActiveAt: number; expireAt: number | null }>(answer: AdapterResponse<T>, ms: number) => ({
  serverNow: answer.serverNow + ms,
  data: { ...answer.data, updatedAt: answer.data.updatedAt + ms, lastActiveAt: answer.data.lastActiveAt + ms, expireAt: answer.data.expireAt === null ? null : answer.data.expireAt + ms },
})

describe('session versions from servers whose clocks differ', () => {
  it('shows an account signed out as ended, though the version held came from a server ahead', async () => {
    const clock = createVirtualClock()
    const memory = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: ['grace@example.com', 'ada@example.com'] })
    const adapter: SessionAdapter = { ...memory, touchSession: async (id) => answeredAhead(await memory.touchSession(id), 2 * SECOND) }
    const client = createSessionClient({ adapter, clock, eventTarget: new EventTarget(), crossTab: false })
    clients.push(client)
    client.mount()
    await clock.advanceAsync(0)
    const [grace, ada] = client.getState().sessions.map((s) => s.id)
    await client.setActive(grace!)
    await client.touch()
    await clock.advanceAsync(100)
    await client.setActive(ada!)
    await clock.advanceAsync(100)
    // Grace's session ends on a server 2 s behind the one that touched it: its updatedAt is earlier.
    await client.signOut({ sessionId: grace! })
    await clock.advanceAsync(MINUTE)
    await client.load()
    expect(client.getState().sessions.find((s) => s.id === grace)?.status).toBe('ended')
  })

  it('takes a verification answered just after a touch by a server ahead', async () => {
    const clock = createVirtualClock()
    const memory = createMemoryAdapter({ clock, policy: { inactivityTimeoutMs: 30 * MINUTE, maxLifetimeMs: null }, signedInAs: 'ada@example.com' })
    const adapter: SessionAdapter = { ...memory, touchSession: async (id) => answeredAhead(await memory.touchSession(id), 2 * SECOND) }
    const client = createSessionClient({ adapter, clock, eventTarget: new EventTarget(), crossTab: false })
    clients.push(client)
    client.mount()
    await clock.advanceAsync(15 * MINUTE)
    expect(client.checkAuthorization({ reverification: { level: 'first_factor', afterMinutes: 10 } })).toBe(false)
    await client.touch()
    await clock.advanceAsync(500)
    await client.verify({ strategy: 'password', password: DEMO_PASSWORD })
    expect(client.checkAuthorization({ reverification: { level: 'first_factor', afterMinutes: 10 } })).toBe(true)
  })
})

describe('a backend whose updatedAt does not change on a touch', () => {
  it('keeps the deadline "Stay signed in" renewed when a reload that crossed it answers later', async () => {
    const clock = createVirtualClock()
    const memory = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com' })
    const frozen = <T extends { createdAt: number }>(session: T) => ({ ...session, updatedAt: session.createdAt })
    const adapter: SessionAdapter = {
      ...memory,
      getClient: slow(clock, 500, async () => {
        const answer = await memory.getClient()
        return { ...answer, data: { ...answer.data, sessions: answer.data.sessions.map(frozen) } }
      }),
      touchSession: async (id) => {
        const answer = await memory.touchSession(id)
        return { ...answer, data: frozen(answer.data) }
      },
    }
    const client = createSessionClient({ adapter, clock, eventTarget: new EventTarget(), crossTab: false })
    clients.push(client)
    client.mount()
    await clock.advanceAsync(1 * SECOND)
    await clock.advanceAsync(9 * MINUTE)
    const reload = client.load()
    await clock.advanceAsync(10)
    await client.touch()
    const renewed = client.getState().deadline
    await clock.advanceAsync(1 * SECOND)
    await reload
    expect(client.getState().deadline).toBe(renewed)
  })
})

describe('what the leader hands a new tab', () => {
  it('holds only the sessions the client still lists, however many came and went', async () => {
    const clock = createVirtualClock()
    const memory = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com' })
    const sessionNews: unknown[] = []
    const hub = createMemoryTabHub(clock, {
      drop: (message) => {
        if ((message as { type?: string }).type === 'session') sessionNews.push(message)
        return false
      },
    })
    const open = () => {
      const client = createSessionClient({ adapter: memory, clock, eventTarget: new EventTarget(), crossTab: hub.tab() })
      clients.push(client)
      client.mount()
      return client
    }
    const leader = open()
    await clock.advanceAsync(100)
    // Grace signs in and is removed from this browser five times: the client no longer lists her sessions.
    for (let round = 0; round < 5; round++) {
      await leader.signIn({ identifier: 'grace@example.com', password: DEMO_PASSWORD })
      await leader.remove()
      await clock.advanceAsync(100)
    }
    expect(leader.getState().sessions).toHaveLength(1)
    sessionNews.length = 0
    open()
    await clock.advanceAsync(100)
    expect(sessionNews).toHaveLength(1)
  })
})

describe('a tab of an older version (its news carries no stamp)', () => {
  /** A tab transport that leaves out the stamps, as a tab running an older version posts its news. */
  const olderVersion = (tab: MemoryTab): MemoryTab => ({
    ...tab,
    channel: (name: string) => {
      const channel = tab.channel(name)
      return {
        ...channel,
        postMessage: (message: unknown) => {
          const { sentAt: _sentAt, serverNow: _serverNow, ...rest } = message as Record<string, unknown>
          channel.postMessage(rest)
        },
      }
    },
  })

  it('keeps a verification when that tab reports a load that crossed it', async () => {
    const clock = createVirtualClock()
    const memory = createMemoryAdapter({ clock, policy: { inactivityTimeoutMs: 30 * MINUTE, maxLifetimeMs: null }, signedInAs: 'ada@example.com' })
    const hub = createMemoryTabHub(clock)
    const tab = createSessionClient({ adapter: memory, clock, eventTarget: new EventTarget(), crossTab: hub.tab() })
    clients.push(tab)
    tab.mount()
    await clock.advanceAsync(100)
    const older = createSessionClient({ adapter: { ...memory, getClient: slow(clock, 2000, memory.getClient) }, clock, eventTarget: new EventTarget(), crossTab: olderVersion(hub.tab()) })
    clients.push(older)
    older.mount()
    await clock.advanceAsync(3000)
    await clock.advanceAsync(15 * MINUTE)
    const recent = { reverification: { level: 'first_factor', afterMinutes: 10 } } as const
    expect(tab.checkAuthorization(recent)).toBe(false)
    const reload = older.load()
    await clock.advanceAsync(10)
    await tab.verify({ strategy: 'password', password: DEMO_PASSWORD })
    expect(tab.checkAuthorization(recent)).toBe(true)
    await clock.advanceAsync(3000)
    await reload
    expect(tab.checkAuthorization(recent)).toBe(true)
  })
})
