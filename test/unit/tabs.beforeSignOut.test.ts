import { afterEach, describe, expect, it } from 'vitest'
import type { BeforeSignOutInfo, SignOutReason } from '../../src/core/types'
import type { VirtualClock } from '../../src/core/virtualClock'
import { MINUTE, SECOND } from './helpers'
import { closeInputTabs, tabsWithInput, type InputTab } from './tabsWithInput'

// beforeSignOut saves each tab's own work (a draft typed in that tab): every tab that has one runs it,
// bounded by beforeSignOutTimeout, before it signs out at a deadline or on a remote sign-out, also when
// the news of another tab's sign-out comes first. Only one tab tells the server.

afterEach(closeInputTabs)

/** Three tabs whose beforeSignOut saves for `saveMs(tab)` ms; what each tab's hook and signedOut event saw. */
async function threeTabsThatSave(saveMs: (tab: InputTab) => number, timeoutMs?: number) {
  const saved: { tab: number; info: BeforeSignOutInfo; status: string; token: string | null }[] = []
  const signedOut: { tab: number; reason: SignOutReason }[] = []
  let clock!: VirtualClock
  const env = await tabsWithInput(3, (index) => ({
    beforeSignOutTimeout: timeoutMs,
    beforeSignOut: async (info) => {
      const { client } = env.tabs[index]!
      const status = client.getState().status
      // Saving with a token: the one the tab already holds, if the time is not up.
      saved.push({ tab: index, info, status, token: await client.getToken() })
      await new Promise<void>((resolve) => clock.setTimeout(resolve, saveMs(env.tabs[index]!)))
    },
  }))
  clock = env.clock
  env.tabs.forEach((tab, index) => tab.client.on('signedOut', ({ reason }) => void signedOut.push({ tab: index, reason })))
  const leader = env.tabs.findIndex((tab) => tab.client.isLeader())
  return { ...env, saved, signedOut, leader }
}

describe('given three tabs, each with work of its own to save', () => {
  it('at the deadline every tab saves its own (a follower slower than the leader too), then signs out once; the server is told once', async () => {
    const { adapter, tabs, until, saved, signedOut, leader } = await threeTabsThatSave((tab) => (tab.client.isLeader() ? 300 : 1_200))
    const sessionId = tabs[0]!.client.getState().session!.id
    adapter.resetCalls()
    await until(10 * MINUTE)
    expect(saved.map((s) => s.tab).sort()).toEqual([0, 1, 2])
    for (const s of saved) expect(s).toMatchObject({ info: { reason: 'inactivity', sessionId }, status: 'signed-in' })
    await until(10 * MINUTE + 600)
    // The leader is done and signed out; its news reached the followers, still saving: they wait for their own.
    expect(tabs.map((tab) => tab.client.getState().status)).toEqual(tabs.map((_, index) => (index === leader ? 'signed-out' : 'signed-in')))
    await until(10 * MINUTE + 1_300)
    for (const tab of tabs) expect(tab.client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'inactivity' })
    expect(signedOut.map((s) => s.tab).sort()).toEqual([0, 1, 2])
    for (const s of signedOut) expect(s.reason).toBe('inactivity')
    expect(saved).toHaveLength(3)
    await until(11 * MINUTE)
    expect(adapter.calls.endSession).toBe(1)
    expect(adapter.peek(sessionId)!.status).not.toBe('active')
  })

  it('a follower whose save never ends signs out beforeSignOutTimeout after the deadline, once', async () => {
    const { tabs, until, signedOut, leader } = await threeTabsThatSave((tab) => (tab.client.isLeader() ? 100 : 60 * MINUTE), 1_500)
    await until(10 * MINUTE + 1_400)
    expect(tabs.filter((_, index) => index !== leader).map((tab) => tab.client.getState().status)).toEqual(['signed-in', 'signed-in'])
    await until(10 * MINUTE + 1_600)
    for (const tab of tabs) expect(tab.client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'inactivity' })
    expect(signedOut).toHaveLength(3)
  })

  it('on a sign-out the leader hears of from the server, every tab saves, with the token it already holds', async () => {
    const { clock, adapter, tabs, saved, signedOut, leader } = await threeTabsThatSave(() => 200)
    const held = await Promise.all(tabs.map((tab) => tab.client.getToken()))
    const sessionId = tabs[0]!.client.getState().session!.id
    // Revoked on another device: only the leader's next touch hears of it.
    await adapter.endSession(sessionId)
    await tabs[leader]!.client.touch().catch(() => undefined)
    await clock.advanceAsync(1 * SECOND)
    expect(saved.map((s) => s.tab).sort()).toEqual([0, 1, 2])
    for (const s of saved) expect(s).toMatchObject({ info: { reason: 'revoked', sessionId }, status: 'signed-in', token: held[s.tab] })
    for (const tab of tabs) expect(tab.client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'revoked' })
    expect(signedOut.map((s) => `${s.tab} ${s.reason}`).sort()).toEqual(['0 revoked', '1 revoked', '2 revoked'])
  })

  it('the user\'s own sign-out in a follower waits for no tab\'s save', async () => {
    const { clock, tabs, saved } = await threeTabsThatSave(() => 1_000)
    const follower = tabs.find((tab) => !tab.client.isLeader())!
    await follower.client.signOut()
    await clock.advanceAsync(10)
    for (const tab of tabs) expect(tab.client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'signed-out' })
    expect(saved).toEqual([])
  })
})
