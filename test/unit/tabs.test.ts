import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryAdapter } from '../../src/adapters/memory'
import { createMemoryTabHub, type MemoryTabConditions } from '../../src/core/tabs/memoryTransport'
import { parseTabMessage } from '../../src/core/tabs/messages'
import type { SessionClientOptions } from '../../src/core/types'
import { createVirtualClock } from '../../src/core/virtualClock'
import { MINUTE, SECOND, SHORT_POLICY, sidOf } from './helpers'
import { closeOpenedTabs, openTab, type Tab } from './tabHelpers'

afterEach(closeOpenedTabs)

/** Several tabs of one browser: one memory backend, one channel and lock hub, one clock. */
async function browser(count: number, options: { conditions?: MemoryTabConditions; client?: Partial<SessionClientOptions> } = {}) {
  const clock = createVirtualClock()
  const adapter = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com' })
  const hub = createMemoryTabHub(clock, options.conditions)
  const open = () => openTab(clock, adapter, hub, options.client)
  const tabs: Tab[] = []
  for (let i = 0; i < count; i++) tabs.push(open())
  await clock.advanceAsync(100)
  return { clock, adapter, hub, tabs, open }
}

const leaders = (tabs: Tab[]) => {
  const count = tabs.filter((t) => t.client.isLeader()).length
  // The state subscribers see agrees with the live answer.
  expect(tabs.filter((t) => t.client.getState().isLeader).length).toBe(count)
  return count
}

describe('given three tabs of one app', () => {
  it('elects exactly one leader', async () => {
    const { tabs } = await browser(3)
    expect(leaders(tabs)).toBe(1)
  })

  it('makes at most one token request per token lifetime for all tabs together', async () => {
    const { clock, adapter, tabs } = await browser(3)
    adapter.resetCalls()
    // Ten minutes of API calls from every tab, every 5 s.
    for (let t = 0; t < 10 * MINUTE; t += 5 * SECOND) {
      for (const tab of tabs) tab.input.dispatchEvent(new Event('keydown'))
      const tokens = await Promise.all(tabs.map((tab) => tab.client.getToken()))
      expect(new Set(tokens.map(sidOf)).size).toBe(1)
      await clock.advanceAsync(5 * SECOND)
    }
    // One tab refreshes for all: a 60 s token is served while > 10 s (leeway)
    // are left and refreshed 5 s before that, so one mint per ~45 s — the
    // same as a single tab, not three times as many.
    expect(adapter.calls.createToken).toBeLessThanOrEqual(Math.ceil((10 * MINUTE) / (45 * SECOND)) + 1)
    expect(adapter.calls.touchSession).toBeLessThanOrEqual(11)
  })

  it('counts input in any tab as input in all: the idle deadline moves everywhere', async () => {
    const { clock, tabs } = await browser(3, { client: { idleTimeout: 5 * MINUTE, warnBefore: 30 * SECOND } })
    await clock.advanceAsync(2 * MINUTE)
    tabs[1]!.input.dispatchEvent(new Event('pointerdown'))
    await clock.advanceAsync(10)
    for (const tab of tabs) expect(tab.client.getState().deadline).toBeGreaterThan(clock.now() + 4 * MINUTE)
    await clock.advanceAsync(4 * MINUTE)
    for (const tab of tabs) expect(tab.client.getState().status).toBe('signed-in')
  })

  it('shows the warning in every idle tab, and "Stay signed in" in tab 2 closes it in all', async () => {
    const { clock, tabs } = await browser(3)
    await clock.advanceAsync(9 * MINUTE + 10 * SECOND)
    for (const tab of tabs) expect(tab.client.getState().phase).toBe('warning')
    await tabs[1]!.client.touch()
    await clock.advanceAsync(10)
    for (const tab of tabs) expect(tab.client.getState().phase).toBe('active')
  })

  it('signs every tab out within a second when one tab signs out', async () => {
    const { clock, tabs } = await browser(3)
    await tabs[0]!.client.signOut()
    await clock.advanceAsync(1 * SECOND)
    for (const tab of tabs) {
      expect(tab.client.getState().status).toBe('signed-out')
      expect(tab.client.getState().signOutReason).toBe('signed-out')
      expect(await tab.client.getToken()).toBeNull()
    }
  })

  it('signs every tab out within a second, saying why, once one tab learns the session was revoked elsewhere', async () => {
    const { clock, adapter, tabs } = await browser(3)
    // Revoked on another device: only the leader's next touch hears of it.
    await adapter.endSession(tabs[0]!.client.getState().session!.id)
    const leader = tabs.find((tab) => tab.client.isLeader())!
    await leader.client.touch().catch(() => undefined)
    await clock.advanceAsync(1 * SECOND)
    for (const tab of tabs) expect(tab.client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'revoked' })
  })

  it('switches every tab when one tab switches sessions', async () => {
    const { clock, adapter, tabs } = await browser(2)
    await tabs[0]!.client.signIn({ identifier: 'grace@example.com', password: 'password' })
    await clock.advanceAsync(100)
    const grace = tabs[0]!.client.getState().session!.id
    expect(tabs[1]!.client.getState().session?.id).toBe(grace)
    adapter.resetCalls()
    expect(sidOf(await tabs[1]!.client.getToken())).toBe(grace)
  })

  it('hands a tab opened during the warning the same countdown', async () => {
    const { clock, tabs, open } = await browser(2, { client: { idleTimeout: 5 * MINUTE, warnBefore: 60 * SECOND } })
    await clock.advanceAsync(4 * MINUTE + 20 * SECOND)
    expect(tabs[0]!.client.getState().phase).toBe('warning')
    const late = open()
    await clock.advanceAsync(100)
    expect(late.client.getState().phase).toBe('warning')
    expect(late.client.getState().deadline).toBe(tabs[0]!.client.getState().deadline)
  })
})

