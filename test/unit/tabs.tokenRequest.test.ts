import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemoryAdapter } from '../../src/adapters/memory'
import { decodeJwt } from '../../src/core/jwt'
import { createMemoryTabHub } from '../../src/core/tabs/memoryTransport'
import type { SessionClient } from '../../src/core/types'
import { createVirtualClock, type VirtualClock } from '../../src/core/virtualClock'
import { MINUTE, SECOND, SHORT_POLICY } from './helpers'
import { closeOpenedTabs, openTabs } from './tabHelpers'

/**
 * What a follower tab's getToken options mean when the token comes from the
 * leading tab: `skipCache` and `leewayInSeconds` must hold there as in a tab
 * alone, and a token the follower fetched itself must not cost the leader its
 * background refresh. The memory adapter's tokens last 60 s.
 */

afterEach(() => {
  closeOpenedTabs()
  vi.restoreAllMocks()
})

/** Two tabs of one browser on a server that takes `latencyMs` per call; `drop` may lose messages between them. */
async function twoTabs(latencyMs = 0) {
  const clock = createVirtualClock()
  const adapter = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com', latencyMs })
  const conditions: { drop?: (message: unknown) => boolean } = {}
  const hub = createMemoryTabHub(clock, conditions)
  const tabs = openTabs(clock, adapter, hub, 2)
  await clock.advanceAsync(latencyMs + 100)
  const leader = tabs.find((tab) => tab.client.isLeader())!.client
  const follower = tabs.find((tab) => !tab.client.isLeader())!.client
  return { clock, adapter, conditions, leader, follower }
}

/** Calls getToken and moves the clock in 10 ms steps until it settles: how long the user waited, and what came back. */
async function timedGetToken(clock: VirtualClock, call: () => Promise<string | null>) {
  const started = clock.now()
  let settled = false
  const token = call().finally(() => {
    settled = true
  })
  for (let i = 0; i < 500 && !settled; i++) await clock.advanceAsync(10)
  return { waitedMs: clock.now() - started, token: await token }
}

/** Milliseconds a token has left on the server's clock, as `client` sees it. */
const leftOf = (token: string | null, client: SessionClient) => decodeJwt(token!).exp * SECOND - client.serverNow()

describe('given a follower tab and a leader holding a fresh token', () => {
  it('mints a new token for the follower with skipCache, and every tab uses it from then on', async () => {
    const { clock, adapter, leader, follower } = await twoTabs()
    const first = await leader.getToken()
    await clock.advanceAsync(2 * SECOND)
    adapter.resetCalls()
    const { token } = await timedGetToken(clock, () => follower.getToken({ skipCache: true }))
    expect(adapter.calls.createToken).toBe(1)
    expect(token).not.toBe(first)
    // The new token reached the leader too: the old one, which the caller distrusted, is used nowhere.
    expect(await leader.getToken()).toBe(token)
    expect(adapter.calls.createToken).toBe(1)
  })

  it("hands the follower a token with more than the follower's own leeway left", async () => {
    const { clock, leader, follower } = await twoTabs()
    await leader.getToken()
    // 25 s left: enough for the leader's default leeway (10 s), not for the follower's 30 s.
    await clock.advanceAsync(35 * SECOND)
    const { token } = await timedGetToken(clock, () => follower.getToken({ leewayInSeconds: 30 }))
    expect(leftOf(token, follower)).toBeGreaterThan(30 * SECOND)
  })

  it('costs the server one mint when the follower asks with a leeway at or above the token lifetime', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { clock, adapter, leader, follower } = await twoTabs(100)
    await timedGetToken(clock, () => leader.getToken())
    await clock.advanceAsync(2 * SECOND)
    adapter.resetCalls()
    // Every token is inside a 60 s leeway: the one the leader mints for this request is the freshest there is.
    const { token } = await timedGetToken(clock, () => follower.getToken({ leewayInSeconds: 60 }))
    expect(adapter.calls.createToken).toBe(1)
    expect(leftOf(token, follower)).toBeGreaterThan(58 * SECOND)
  })

  it('fetches a token itself when a leader of an older version, which ignores the leeway asked for, hands over one inside it', async () => {
    const { clock, adapter, conditions, leader, follower } = await twoTabs()
    await leader.getToken()
    await clock.advanceAsync(35 * SECOND)
    // An older leader reads the request without the field it does not know.
    conditions.drop = (message) => {
      delete (message as { leewayInSeconds?: number }).leewayInSeconds
      return false
    }
    adapter.resetCalls()
    const { token } = await timedGetToken(clock, () => follower.getToken({ leewayInSeconds: 30 }))
    expect(leftOf(token, follower)).toBeGreaterThan(30 * SECOND)
    expect(adapter.calls.createToken).toBe(1)
  })

  it('still fetches a token itself when an older leader, asked with a leeway at or above the lifetime, hands over one it had cached', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { clock, adapter, conditions, leader, follower } = await twoTabs(100)
    await timedGetToken(clock, () => leader.getToken())
    await clock.advanceAsync(5 * SECOND)
    conditions.drop = (message) => {
      delete (message as { leewayInSeconds?: number }).leewayInSeconds
      return false
    }
    adapter.resetCalls()
    const { token } = await timedGetToken(clock, () => follower.getToken({ leewayInSeconds: 60 }))
    // The leader's cached token is 5 s old: the follower's own is fresher.
    expect(adapter.calls.createToken).toBe(1)
    expect(leftOf(token, follower)).toBeGreaterThan(58 * SECOND)
  })

  it('keeps the leader refreshing ahead of time after the follower fetched a token itself: no call of the leader waits for the server', async () => {
    const { clock, conditions, leader, follower } = await twoTabs(100)
    await timedGetToken(clock, () => leader.getToken())
    await clock.advanceAsync(35 * SECOND)
    // One token request is lost: after 500 ms without an answer the follower fetches the token itself and shares it.
    let lost = 0
    conditions.drop = (message) => (message as { type: string }).type === 'token-request' && lost++ === 0
    const { token } = await timedGetToken(clock, () => follower.getToken({ leewayInSeconds: 30 }))
    expect(lost).toBe(1)
    expect(await leader.getToken()).toBe(token)
    // The app in the leading tab calls its API every 2 s for two token lifetimes.
    const waits: number[] = []
    for (let elapsed = 0; elapsed < 2 * MINUTE; elapsed += 2 * SECOND) {
      const { waitedMs } = await timedGetToken(clock, () => leader.getToken())
      waits.push(waitedMs)
      await clock.advanceAsync(2 * SECOND - waitedMs)
    }
    expect(Math.max(...waits)).toBeLessThan(100)
  })
})
