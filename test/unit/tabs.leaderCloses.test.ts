import { afterEach, describe, expect, it } from 'vitest'
import { MINUTE, SECOND } from './helpers'
import { closeInputTabs, tabsWithInput } from './tabsWithInput'

// Input the leading tab had not reported to the server yet (its trailing touch was still to come) must
// not be lost when that tab closes: the tab that takes over reports it, so the warning and the server's
// inactivity deadline still count from the user's last input.

afterEach(closeInputTabs)

const press = (target: EventTarget) => target.dispatchEvent(new Event('keydown'))

describe('given two tabs, the leading one closing 5 s after input it has not reported yet', () => {
  it.each(['leading', 'other'])('input in the %s tab is reported by the tab that takes over, and its warning counts from it', async (where) => {
    const { adapter, tabs, until } = await tabsWithInput(2)
    const leader = tabs.find((tab) => tab.client.isLeader())!
    const other = tabs.find((tab) => tab !== leader)!
    await until(50 * SECOND)
    press((where === 'leading' ? leader : other).input)
    await until(55 * SECOND)
    adapter.resetCalls()
    leader.close()
    await until(2 * MINUTE)
    expect(other.client.isLeader()).toBe(true)
    expect(adapter.calls.touchSession).toBe(1)
    // 10 min of inactivity from the input at 0:50, reported at 1:00: the warning opens at 10:00.
    await until(9 * MINUTE + 55 * SECOND)
    expect(other.client.getState()).toMatchObject({ status: 'signed-in', phase: 'active' })
    expect(adapter.peek(other.client.getState().session!.id)!.status).toBe('active')
    await until(10 * MINUTE + 1 * SECOND)
    expect(other.client.getState().phase).toBe('warning')
  })
})
