import { afterEach, describe, expect, it } from 'vitest'
import { createSessionClient } from '../../src/core/client'
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

describe('given two tabs, an idle limit of 5 min, signed out while offline, and a tab opened before the server heard it', () => {
  const idleOptions = { idleTimeout: 5 * MINUTE, beforeSignOut: () => new Promise<void>(() => undefined), beforeSignOutTimeout: 100 }

  it('the tabs that heard it close: the late tab tells the server once it is back, and a reload finds the user signed out', async () => {
    const { adapter, tabs, until, open } = await tabsWithInput(2, idleOptions)
    const sessionId = tabs[0]!.client.getState().session!.id
    adapter.fail('offline')
    await until(5 * MINUTE + 5 * SECOND)
    const late = open()
    await until(5 * MINUTE + 10 * SECOND)
    for (const tab of tabs) tab.close()
    adapter.fail(null)
    late.input.dispatchEvent(new Event('online'))
    await until(9 * MINUTE)
    late.close()
    const reload = open()
    await until(9 * MINUTE + 10 * SECOND)
    expect(adapter.peek(sessionId)!.status).not.toBe('active')
    expect(reload.client.getState().status).toBe('signed-out')
  })

  it('a tab opened from a fresh server snapshot (which names the session active) tells the server too', async () => {
    const { clock, adapter, hub, tabs, until } = await tabsWithInput(2, idleOptions)
    const sessionId = tabs[0]!.client.getState().session!.id
    adapter.fail('offline', { only: ['endSession'] })
    await until(5 * MINUTE + 5 * SECOND)
    const answer = await adapter.getClient()
    const input = new EventTarget()
    const transport = hub.tab()
    const late = createSessionClient({ adapter, clock, eventTarget: input, crossTab: transport, initialClient: { client: answer.data, serverNow: answer.serverNow } })
    const unmount = late.mount()
    await until(5 * MINUTE + 10 * SECOND)
    for (const tab of tabs) tab.close()
    adapter.fail(null)
    input.dispatchEvent(new Event('online'))
    await until(9 * MINUTE)
    expect(late.getState().status).toBe('signed-out')
    expect(adapter.peek(sessionId)!.status).not.toBe('active')
    unmount()
    late.destroy()
    transport.close()
  })

  it('a session signed in afterwards in the late tab stays signed in', async () => {
    const { adapter, tabs, until, open } = await tabsWithInput(2, idleOptions)
    adapter.fail('offline')
    await until(5 * MINUTE + 5 * SECOND)
    const late = open()
    await until(5 * MINUTE + 10 * SECOND)
    for (const tab of tabs) tab.close()
    adapter.fail(null)
    late.input.dispatchEvent(new Event('online'))
    await until(6 * MINUTE)
    await late.client.signIn({ identifier: 'ada@example.com', password: 'password' })
    const signedIn = late.client.getState().session!.id
    await until(7 * MINUTE)
    expect(adapter.peek(signedIn)!.status).toBe('active')
    expect(late.client.getState().status).toBe('signed-in')
  })

  it('online, a tab opened after the sign-out does not tell the server again', async () => {
    const { adapter, tabs, until, open } = await tabsWithInput(2, idleOptions)
    adapter.resetCalls()
    await until(5 * MINUTE + 5 * SECOND)
    const late = open()
    await until(5 * MINUTE + 10 * SECOND)
    late.input.dispatchEvent(new Event('online'))
    late.input.dispatchEvent(new Event('visibilitychange'))
    await until(7 * MINUTE)
    expect(adapter.calls.endSession).toBe(1)
    expect(late.client.getState().status).toBe('signed-out')
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

describe('given a user who signed out while offline, and a tab opened before the server heard it', () => {
  it('the tab that signed out closes: the late tab, which the server tells the session is active, tells the server', async () => {
    const { adapter, tabs, until, open } = await tabsWithInput(1)
    const sessionId = tabs[0]!.client.getState().session!.id
    adapter.fail('offline')
    await tabs[0]!.client.signOut()
    const late = open()
    await until(10 * SECOND)
    tabs[0]!.close()
    adapter.fail(null)
    late.input.dispatchEvent(new Event('online'))
    await until(MINUTE)
    expect(late.client.getState().status).toBe('signed-out')
    expect(adapter.peek(sessionId)!.status).not.toBe('active')
  })
})
