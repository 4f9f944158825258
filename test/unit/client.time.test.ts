import { afterEach, describe, expect, it, onTestFinished } from 'vitest'
import { createMemoryAdapter } from '../../src/adapters/memory'
import { createSessionClient } from '../../src/core/client'
import { DAY_MS } from '../../src/core/lifetimes'
import { createMemoryTabHub } from '../../src/core/tabs/memoryTransport'
import { createVirtualClock } from '../../src/core/virtualClock'
import { HOUR, MINUTE, SECOND, SHORT_POLICY, signedIn, userInput, destroyClients } from './helpers'

afterEach(destroyClients)

describe('given a signed-in session with a 10 minute inactivity timeout', () => {
  it('shows the deadline at the server expireAt, for inactivity, renewable', async () => {
    const { client, clock } = await signedIn()
    const state = client.getState()
    expect(state.status).toBe('signed-in')
    expect(state.deadline).toBe(clock.now() + 10 * MINUTE)
    expect(state.deadlineReason).toBe('inactivity')
    expect(state.renewable).toBe(true)
    expect(state.phase).toBe('active')
  })

  it('enters the warning exactly warnBefore ahead of the deadline, not a millisecond earlier', async () => {
    const { client, clock } = await signedIn()
    const deadline = client.getState().deadline!
    await clock.advanceAsync(deadline - 60 * SECOND - clock.now() - 1)
    expect(client.getState().phase).toBe('active')
    await clock.advanceAsync(1)
    expect(client.getState().phase).toBe('warning')
  })

  it('signs out at the deadline with the reason, drops tokens and tells the server', async () => {
    const { client, clock, adapter } = await signedIn()
    const sessionId = client.getState().session!.id
    await client.getToken()
    await clock.advanceAsync(10 * MINUTE)
    const state = client.getState()
    expect(state.status).toBe('signed-out')
    expect(state.phase).toBe('expired')
    expect(state.signOutReason).toBe('inactivity')
    expect(await client.getToken()).toBeNull()
    expect(adapter.calls.endSession).toBe(1)
    expect(adapter.peek(sessionId)?.status).not.toBe('active')
  })

  it('signs out at the next tick after a clock jump past the deadline (a laptop waking up)', async () => {
    const { client, clock } = await signedIn()
    clock.jump(11 * MINUTE)
    expect(client.getState().status).toBe('signed-in')
    await clock.advanceAsync(5 * SECOND)
    expect(client.getState().status).toBe('signed-out')
    expect(client.getState().signOutReason).toBe('inactivity')
  })

  it('re-derives the phase at once when the tab becomes visible after sleeping', async () => {
    const { client, clock } = await signedIn()
    clock.jump(9 * MINUTE + 30 * SECOND)
    window.dispatchEvent(new Event('focus'))
    expect(client.getState().phase).toBe('warning')
  })

  it('never serves a token after the deadline even before any timer fired', async () => {
    const { client, clock } = await signedIn()
    clock.jump(10 * MINUTE)
    expect(await client.getToken()).toBeNull()
    expect(client.getState().status).toBe('signed-out')
  })

  it('renews the deadline when the user clicks "Stay signed in" during the warning', async () => {
    const { client, clock, adapter } = await signedIn()
    await clock.advanceAsync(9 * MINUTE + 30 * SECOND)
    expect(client.getState().phase).toBe('warning')
    await client.touch()
    const state = client.getState()
    expect(state.phase).toBe('active')
    expect(state.deadline).toBe(clock.now() + 10 * MINUTE)
    expect(adapter.peek(state.session!.id)!.expireAt).toBe(clock.now() + 10 * MINUTE)
  })

  it('does not renew on mere input while the warning shows: one explicit action is needed', async () => {
    const { client, clock, adapter } = await signedIn()
    await clock.advanceAsync(9 * MINUTE + 30 * SECOND)
    adapter.resetCalls()
    userInput('keydown')
    await clock.advanceAsync(5 * SECOND)
    expect(client.getState().phase).toBe('warning')
    expect(adapter.calls.touchSession).toBe(0)
  })
})

