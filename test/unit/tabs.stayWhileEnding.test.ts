import { afterEach, describe, expect, it } from 'vitest'
import { MINUTE, SECOND } from './helpers'
import { closeInputTabs, tabsWithInput } from './tabsWithInput'

// Once the time is up and beforeSignOut runs, it is too late to stay: the warning says the session cannot be
// extended (no "Stay signed in"), and a touch then renews nothing: the tab signs out as decided.

afterEach(closeInputTabs)

describe('given two tabs, an idle limit of 5 min, a beforeSignOut that takes 1.5 s', () => {
  it('at 0:00 while the hooks run, the warning cannot be extended and "Stay signed in" renews nothing: every tab signs out', async () => {
    const { clock, adapter, tabs, until } = await tabsWithInput(2, {
      idleTimeout: 5 * MINUTE,
      warnBefore: 60 * SECOND,
      beforeSignOut: () => new Promise<void>(() => undefined),
      beforeSignOutTimeout: 1_500,
    })
    const follower = tabs.find((tab) => !tab.client.isLeader())!
    const sessionId = follower.client.getState().session!.id
    adapter.resetCalls()
    await until(5 * MINUTE + 500)
    expect(follower.client.getState()).toMatchObject({ status: 'signed-in', phase: 'warning', renewable: false })
    await follower.client.touch()
    await clock.advanceAsync(0)
    expect(adapter.calls.touchSession).toBe(0)
    await until(5 * MINUTE + 3 * SECOND)
    for (const tab of tabs) expect(tab.client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'idle' })
    expect(adapter.peek(sessionId)!.status).not.toBe('active')
  })
})
