import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryAdapter, type MemoryAdapter } from '../../src/adapters/memory'
import type { SessionAdapter } from '../../src/core/adapter'
import type { Clock } from '../../src/core/clock'
import { createSessionClient } from '../../src/core/client'
import type { SessionClient } from '../../src/core/types'
import { createVirtualClock, type VirtualClock } from '../../src/core/virtualClock'
import { MINUTE, SECOND, SHORT_POLICY } from './helpers'

/** How long one call spends on the way to the server (`up`) and back (`down`), ms. */
interface Legs {
  up: number
  down: number
}

const FAST: Legs = { up: 20, down: 30 }
const WARN_BEFORE = 60 * SECOND
/** How far the browser clock runs ahead of the server's (the case). */
const BROWSER_AHEAD = 10 * MINUTE

const clients: SessionClient[] = []
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy()
})

/**
 * The memory adapter behind a network whose calls can each be given their own
 * delay on the virtual clock: the server acts `up` ms after the call and the
 * answer arrives `down` ms after that. Calls not given one take `FAST`.
 */
function delayedNetwork(clock: Clock, memory: MemoryAdapter) {
  const queued: Legs[] = []
  const wait = (ms: number) => new Promise<void>((resolve) => clock.setTimeout(resolve, ms))
  const delayed =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const { up, down } = queued.shift() ?? FAST
      // Armed up front, so virtual time alone decides when the answer arrives.
      const arrived = wait(up)
      const answered = wait(up + down)
      await arrived
      const answer = await call(...args)
      await answered
      return answer
    }
  const adapter: SessionAdapter = {
    key: memory.key,
    getClient: delayed(() => memory.getClient()),
    touchSession: delayed((sessionId: string) => memory.touchSession(sessionId)),
    endSession: delayed((sessionId: string, params?: Parameters<MemoryAdapter['endSession']>[1]) => memory.endSession(sessionId, params)),
    createToken: delayed((sessionId: string, params: Parameters<MemoryAdapter['createToken']>[1]) => memory.createToken(sessionId, params)),
  }
  return {
    adapter,
    /** The next call takes `legs`. */
    delayNext: (legs: Legs) => void queued.push(legs),
  }
}

/**
 * A signed-in user whose browser clock is 10 minutes ahead of the server's.
 * `serverOffset` is what the server adds to the browser clock; a test that
 * sets the browser clock right changes it so the server's clock never moves.
 */
async function world(firstAnswer: Legs = FAST) {
  const clock = createVirtualClock()
  const server = { offset: -BROWSER_AHEAD }
  const serverClock: Clock = {
    now: () => clock.now() + server.offset,
    setTimeout: (callback, ms) => clock.setTimeout(callback, ms),
    clearTimeout: (handle) => clock.clearTimeout(handle),
  }
  const memory = createMemoryAdapter({ clock: serverClock, policy: SHORT_POLICY, signedInAs: 'ada@example.com' })
  const network = delayedNetwork(clock, memory)
  network.delayNext(firstAnswer)
  const client = createSessionClient({ adapter: network.adapter, clock, eventTarget: new EventTarget(), warnBefore: WARN_BEFORE })
  clients.push(client)
  client.mount()
  await clock.advanceAsync(firstAnswer.up + firstAnswer.down)
  expect(client.getState().status).toBe('signed-in')
  return { clock, server, memory, network, client }
}

/** Runs `action` while moving the clock by the call's legs, as the network would. */
async function over<T>(clock: VirtualClock, legs: Legs, action: () => Promise<T>): Promise<T> {
  const done = action()
  await clock.advanceAsync(legs.up + legs.down)
  return done
}

/**
 * When the warning should open, in browser time: the server's deadline for
 * the session, converted with the true offset, minus warnBefore. Checks the
 * client opens it within 1 s of that, moving the clock up to it.
 */
async function expectWarningWithinOneSecond({ clock, server, memory, client }: Awaited<ReturnType<typeof world>>) {
  const serverDeadline = memory.peek(client.getState().session!.id)!.expireAt!
  const opensAt = serverDeadline - server.offset - WARN_BEFORE
  expect(Math.abs(client.getState().deadline! - WARN_BEFORE - opensAt)).toBeLessThanOrEqual(1 * SECOND)
  await clock.advanceAsync(opensAt - 1 * SECOND - clock.now())
  expect(client.getState().phase).toBe('active')
  await clock.advanceAsync(2 * SECOND)
  expect(client.getState().phase).toBe('warning')
}

describe('given a browser clock 10 minutes ahead of the server', () => {
  it('opens the warning on time after fast answers', async () => {
    const env = await world()
    await expectWarningWithinOneSecond(env)
  })

  it('opens the warning on time when the first answer took 8 s and fast ones followed', async () => {
    // The load's answer sat 8 s on the way back: alone, it puts the deadline 4 s off.
    const env = await world({ up: 0, down: 8 * SECOND })
    await over(env.clock, FAST, () => env.client.getToken())
    // "Stay signed in", answered slowly too: the deadline it brings is converted with the fast answer's skew.
    env.network.delayNext({ up: 0, down: 8 * SECOND })
    await over(env.clock, { up: 0, down: 8 * SECOND }, () => env.client.touch())
    await expectWarningWithinOneSecond(env)
  })

  it('opens the warning on time when one answer among fast ones was slow', async () => {
    const env = await world()
    await over(env.clock, FAST, () => env.client.getToken())
    await env.clock.advanceAsync(1 * MINUTE)
    // The renewal's answer took 8 s to reach the server: taken alone, it would move the warning 4 s.
    env.network.delayNext({ up: 8 * SECOND, down: 0 })
    await over(env.clock, { up: 8 * SECOND, down: 0 }, () => env.client.touch())
    await expectWarningWithinOneSecond(env)
  })

  it('follows the user setting the browser clock right, although faster answers came before', async () => {
    const env = await world()
    for (let i = 0; i < 3; i++) {
      await env.clock.advanceAsync(30 * SECOND)
      await over(env.clock, FAST, () => env.client.getToken({ skipCache: true }))
    }
    // The user fixes the clock: the browser's goes back 10 minutes, the server's does not move.
    env.clock.jump(-BROWSER_AHEAD)
    env.server.offset = 0
    const slow = { up: 1 * SECOND, down: 1 * SECOND }
    env.network.delayNext(slow)
    await over(env.clock, slow, () => env.client.touch())
    await expectWarningWithinOneSecond(env)
  })

  it('opens the warning on time when only the first answer was slow and the user then goes idle', async () => {
    // The load's answer sat 8 s on the way back; one fast token answer later improves the skew,
    // and the session times already converted with the slow one follow it.
    const env = await world({ up: 0, down: 8 * SECOND })
    await over(env.clock, FAST, () => env.client.getToken())
    await expectWarningWithinOneSecond(env)
  })
})
