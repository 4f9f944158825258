import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryAdapter } from '../../src/adapters/memory'
import { createMemoryTabHub } from '../../src/core/tabs/memoryTransport'
import type { SessionClient } from '../../src/core/types'
import { createVirtualClock, type VirtualClock } from '../../src/core/virtualClock'
import { SECOND, SHORT_POLICY } from './helpers'
import { closeOpenedTabs, openTabs } from './tabHelpers'

/**
 * How long a follower tab's getToken takes when the leading tab cannot
 * answer: it freezes (a background tab the browser stopped), or it goes away
 * while the follower waits. What the user sees is "Calling…" on a button.
 */

afterEach(() => {
  closeOpenedTabs()
})

/** Three tabs of one browser on a server that takes `latencyMs` per call; each has fetched the shared token. */
async function threeTabs(latencyMs = 100) {
  const clock = createVirtualClock()
  const adapter = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com', latencyMs })
  const hub = createMemoryTabHub(clock)
  const tabs = openTabs(clock, adapter, hub, 3)
  await clock.advanceAsync(latencyMs + 100)
  const tokens = Promise.all(tabs.map((tab) => tab.client.getToken()))
  await clock.advanceAsync(2 * latencyMs + 100)
  expect(new Set(await tokens).size).toBe(1)
  const leader = tabs.find((tab) => tab.client.isLeader())!
  const followers = tabs.filter((tab) => tab !== leader)
  return { clock, adapter, hub, leader, followers }
}

/** Calls getToken and moves the clock in 50 ms steps until it settles: how long the user waited, and what came back. */
async function timedGetToken(clock: VirtualClock, client: SessionClient) {
  const started = clock.now()
  let settled = false
  const token = client.getToken().finally(() => {
    settled = true
  })
  for (let i = 0; i < 200 && !settled; i++) await clock.advanceAsync(50)
  return { waitedMs: clock.now() - started, token: await token }
}

/** The memory adapter's tokens last 60 s and are served while more than 10 s (the leeway) are left. */
const UNTIL_TOKEN_IS_DUE = 51 * SECOND

describe('given a follower tab whose token is due', () => {
  it('gets one within 1 s when the leading tab froze (it answers nothing, not even heartbeats)', async () => {
    const { clock, hub, followers } = await threeTabs()
    await clock.advanceAsync(UNTIL_TOKEN_IS_DUE - 3 * SECOND)
    // The leader is frozen from now on: nothing it sends reaches the other tabs.
    let frozenTab: string | null = null
    hub.conditions.drop = (message) => {
      const { type, from } = message as { type: string; from: string }
      if (type === 'heartbeat') frozenTab ??= from
      return from === frozenTab
    }
    await clock.advanceAsync(3 * SECOND)
    expect(frozenTab).not.toBeNull()
    const { waitedMs, token } = await timedGetToken(clock, followers[0]!.client)
    expect(token).not.toBeNull()
    expect(waitedMs).toBeLessThan(1 * SECOND)
  })

  it('gets one within one round trip when the leading tab closes while the follower waits for it, and takes over', async () => {
    const { clock, leader, followers } = await threeTabs()
    await clock.advanceAsync(UNTIL_TOKEN_IS_DUE)
    const started = clock.now()
    let settled = false
    const token = followers[0]!.client.getToken().finally(() => {
      settled = true
    })
    // The request is on its way to the leader, which closes before reading it.
    leader.close()
    for (let i = 0; i < 200 && !settled; i++) await clock.advanceAsync(50)
    expect(await token).not.toBeNull()
    // First in the queue for the lock, this follower leads now: nobody else was going to answer it.
    expect(followers[0]!.client.isLeader()).toBe(true)
    expect(clock.now() - started).toBeLessThanOrEqual(500)
  })

  it('waits for the leader\'s token rather than minting its own when the server is slow (2 s a call)', async () => {
    const { clock, adapter, followers } = await threeTabs(2 * SECOND)
    await clock.advanceAsync(UNTIL_TOKEN_IS_DUE)
    adapter.resetCalls()
    const { token } = await timedGetToken(clock, followers[0]!.client)
    expect(token).not.toBeNull()
    expect(adapter.calls.createToken).toBe(1)
  })

  it('gets the new leader\'s token without minting one more when the leader closes after acknowledging two followers\' requests', async () => {
    const { clock, adapter, leader, followers } = await threeTabs(400)
    await clock.advanceAsync(UNTIL_TOKEN_IS_DUE)
    adapter.resetCalls()
    const started = clock.now()
    const waited = followers.map((follower) =>
      follower.client.getToken().then((token) => ({ token, waitedMs: clock.now() - started })),
    )
    // Both requests are acknowledged; the leader closes while the server mints.
    await clock.advanceAsync(50)
    leader.close()
    for (let i = 0; i < 100; i++) await clock.advanceAsync(50)
    const answers = await Promise.all(waited)
    // The follower that takes over mints one token and shares it; the other one uses it.
    expect(new Set(answers.map((answer) => answer.token)).size).toBe(1)
    expect(Math.max(...answers.map((answer) => answer.waitedMs))).toBeLessThanOrEqual(500)
    expect(adapter.calls.createToken).toBe(2)
  })
})

describe('given a follower tab waiting for the leader\'s token', () => {
  it.each([0, 50])('mints no token when the user signs out in the leading tab %i ms after the follower asked', async (afterMs) => {
    const { clock, adapter, leader, followers } = await threeTabs(200)
    await clock.advanceAsync(UNTIL_TOKEN_IS_DUE)
    adapter.resetCalls()
    const token = followers[0]!.client.getToken()
    await clock.advanceAsync(afterMs)
    const minted = adapter.calls.createToken
    void leader.client.signOut()
    for (let i = 0; i < 100; i++) await clock.advanceAsync(50)
    expect(await token).toBeNull()
    for (const follower of followers) expect(follower.client.getState().status).toBe('signed-out')
    // The leader's mint, if it had begun one, is all: no tab asks the server for a token after the sign-out.
    expect(adapter.calls.createToken).toBe(minted)
  })

  it('mints no token when its request reaches the leading tab only after the user signed out there', async () => {
    const { clock, adapter, hub, leader, followers } = await threeTabs(200)
    await clock.advanceAsync(UNTIL_TOKEN_IS_DUE)
    adapter.resetCalls()
    // The request is held on its way, and delivered once the leader has signed out.
    let held: unknown = null
    hub.conditions.drop = (message) => {
      if ((message as { type: string }).type !== 'token-request' || held) return false
      held = message
      return true
    }
    const token = followers[0]!.client.getToken()
    await clock.advanceAsync(0)
    expect(held).not.toBeNull()
    void leader.client.signOut()
    await clock.advanceAsync(10)
    hub.tab().channel(`sessionkit:${adapter.key}`).postMessage(held)
    for (let i = 0; i < 100; i++) await clock.advanceAsync(50)
    expect(await token).toBeNull()
    expect(adapter.calls.createToken).toBe(0)
  })
})
