import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryAdapter } from '../../src/adapters/memory'
import { createSessionClient } from '../../src/core/client'
import { createMemoryTabHub } from '../../src/core/tabs/memoryTransport'
import type { SessionClient, SessionClientOptions } from '../../src/core/types'
import { createVirtualClock } from '../../src/core/virtualClock'
import { MINUTE, SECOND, SHORT_POLICY, destroyClients, signedIn, userInput } from './helpers'
import { closeOpenedTabs, openTabs } from './tabHelpers'

// At a renewable deadline the time may not really be up: a tab that cannot hear the
// others asks the server first, and a "Stay signed in" on its way is waited for.

const destroyers: (() => void)[] = []
afterEach(() => {
  for (const destroy of destroyers.splice(0)) destroy()
  destroyClients()
  closeOpenedTabs()
})

/** Two tabs of one browser that cannot hear each other (crossTab: false), on one server, each with its own input. */
async function twoLoneTabs(options: Partial<SessionClientOptions> = {}) {
  const clock = createVirtualClock()
  const adapter = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com' })
  const [working, idle] = [0, 1].map(() => {
    const input = new EventTarget()
    const client = createSessionClient({ adapter, clock, eventTarget: input, crossTab: false, ...options })
    const unmount = client.mount()
    destroyers.push(() => (unmount(), client.destroy()))
    return { client, input }
  }) as [{ client: SessionClient; input: EventTarget }, { client: SessionClient; input: EventTarget }]
  await clock.advanceAsync(0)
  return { clock, adapter, working, idle }
}

describe('given two tabs that cannot hear each other, the user typing in one', () => {
  it('the idle tab at its inactivity deadline finds the later deadline at the server and carries on: nobody is signed out', async () => {
    const { clock, adapter, working, idle } = await twoLoneTabs()
    for (let typed = 0; typed < 15 * MINUTE; typed += 10 * SECOND) {
      working.input.dispatchEvent(new Event('keydown'))
      await clock.advanceAsync(10 * SECOND)
    }
    expect(working.client.getState()).toMatchObject({ status: 'signed-in', signOutReason: null })
    expect(idle.client.getState()).toMatchObject({ status: 'signed-in' })
    expect(adapter.calls.endSession).toBe(0)
    expect(adapter.peek(working.client.getState().session!.id)!.status).toBe('active')
  })

  it('the idle tab at its idle deadline takes the server\'s later activity as input in another tab and carries on', async () => {
    const { clock, adapter, working, idle } = await twoLoneTabs({ idleTimeout: 5 * MINUTE })
    const firstIdleDeadline = idle.client.getState().deadline!
    for (let typed = 0; typed < 12 * MINUTE; typed += 10 * SECOND) {
      working.input.dispatchEvent(new Event('keydown'))
      await clock.advanceAsync(10 * SECOND)
    }
    expect(working.client.getState()).toMatchObject({ status: 'signed-in', signOutReason: null })
    expect(idle.client.getState()).toMatchObject({ status: 'signed-in', deadlineReason: 'idle' })
    // Its idle deadline counts from the other tab's touches, twice moved by now.
    expect(idle.client.getState().deadline!).toBeGreaterThan(firstIdleDeadline + 5 * MINUTE)
    expect(adapter.calls.endSession).toBe(0)
  })

  it('once nobody types anywhere, both tabs sign out at the deadline, and the server is told', async () => {
    const { clock, adapter, working, idle } = await twoLoneTabs()
    working.input.dispatchEvent(new Event('keydown'))
    await clock.advanceAsync(3 * MINUTE)
    await clock.advanceAsync(10 * MINUTE)
    expect(working.client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'inactivity' })
    expect(idle.client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'inactivity' })
    expect(adapter.peek(idle.client.getState().sessions[0]!.id)!.status).not.toBe('active')
  })
})

describe('given a lone tab whose server is slow to answer at the deadline', () => {
  it('waits at most 5 s, showing the warning at its deadline, then signs out here as before', async () => {
    const { client, clock, adapter } = await signedIn({ adapter: { latencyMs: 20 * SECOND } })
    const deadline = client.getState().deadline!
    await clock.advanceAsync(deadline - clock.now() + 4 * SECOND)
    expect(client.getState()).toMatchObject({ status: 'signed-in', phase: 'warning', deadline })
    expect(adapter.calls.endSession).toBe(0)
    await clock.advanceAsync(1 * SECOND)
    expect(client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'inactivity' })
    expect(adapter.calls.endSession).toBe(1)
  })

  it('runs beforeSignOut once, after the check and before the sign-out', async () => {
    const seen: string[] = []
    const { client, clock } = await signedIn({
      adapter: { latencyMs: 20 * SECOND },
      client: { beforeSignOut: () => void seen.push(`${client.getState().status} ${client.getState().phase}`) },
    })
    await clock.advanceAsync(client.getState().deadline! - clock.now() + 4 * SECOND)
    expect(seen).toEqual([])
    await clock.advanceAsync(5 * SECOND)
    expect(seen).toEqual(['signed-in warning'])
    expect(client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'inactivity' })
  })

  it('after a sleep past the deadline, the first input sends no touch: the server is asked, and says it is over', async () => {
    const { client, clock, adapter } = await signedIn()
    clock.jump(11 * MINUTE)
    adapter.resetCalls()
    userInput('pointerdown')
    expect(client.getState()).toMatchObject({ status: 'signed-in', phase: 'warning' })
    await clock.advanceAsync(0)
    expect(client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'inactivity' })
    await clock.advanceAsync(5 * SECOND)
    expect(adapter.calls).toMatchObject({ touchSession: 0, getClient: 1, endSession: 1 })
  })

  it('offline: signs out on time, the local deadline applies', async () => {
    const { client, clock, adapter } = await signedIn()
    adapter.fail('offline')
    await clock.advanceAsync(10 * MINUTE)
    expect(client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'inactivity' })
  })
})

