import { afterEach, describe, expect, it } from 'vitest'
import { MINUTE, SECOND } from './helpers'
import { closeInputTabs, tabsWithInput } from './tabsWithInput'

// While the warning shows, only "Stay signed in" renews: a key press in one tab must not close the
// warning in the others (they would then be signed out with no warning showing).

afterEach(closeInputTabs)

const press = (target: EventTarget, type = 'keydown') => target.dispatchEvent(new Event(type))

describe('given three tabs, the user working in one, an idle limit of 5 min', () => {
  it('a key press during the warning closes it in no tab: every tab keeps one deadline, warns, and signs out for idle', async () => {
    const { tabs, until } = await tabsWithInput(3, { idleTimeout: 5 * MINUTE, warnBefore: 60 * SECOND })
    await until(1 * MINUTE)
    press(tabs[0]!.input)
    await until(5 * MINUTE + 20 * SECOND)
    for (const tab of tabs) expect(tab.client.getState().phase).toBe('warning')
    const deadline = tabs[0]!.client.getState().deadline
    // A key press that is not "Stay signed in", in the tab the user works in.
    press(tabs[0]!.input)
    await until(5 * MINUTE + 21 * SECOND)
    press(tabs[2]!.input, 'focus')
    await until(5 * MINUTE + 22 * SECOND)
    expect(tabs.map((tab) => tab.client.getState().phase)).toEqual(['warning', 'warning', 'warning'])
    expect(tabs.map((tab) => tab.client.getState().deadline)).toEqual([deadline, deadline, deadline])
    await until(6 * MINUTE + 1 * SECOND)
    for (const tab of tabs) expect(tab.client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'idle' })
  })

  it('a tab opened after a key press during the warning shows the same countdown', async () => {
    const { tabs, until, open } = await tabsWithInput(2, { idleTimeout: 5 * MINUTE, warnBefore: 60 * SECOND })
    await until(1 * MINUTE)
    press(tabs[0]!.input)
    await until(5 * MINUTE + 20 * SECOND)
    press(tabs[1]!.input)
    await until(5 * MINUTE + 21 * SECOND)
    const deadline = tabs[0]!.client.getState().deadline
    const late = open()
    await until(5 * MINUTE + 22 * SECOND)
    expect([tabs[1]!.client.getState().deadline, late.client.getState().deadline]).toEqual([deadline, deadline])
    expect(late.client.getState().phase).toBe('warning')
  })

  it('input news during the warning from a tab of an older version (it still sends it) closes the warning nowhere, in a tab opened later neither', async () => {
    const { clock, hub, tabs, until, open } = await tabsWithInput(2, { idleTimeout: 5 * MINUTE, warnBefore: 60 * SECOND })
    await until(1 * MINUTE)
    press(tabs[0]!.input)
    await until(5 * MINUTE + 20 * SECOND)
    const deadline = tabs[0]!.client.getState().deadline
    hub.tab().channel('sessionkit:memory').postMessage({ v: 1, from: 'older-version', type: 'activity', at: clock.now() })
    await until(5 * MINUTE + 21 * SECOND)
    for (const tab of tabs) press(tab.input, 'focus')
    const late = open()
    await until(5 * MINUTE + 22 * SECOND)
    expect([...tabs, late].map((tab) => tab.client.getState().deadline)).toEqual([deadline, deadline, deadline])
    expect([...tabs, late].map((tab) => tab.client.getState().phase)).toEqual(['warning', 'warning', 'warning'])
  })
})