describe('given the leading tab goes away', () => {
  it('lets another tab take over when the leader closes, without a burst of requests', async () => {
    const { clock, adapter, tabs } = await browser(3)
    await Promise.all(tabs.map((t) => t.client.getToken()))
    const leader = tabs.find((t) => t.client.isLeader())!
    leader.close()
    await clock.advanceAsync(100)
    const rest = tabs.filter((t) => t !== leader)
    expect(leaders(rest)).toBe(1)
    adapter.resetCalls()
    await Promise.all(rest.map((t) => t.client.getToken()))
    expect(adapter.calls.createToken).toBeLessThanOrEqual(1)
  })

  it('steals leadership from a frozen leader within a few seconds', async () => {
    const { clock, hub, tabs } = await browser(3)
    const before = tabs.find((t) => t.client.isLeader())!
    // A frozen tab keeps its lock but sends nothing: silence the leader's heartbeats.
    let frozenTab: string | null = null
    hub.conditions.drop = (m) => {
      const message = m as { type: string; from: string }
      if (message.type !== 'heartbeat') return false
      frozenTab ??= message.from
      return message.from === frozenTab
    }
    await clock.advanceAsync(10 * SECOND)
    expect(leaders(tabs)).toBe(1)
    expect(before.client.isLeader()).toBe(false)
  })
})

describe('given an unreliable channel', () => {
  it('ignores malformed and unknown messages without throwing', async () => {
    const { clock, hub, tabs } = await browser(2)
    const stranger = hub.tab().channel('sessionkit:memory')
    for (const junk of [null, 42, 'x', { v: 1 }, { v: 2, from: 'a', type: 'stay', at: 1 }, { v: 1, from: 'a', type: 'nope' },
      { v: 1, from: 'a', type: 'client', at: Date.now() * 2, client: { sessions: 'no' } },
      { v: 1, from: 'a', type: 'token', sessionId: 's', template: null, organizationId: null, jwt: 'garbage', requestId: null }]) {
      stranger.postMessage(junk)
    }
    await clock.advanceAsync(100)
    for (const tab of tabs) expect(tab.client.getState().status).toBe('signed-in')
  })

  it('signs out on a sign-out whose reason this version does not know (another version in a tab), as revoked', async () => {
    for (const reason of ['logged-out-by-admin', 'constructor', 'toString']) {
      const { clock, hub, tabs } = await browser(1)
      const stranger = hub.tab().channel('sessionkit:memory')
      stranger.postMessage({ v: 1, from: 'newer-version', type: 'signed-out', at: clock.now(), reason, sessionId: null })
      await clock.advanceAsync(3_000)
      const state = tabs[0]!.client.getState()
      expect(state.status, reason).toBe('signed-out')
      expect(state.signOutReason, reason).toBe('revoked')
      // A made-up reason never becomes the ended session's status.
      expect(state.sessions.map((s) => s.status), reason).toEqual(['ended'])
    }
  })

  it('follows server state from a tab of an older version, which does not say when the server produced it', async () => {
    const { clock, adapter, hub, tabs } = await browser(1)
    const stranger = hub.tab().channel('sessionkit:memory')
    // Ended elsewhere; the older tab heard the answer after this one's last.
    const ended = await adapter.endSession(tabs[0]!.client.getState().session!.id, { reason: 'signed-out' })
    stranger.postMessage({ v: 1, from: 'older-version', type: 'client', at: clock.now(), client: ended.data })
    await clock.advanceAsync(3_000)
    expect(tabs[0]!.client.getState().status).toBe('signed-out')
  })

  it('converges when messages are duplicated and reordered', async () => {
    const { clock, tabs } = await browser(3, { conditions: { duplicate: true, maxDelayMs: 300 } })
    await tabs[0]!.client.signIn({ identifier: 'grace@example.com', password: 'password' })
    await clock.advanceAsync(1 * SECOND)
    await tabs[2]!.client.touch()
    await tabs[1]!.client.signOut()
    await clock.advanceAsync(1 * SECOND)
    for (const tab of tabs) expect(tab.client.getState().status).toBe('signed-out')
    await tabs[2]!.client.signIn({ identifier: 'ada@example.com', password: 'password' })
    await clock.advanceAsync(1 * SECOND)
    const ids = tabs.map((t) => t.client.getState().session?.id)
    expect(new Set(ids).size).toBe(1)
    expect(ids[0]).toBeTruthy()
  })

  it('still signs a tab out through the server when the sign-out message is lost', async () => {
    const { clock, hub, tabs } = await browser(2)
    hub.conditions.drop = (m) => (m as { type: string }).type === 'signed-out' || (m as { type: string }).type === 'client'
    await tabs[0]!.client.signOut()
    await clock.advanceAsync(100)
    expect(tabs[1]!.client.getState().status).toBe('signed-in')
    const token = tabs[1]!.client.getToken({ skipCache: true, throwOnError: false })
    await clock.advanceAsync(5 * SECOND)
    expect(await token).toBeNull()
    expect(tabs[1]!.client.getState().status).toBe('signed-out')
  })
})