describe('given "Stay signed in" clicked just before the deadline, 1 s round trip', () => {
  it('waits for its answer instead of signing out, and stays signed in with the renewed deadline', async () => {
    const { client, clock, adapter } = await signedIn({ adapter: { latencyMs: SECOND } })
    const sessionId = client.getState().session!.id
    const deadline = client.getState().deadline!
    await clock.advanceAsync(deadline - 800 - clock.now())
    const touched = client.touch()
    await clock.advanceAsync(900)
    // Past the deadline, the answer on its way: not signed out, the warning at 0:00, the server not told.
    expect(client.getState()).toMatchObject({ status: 'signed-in', phase: 'warning', renewal: 'pending' })
    expect(adapter.calls.endSession).toBe(0)
    await clock.advanceAsync(3 * SECOND - 900)
    await touched
    expect(client.getState()).toMatchObject({ status: 'signed-in', phase: 'active', renewal: 'idle' })
    expect(client.getState().deadline!).toBeGreaterThan(clock.now() + 9 * MINUTE)
    expect(adapter.calls.endSession).toBe(0)
    expect(adapter.peek(sessionId)!.status).toBe('active')
  })
})

describe('given "Stay signed in" clicked in one of two tabs with tab sync just before the deadline, 1 s round trip', () => {
  it('the other tab waits for the news of its answer: neither signs out, the session stays active', async () => {
    const clock = createVirtualClock()
    const adapter = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com', latencyMs: SECOND })
    const tabs = openTabs(clock, adapter, createMemoryTabHub(clock), 2)
    await clock.advanceAsync(2 * SECOND)
    const sessionId = tabs[0]!.client.getState().session!.id
    const deadline = tabs[0]!.client.getState().deadline!
    await clock.advanceAsync(deadline - 800 - clock.now())
    // The click in the tab that does not lead: the leader hears of it as news.
    const clicked = tabs.find((tab) => !tab.client.isLeader())!
    const touched = clicked.client.touch()
    await clock.advanceAsync(3 * SECOND)
    await touched
    for (const tab of tabs) expect(tab.client.getState()).toMatchObject({ status: 'signed-in', phase: 'active' })
    expect(adapter.calls.endSession).toBe(0)
    expect(adapter.peek(sessionId)!.status).toBe('active')
  })
})

describe('given a refused "Stay signed in" in one tab and an accepted one in another', () => {
  it('closes the warning in both, and the next warning of the first opens without the old failure', async () => {
    const clock = createVirtualClock()
    const adapter = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com' })
    const [first, second] = openTabs(clock, adapter, createMemoryTabHub(clock), 2)
    await clock.advanceAsync(100)
    await clock.advanceAsync(first!.client.getState().deadline! - 30 * SECOND - clock.now())
    expect(first!.client.getState().phase).toBe('warning')
    adapter.respondWith('touchSession', { data: '<html><body>Sign in to the hotel Wi-Fi</body></html>', serverNow: adapter.serverNow() })
    await expect(first!.client.touch()).rejects.toMatchObject({ code: 'invalid_response' })
    expect(first!.client.getState().renewal).toBe('failed')
    await second!.client.touch()
    await clock.advanceAsync(SECOND)
    expect(first!.client.getState()).toMatchObject({ phase: 'active', renewal: 'idle' })
    await clock.advanceAsync(first!.client.getState().deadline! - 30 * SECOND - clock.now())
    expect(first!.client.getState()).toMatchObject({ phase: 'warning', renewal: 'idle' })
  })
})

describe('given a deadline passed while beforeSignOut still runs', () => {
  it('getToken answers null (the time is up), mints nothing, and the state shows no error', async () => {
    const { client, clock, adapter } = await signedIn({ client: { beforeSignOut: () => new Promise(() => undefined), beforeSignOutTimeout: 60 * SECOND } })
    adapter.resetCalls()
    clock.jump(client.getState().deadline! - clock.now() + 1)
    await expect(client.getToken()).resolves.toBeNull()
    expect(adapter.calls.createToken).toBe(0)
    expect(client.getState().error).toBeNull()
  })
})
