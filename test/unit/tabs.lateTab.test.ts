import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryAdapter } from '../../src/adapters/memory'
import { createMemoryTabHub } from '../../src/core/tabs/memoryTransport'
import { createVirtualClock } from '../../src/core/virtualClock'
import { SECOND, SHORT_POLICY } from './helpers'
import { closeOpenedTabs, openTabs } from './tabHelpers'

/**
 * A tab opened (or reloaded) while a sign-out still waits for the server:
 * the server still names the session active, but the user signed out here.
 */

afterEach(() => {
  closeOpenedTabs()
})

async function signedOutWhileServerRefuses(latencyMs = 0) {
  const clock = createVirtualClock()
  const adapter = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com', latencyMs })
  const hub = createMemoryTabHub(clock)
  const tabs = openTabs(clock, adapter, hub, 2)
  await clock.advanceAsync(latencyMs + 100)
  adapter.fail('server-error', { only: ['endSession', 'endAllSessions'] })
  const signedOut = tabs[0]!.client.signOut()
  await clock.advanceAsync(1 * SECOND)
  await signedOut
  for (const tab of tabs) expect(tab.client.getState().status).toBe('signed-out')
  const open = () => openTabs(clock, adapter, hub, 1)[0]!
  return { clock, adapter, hub, tabs, open }
}

describe('given a sign-out the server has not heard yet', () => {
  it.each([0, 100])('brings a tab opened meanwhile up signed out, without tokens (server latency %i ms)', async (latencyMs) => {
    const { clock, adapter, open } = await signedOutWhileServerRefuses(latencyMs)
    adapter.resetCalls()
    const late = open()
    await clock.advanceAsync(latencyMs + 500)
    expect(late.client.getState().status).toBe('signed-out')
    expect(await late.client.getToken()).toBeNull()
    expect(adapter.calls.createToken).toBe(0)
  })

  it('brings a tab opened meanwhile up signed out when the tab that signed out follows', async () => {
    const { clock, tabs, open } = await signedOutWhileServerRefuses()
    // The leader closes: the remaining tab (which heard the sign-out) leads and answers the new one.
    tabs.find((tab) => tab.client.isLeader())!.close()
    await clock.advanceAsync(100)
    const late = open()
    await clock.advanceAsync(500)
    expect(late.client.getState().status).toBe('signed-out')
  })

  it('signs a tab opened meanwhile out when its load answers before it hears of the sign-out', async () => {
    const { clock, adapter, hub, open } = await signedOutWhileServerRefuses(100)
    // The leading tab's answer to the new tab's hello is slow to arrive (a busy tab).
    const held: unknown[] = []
    hub.conditions.drop = (message) => (message as { type: string }).type === 'signed-out' && !!held.push(message)
    const late = open()
    await clock.advanceAsync(300)
    expect(held.length).toBeGreaterThan(0)
    expect(late.client.getState().status).toBe('signed-in')
    hub.conditions.drop = undefined
    for (const message of held) hub.tab().channel(`sessionkit:${adapter.key}`).postMessage(message)
    await clock.advanceAsync(100)
    expect(late.client.getState().status).toBe('signed-out')
    expect(await late.client.getToken()).toBeNull()
  })

  it('leaves every tab signed in, the new one too, once the user signed in again', async () => {
    const { clock, tabs, open } = await signedOutWhileServerRefuses()
    await tabs[0]!.client.signIn({ identifier: 'grace@example.com', password: 'password' })
    await clock.advanceAsync(100)
    const grace = tabs[0]!.client.getState().session!.id
    const late = open()
    await clock.advanceAsync(500)
    for (const tab of [...tabs, late]) expect(tab.client.getState()).toMatchObject({ status: 'signed-in', session: { id: grace } })
  })
})
