import { afterEach, describe, expect, it } from 'vitest'
import { MINUTE, SECOND } from './helpers'
import { closeInputTabs, tabsWithInput } from './tabsWithInput'

// The tab that signs a session out first at a deadline tells the server. Offline, it keeps telling it until
// it hears; should that tab close before then, the other tabs must still tell it: else a reload finds the
// session still signed in (a client-only idle limit shorter than the server's inactivity timeout).

afterEach(closeInputTabs)

describe('given two tabs, an idle limit of 5 min (the server\'s 10 min), the server unreachable', () => {
  it('the first tab to sign out closes before the server heard it: the other tab tells the server once it is back', async () => {
    const { adapter, tabs, until } = await tabsWithInput(2, { idleTimeout: 5 * MINUTE, beforeSignOut: () => new Promise<void>(() => undefined), beforeSignOutTimeout: 100 })
    const sessionId = tabs[0]!.client.getState().session!.id
    adapter.fail('offline')
    await until(5 * MINUTE + 5 * SECOND)
    for (const tab of tabs) expect(tab.client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'idle' })
    const leader = tabs.find((tab) => tab.client.isLeader())!
    const other = tabs.find((tab) => tab !== leader)!
    leader.close()
    adapter.fail(null)
    other.input.dispatchEvent(new Event('online'))
    await until(8 * MINUTE)
    expect(adapter.peek(sessionId)!.status).not.toBe('active')
  })

  it('online, the server is told once', async () => {
    const { adapter, tabs, until } = await tabsWithInput(2, { idleTimeout: 5 * MINUTE, beforeSignOut: () => new Promise<void>(() => undefined), beforeSignOutTimeout: 100 })
    const sessionId = tabs[0]!.client.getState().session!.id
    adapter.resetCalls()
    await until(6 * MINUTE)
    expect(adapter.calls.endSession).toBe(1)
    expect(adapter.peek(sessionId)!.status).not.toBe('active')
  })
})

describe('given three tabs, an idle limit of 5 min, and the server answering the sign-out at the deadline', () => {
  it('"already over" (401): the server knows, and no other tab tells it again', async () => {
    const { adapter, until } = await tabsWithInput(3, { idleTimeout: 5 * MINUTE, beforeSignOut: () => new Promise<void>(() => undefined), beforeSignOutTimeout: 100 })
    adapter.fail('unauthenticated', { only: ['endSession'], times: 1 })
    adapter.resetCalls()
    await until(7 * MINUTE)
    expect(adapter.calls.endSession).toBe(1)
  })
})
