import { afterEach, describe, expect, it } from 'vitest'
import type { SessionAdapter } from '../../src/core/adapter'
import { createMemoryAdapter, type MemoryAdapter } from '../../src/adapters/memory'
import { createSessionClient } from '../../src/core/client'
import type { SessionClient, SessionClientOptions, SignOutReason } from '../../src/core/types'
import { createVirtualClock, type VirtualClock } from '../../src/core/virtualClock'
import { MINUTE, SECOND, SHORT_POLICY } from './helpers'

// What a lone tab (no tab sync) makes of the server's answer when it asks at its deadline:
// only a real change there carries the session on, and only while the check is still wanted.

const destroyers: (() => void)[] = []
afterEach(() => {
  for (const destroy of destroyers.splice(0)) destroy()
})

/** The memory server with some of its calls changed by `wrap`, on a fresh clock. */
function server(wrap: (memory: MemoryAdapter, clock: VirtualClock) => Partial<SessionAdapter> = () => ({}), latencyMs = 0) {
  const clock = createVirtualClock()
  const memory = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com', latencyMs })
  return { clock, memory, adapter: { ...memory, ...wrap(memory, clock) } as SessionAdapter }
}

/** A tab that cannot hear the others (crossTab: false), with its own input, mounted. */
function loneTab(adapter: SessionAdapter, clock: VirtualClock, options: Partial<SessionClientOptions> = {}) {
  const input = new EventTarget()
  const client: SessionClient = createSessionClient({ adapter, clock, eventTarget: input, crossTab: false, ...options })
  const unmount = client.mount()
  const destroy = () => (unmount(), client.destroy())
  destroyers.push(destroy)
  return { client, input, destroy }
}

/** `call`, its answer stamped `byMs` later or earlier on the server's clock than the server says (a skew estimate that jitters). */
const stampedOff =
  <A extends unknown[], R extends { serverNow: number }>(call: (...args: A) => Promise<R>, byMs: number) =>
  async (...args: A) => {
    const answer = await call(...args)
    return { ...answer, serverNow: answer.serverNow + byMs }
  }

describe('given a lone tab whose skew estimate moves by a few ms between its last touch and the check', () => {
  it('at its idle deadline, the server\'s unchanged lastActiveAt is no input elsewhere: signed out as idle on time', async () => {
    const { clock, adapter } = server((memory) => ({ getClient: stampedOff(memory.getClient, -5) }))
    const { client, input } = loneTab(adapter, clock, { idleTimeout: 5 * MINUTE })
    await clock.advanceAsync(61 * SECOND)
    input.dispatchEvent(new Event('keydown'))
    await clock.advanceAsync(29 * SECOND)
    input.dispatchEvent(new Event('keydown'))
    // The trailing touch goes at 121 s; the last input was at 90 s.
    await clock.advanceAsync(40 * SECOND)
    const deadline = client.getState().deadline!
    expect(client.getState()).toMatchObject({ deadlineReason: 'idle' })
    await clock.advanceAsync(deadline - clock.now() + 2 * SECOND)
    expect(client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'idle' })
  })

  it('at its inactivity deadline, the server\'s expireAt looking 5 ms later is no renewal: asked once, signed out', async () => {
    const { clock, memory, adapter } = server((memory) => ({ touchSession: stampedOff(memory.touchSession, 5) }))
    const { client, input } = loneTab(adapter, clock)
    await clock.advanceAsync(61 * SECOND)
    input.dispatchEvent(new Event('keydown'))
    await clock.advanceAsync(SECOND)
    const deadline = client.getState().deadline!
    await clock.advanceAsync(deadline - clock.now() - SECOND)
    memory.resetCalls()
    await clock.advanceAsync(3 * SECOND)
    expect(client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'inactivity' })
    expect(memory.calls).toMatchObject({ getClient: 1, endSession: 1 })
  })
})