describe('without BroadcastChannel or Web Locks', () => {
  it('lets each tab work alone, correctly', async () => {
    const clock = createVirtualClock()
    const adapter = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com' })
    const hub = createMemoryTabHub(clock)
    const alone = [0, 1].map(() => openTab(clock, adapter, hub, { crossTab: false }).client)
    await clock.advanceAsync(0)
    for (const client of alone) {
      expect(client.isLeader()).toBe(true)
      expect(sidOf(await client.getToken())).toBe(client.getState().session!.id)
    }
    await alone[0]!.signOut()
    expect(alone[0]!.getState().status).toBe('signed-out')
    expect(alone[1]!.getState().status).toBe('signed-in')
    await clock.advanceAsync(10 * MINUTE)
    expect(alone[1]!.getState().status).toBe('signed-out')
  })
})

describe('a message from another tab', () => {
  const valid = [
    { type: 'activity', at: 1 },
    { type: 'stay', at: 1 },
    { type: 'client', at: 1, client: {} },
    { type: 'session', at: 1, session: {} },
    { type: 'client', at: 1, serverNow: 2, client: {} },
    { type: 'client', at: 1, sentAt: 1, serverNow: 2, client: {} },
    { type: 'session', at: 1, serverNow: 2, session: {} },
    { type: 'signed-out', at: 1, reason: 'idle', sessionId: null },
    { type: 'signed-out', at: 1, reason: 'idle', sessionId: 's' },
    { type: 'token', jwt: 'j', requestId: null, sessionId: 's', template: null, organizationId: null },
    { type: 'token', jwt: 'j', expiresAt: 2, requestId: 'r', sessionId: 's', template: 't', organizationId: 'o' },
    { type: 'token-request', requestId: 'r', sessionId: 's', template: null, organizationId: null },
    { type: 'token-request', requestId: 'r', sessionId: 's', template: 't', organizationId: 'o', leewayInSeconds: 30 },
    { type: 'token-ack', requestId: 'r' },
    { type: 'token-error', requestId: 'r', code: 'network_error' },
    { type: 'heartbeat' },
    { type: 'hello' },
  ].map((body) => ({ ...body, v: 1, from: 'a' }))

  it('is taken when it has every field of its type', () => {
    for (const message of valid) expect(parseTabMessage(message)).toBe(message)
  })

  it('is ignored when any field is missing or of the wrong kind, or it is of another version or an unknown type', () => {
    for (const message of valid) {
      // The resources inside client and session are left to the response parsers.
      for (const field of Object.keys(message).filter((f) => f !== 'type' && f !== 'client' && f !== 'session')) {
        const label = `${message.type}.${field}`
        expect(parseTabMessage({ ...message, [field]: {} }), label).toBeFalsy()
        // Optional fields: a tab of an older version leaves them out.
        if (field !== 'expiresAt' && field !== 'leewayInSeconds' && field !== 'serverNow' && field !== 'sentAt') expect(parseTabMessage({ ...message, [field]: undefined }), label).toBeFalsy()
        if (field === 'at' || field === 'expiresAt' || field === 'leewayInSeconds' || field === 'serverNow' || field === 'sentAt') {
          for (const wrong of ['1', Number.NaN, Number.POSITIVE_INFINITY, null]) expect(parseTabMessage({ ...message, [field]: wrong }), label).toBeFalsy()
        }
        if (field === 'jwt' || field === 'reason' || field === 'code' || field === 'from') expect(parseTabMessage({ ...message, [field]: null }), label).toBeFalsy()
        if (field === 'requestId' && message.type !== 'token') expect(parseTabMessage({ ...message, requestId: null }), label).toBeFalsy()
        if (field === 'sessionId' && message.type !== 'signed-out') expect(parseTabMessage({ ...message, sessionId: null }), label).toBeFalsy()
      }
    }
    for (const junk of [null, undefined, 42, 'x', { v: 2, from: 'a', type: 'hello' }, { v: 1, type: 'hello' }]) expect(parseTabMessage(junk)).toBeFalsy()
    for (const type of ['nope', 'toString', 'constructor', '__proto__', 'hasOwnProperty']) expect(parseTabMessage({ v: 1, from: 'a', type })).toBeFalsy()
  })
})