describe('given user activity', () => {
  it('touches the server at most once per touch interval, leading and trailing', async () => {
    const { client, clock, adapter } = await signedIn()
    // Default interval: a tenth of the 10 min timeout = 60 s.
    adapter.resetCalls()
    for (let second = 0; second < 300; second++) {
      userInput('pointermove')
      await clock.advanceAsync(SECOND)
    }
    // Leading at 0 s, then one per 60 s: 0, 60, 120, 180, 240 (+ trailing at 300).
    expect(adapter.calls.touchSession).toBeGreaterThanOrEqual(5)
    expect(adapter.calls.touchSession).toBeLessThanOrEqual(6)
    expect(client.getState().deadline).toBeGreaterThan(clock.now() + 8 * MINUTE)
  })

  it('reports input inside an interval when the interval ends', async () => {
    const { clock, adapter } = await signedIn()
    userInput()
    await clock.advanceAsync(10 * SECOND)
    adapter.resetCalls()
    userInput() // inside the interval: no touch yet
    await clock.advanceAsync(10 * SECOND)
    expect(adapter.calls.touchSession).toBe(0)
    await clock.advanceAsync(40 * SECOND)
    expect(adapter.calls.touchSession).toBe(1)
  })

  it('makes no touch while the user is idle', async () => {
    const { clock, adapter } = await signedIn()
    adapter.resetCalls()
    await clock.advanceAsync(9 * MINUTE)
    expect(adapter.calls.touchSession).toBe(0)
  })

  it('does not count minting tokens as activity: an app polling an API still expires when idle', async () => {
    const { client, clock } = await signedIn()
    for (let i = 0; i < 20; i++) {
      await client.getToken()
      await clock.advanceAsync(30 * SECOND)
    }
    expect(client.getState().status).toBe('signed-out')
    expect(client.getState().signOutReason).toBe('inactivity')
  })
})

describe('given a maximum lifetime', () => {
  it('never moves the deadline past abandonAt and says it cannot be renewed', async () => {
    const { client, clock, adapter } = await signedIn({
      adapter: { policy: { inactivityTimeoutMs: 10 * MINUTE, maxLifetimeMs: 15 * MINUTE } },
    })
    const abandonAt = client.getState().session!.abandonAt!
    await clock.advanceAsync(8 * MINUTE)
    await client.touch()
    const state = client.getState()
    expect(state.deadline).toBe(abandonAt)
    expect(state.deadlineReason).toBe('max-lifetime')
    expect(state.renewable).toBe(false)
    expect(adapter.peek(state.session!.id)!.expireAt).toBeLessThanOrEqual(abandonAt)
    await clock.advanceAsync(7 * MINUTE)
    expect(client.getState().signOutReason).toBe('max-lifetime')
  })

  it('ending less than warnBefore after the inactivity deadline, warns once, as the end that cannot be extended', async () => {
    // Renewing could gain less than the warning lasts: "Stay signed in" would close it, and it would open again at once as "cannot be extended".
    const { client, clock } = await signedIn({
      adapter: { policy: { inactivityTimeoutMs: 10 * MINUTE, maxLifetimeMs: 10.5 * MINUTE } },
    })
    const inactivityDeadline = client.getState().session!.expireAt!
    await clock.advanceAsync(inactivityDeadline - 60 * SECOND - clock.now())
    expect(client.getState()).toMatchObject({ phase: 'warning', deadlineReason: 'max-lifetime', renewable: false, deadline: inactivityDeadline })
    await clock.advanceAsync(60 * SECOND)
    expect(client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'max-lifetime' })
  })
})