describe('given a backend that answers "no session" once it expired', () => {
  /** The cookie-session example's answer: only live sessions are listed, none active once it expired. */
  const liveOnly = (memory: MemoryAdapter) => ({
    getClient: async () => {
      const answer = await memory.getClient()
      const sessions = answer.data.sessions.filter((s) => s.status === 'active')
      const lastActiveSessionId = sessions.some((s) => s.id === answer.data.lastActiveSessionId) ? answer.data.lastActiveSessionId : null
      return { ...answer, data: { ...answer.data, sessions, lastActiveSessionId } }
    },
  })

  it('the check at the deadline reads as inactivity, in the state and in beforeSignOut', async () => {
    const reasons: SignOutReason[] = []
    const { clock, adapter } = server(liveOnly)
    const { client } = loneTab(adapter, clock, { beforeSignOut: ({ reason }) => void reasons.push(reason) })
    await clock.advanceAsync(10 * MINUTE + SECOND)
    expect(client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'inactivity' })
    expect(reasons).toEqual(['inactivity'])
  })

  it('a load on its way at the deadline, answered without the session, reads as inactivity too', async () => {
    const { clock, adapter } = server(liveOnly, SECOND)
    const { client } = loneTab(adapter, clock)
    await clock.advanceAsync(SECOND)
    await clock.advanceAsync(client.getState().deadline! - clock.now() - 200)
    void client.load()
    await clock.advanceAsync(2 * SECOND)
    expect(client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'inactivity' })
  })

  it('a 401 to the check at the idle deadline reads as idle, not as revoked', async () => {
    const reasons: SignOutReason[] = []
    const { clock, memory, adapter } = server()
    const { client } = loneTab(adapter, clock, { idleTimeout: 5 * MINUTE, beforeSignOut: ({ reason }) => void reasons.push(reason) })
    await clock.advanceAsync(5 * MINUTE - SECOND)
    memory.fail('unauthenticated', { only: ['getClient'] })
    await clock.advanceAsync(2 * SECOND)
    expect(client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'idle' })
    expect(reasons).toEqual(['idle'])
  })
})

describe('given two lone tabs, the user typing in one, the other destroyed during its check (1 s round trip)', () => {
  it('the destroyed one asks nothing more and ends nothing, then or later', async () => {
    const { clock, memory } = server(undefined, SECOND)
    /** What the destroyed tab sends from the moment it is destroyed. */
    const sentAfterDestroy = { getClient: 0, endSession: 0, touchSession: 0 }
    let counting = false
    const counted = <K extends keyof typeof sentAfterDestroy>(method: K) => ((...args: Parameters<MemoryAdapter[K]>) => {
      if (counting) sentAfterDestroy[method] += 1
      return (memory[method] as (...a: typeof args) => ReturnType<MemoryAdapter[K]>)(...args)
    }) as MemoryAdapter[K]
    const working = loneTab(memory, clock)
    const idle = loneTab({ ...memory, getClient: counted('getClient'), endSession: counted('endSession'), touchSession: counted('touchSession') }, clock)
    await clock.advanceAsync(SECOND)
    const deadline = idle.client.getState().deadline!
    while (clock.now() + 10 * SECOND < deadline) {
      working.input.dispatchEvent(new Event('keydown'))
      await clock.advanceAsync(10 * SECOND)
    }
    await clock.advanceAsync(deadline - clock.now() + 200)
    expect(idle.client.getState()).toMatchObject({ status: 'signed-in', phase: 'warning' })
    idle.destroy()
    counting = true
    for (let typed = 0; typed < 15 * MINUTE; typed += 10 * SECOND) {
      working.input.dispatchEvent(new Event('keydown'))
      await clock.advanceAsync(10 * SECOND)
    }
    await clock.advanceAsync(30 * MINUTE)
    expect(sentAfterDestroy).toEqual({ getClient: 0, endSession: 0, touchSession: 0 })
    expect(working.client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'inactivity' })
  })
})