describe('given a client-side idle timeout', () => {
  it('ends the session that long after the last input, and input moves it', async () => {
    const { client, clock } = await signedIn({ client: { idleTimeout: 5 * MINUTE, warnBefore: 30 * SECOND } })
    expect(client.getState().deadlineReason).toBe('idle')
    await clock.advanceAsync(2 * MINUTE)
    userInput('keydown')
    await clock.advanceAsync(0)
    expect(client.getState().deadline).toBe(clock.now() + 5 * MINUTE)
    await clock.advanceAsync(5 * MINUTE)
    expect(client.getState().signOutReason).toBe('idle')
  })

  // The activity listener runs before the wake-up re-derives the phase: the stored phase is still `active` then.
  it('signs out, not renews, on the first input after a sleep past the idle deadline', async () => {
    const { client, clock } = await signedIn({
      adapter: { policy: { inactivityTimeoutMs: 60 * MINUTE, maxLifetimeMs: 24 * 60 * MINUTE } },
      client: { idleTimeout: 5 * MINUTE, warnBefore: 30 * SECOND },
    })
    clock.jump(20 * MINUTE)
    userInput('pointerdown')
    await clock.advanceAsync(5 * SECOND)
    expect(client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'idle' })
  })

  it('signs out, not renews, when a hidden tab whose timer was throttled comes back after the idle deadline', async () => {
    const { client, clock } = await signedIn({
      adapter: { policy: { inactivityTimeoutMs: 60 * MINUTE, maxLifetimeMs: 24 * 60 * MINUTE } },
      client: { idleTimeout: 5 * MINUTE, warnBefore: 30 * SECOND },
    })
    clock.jump(20 * MINUTE)
    document.dispatchEvent(new Event('visibilitychange'))
    await clock.advanceAsync(5 * SECOND)
    expect(client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'idle' })
  })

  it('input after a sleep into the warning does not close it: only "Stay signed in" renews then', async () => {
    const { client, clock } = await signedIn({
      adapter: { policy: { inactivityTimeoutMs: 60 * MINUTE, maxLifetimeMs: 24 * 60 * MINUTE } },
      client: { idleTimeout: 5 * MINUTE, warnBefore: 30 * SECOND },
    })
    const deadline = client.getState().deadline!
    clock.jump(deadline - 10 * SECOND - clock.now())
    userInput('pointerdown')
    expect(client.getState()).toMatchObject({ phase: 'warning', deadline })
  })
})

describe('given the server inactivity deadline passed during a sleep', () => {
  // A tab with tab sync: the other tabs' activity is known here (a tab alone asks the server first: client.deadlineCheck.test.ts).
  it('the first input signs out at once, sending no touch', async () => {
    const clock = createVirtualClock()
    const adapter = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com' })
    const client = createSessionClient({ adapter, clock, eventTarget: window, crossTab: createMemoryTabHub(clock).tab() })
    onTestFinished(() => client.destroy())
    client.mount()
    await clock.advanceAsync(100)
    expect(client.getState()).toMatchObject({ status: 'signed-in', isLeader: true })
    clock.jump(11 * MINUTE)
    adapter.resetCalls()
    userInput('pointerdown')
    expect(client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'inactivity' })
    await clock.advanceAsync(5 * SECOND)
    expect(adapter.calls.touchSession).toBe(0)
  })
})

describe('given a server clock one hour ahead', () => {
  it('converts server deadlines into client time', async () => {
    const { client, clock } = await signedIn({ adapter: { serverSkewMs: HOUR, latencyMs: 200 } })
    expect(client.getState().deadline).toBeCloseTo(clock.now() + 10 * MINUTE, -3)
  })
})

describe('given lifetimes longer than a timer can wait', () => {
  it('does not fire early when a delay would overflow setTimeout (30 days)', async () => {
    const { client, clock } = await signedIn({
      adapter: { policy: { inactivityTimeoutMs: 30 * DAY_MS, maxLifetimeMs: null } },
    })
    await clock.advanceAsync(HOUR)
    expect(client.getState().status).toBe('signed-in')
    expect(client.getState().phase).toBe('active')
  })
})
