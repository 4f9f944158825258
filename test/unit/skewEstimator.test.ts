import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createServerLink } from '../../src/core/serverLink'
import { SKEW_SAMPLE_MAX_AGE_MS, SKEW_WINDOW_SIZE, createSkewEstimator, type SkewReading } from '../../src/core/skewEstimator'
import { createVirtualClock, type VirtualClock } from '../../src/core/virtualClock'
import { MINUTE, SECOND } from './helpers'

const T0 = Date.UTC(2026, 0, 1)

/** The estimator with what it believes after each answer: the skew and its error bound (half the round trip). */
function newEstimator() {
  const estimate = createSkewEstimator()
  let best: SkewReading | undefined
  return {
    add(sentAt: number, receivedAt: number, serverNow: number) {
      best = estimate(sentAt, receivedAt, serverNow)
    },
    get skewMs() {
      return best!.skew
    },
    get errorBoundMs() {
      return best!.rtt / 2
    },
  }
}
type Estimator = ReturnType<typeof newEstimator>

/** An answer whose request took `up` ms to reach the server and `down` ms to come back; the server clock runs `skew` ahead. */
function answer(estimator: Estimator, { at, up, down, skew }: { at: number; up: number; down: number; skew: number }) {
  estimator.add(at, at + up + down, at + up + skew)
}

describe('given answers with different round trips', () => {
  it('says 0 and knows nothing before the first answer: server time is the client clock', () => {
    const clock = createVirtualClock(T0)
    const link = createServerLink(clock, () => {})
    expect(link.skewMs).toBe(0)
    expect(link.serverNow()).toBe(T0)
  })

  it('believes a fast answer over a slow first one', () => {
    const estimator = newEstimator()
    const skew = -10 * MINUTE
    // The answer sat 8 s on the way back: its midpoint is 4 s off.
    answer(estimator, { at: T0, up: 0, down: 8 * SECOND, skew })
    expect(estimator.skewMs).toBe(skew - 4 * SECOND)
    answer(estimator, { at: T0 + 20 * SECOND, up: 30, down: 70, skew })
    expect(Math.abs(estimator.skewMs - skew)).toBeLessThanOrEqual(50)
    expect(estimator.errorBoundMs).toBe(50)
  })

  it('keeps the fast answer when a slow one comes after it', () => {
    const estimator = newEstimator()
    const skew = 90 * SECOND
    answer(estimator, { at: T0, up: 40, down: 40, skew })
    answer(estimator, { at: T0 + MINUTE, up: 7 * SECOND, down: 0, skew })
    expect(estimator.skewMs).toBe(skew)
  })

  it(`chooses among the last ${SKEW_WINDOW_SIZE} answers only`, () => {
    const estimator = newEstimator()
    const skew = 0
    answer(estimator, { at: T0, up: 10, down: 10, skew })
    for (let i = 1; i < SKEW_WINDOW_SIZE; i++) answer(estimator, { at: T0 + i * SECOND, up: 0, down: 2 * SECOND, skew })
    expect(estimator.skewMs).toBe(skew)
    answer(estimator, { at: T0 + 20 * SECOND, up: 0, down: 2 * SECOND, skew })
    expect(estimator.skewMs).toBe(skew - SECOND)
  })

  it('lets an answer older than 5 minutes age out, and follows the newer ones', () => {
    const estimator = newEstimator()
    const skew = 3 * MINUTE
    answer(estimator, { at: T0, up: 5, down: 5, skew })
    answer(estimator, { at: T0 + SKEW_SAMPLE_MAX_AGE_MS - 2 * SECOND, up: 0, down: 1 * SECOND, skew })
    expect(estimator.skewMs).toBe(skew)
    answer(estimator, { at: T0 + SKEW_SAMPLE_MAX_AGE_MS + SECOND, up: 0, down: 600, skew })
    expect(estimator.skewMs).toBe(skew - 300)
  })

  it('keeps the newest answer however old it is', () => {
    const estimator = newEstimator()
    answer(estimator, { at: T0, up: 0, down: 400, skew: 0 })
    answer(estimator, { at: T0 + 3 * SKEW_SAMPLE_MAX_AGE_MS, up: 0, down: 2 * SECOND, skew: 0 })
    expect(estimator.skewMs).toBe(-SECOND)
  })

  it('is not moved by an answer the laptop slept through, once the answers before it aged out', () => {
    const estimator = newEstimator()
    answer(estimator, { at: T0, up: 0, down: 0, skew: 0 })
    // Sent 4 min later; the laptop sleeps 255 s before the answer is read (the server answered at once).
    answer(estimator, { at: T0 + 4 * MINUTE, up: 0, down: 255 * SECOND, skew: 0 })
    expect(estimator.skewMs).toBe(0)
    // The next ordinary answer is believed as usual.
    answer(estimator, { at: T0 + 9 * MINUTE, up: 0, down: 400, skew: 0 })
    expect(estimator.skewMs).toBe(-200)
  })
})

describe('given a clock that changes', () => {
  it('follows the user setting a clock 10 minutes ahead right at once, despite faster old answers', () => {
    const estimator = newEstimator()
    // Server time = client time − 10 min while the browser clock is 10 min ahead.
    for (let i = 0; i < 4; i++) answer(estimator, { at: T0 + i * MINUTE, up: 20, down: 20, skew: -10 * MINUTE })
    // The user fixes the clock: it goes back 10 minutes and the skew becomes 0.
    const fixedAt = T0 + 4 * MINUTE - 10 * MINUTE
    answer(estimator, { at: fixedAt, up: 1 * SECOND, down: 1 * SECOND, skew: 0 })
    expect(Math.abs(estimator.skewMs)).toBeLessThanOrEqual(1 * SECOND)
  })

  it('follows a server clock that steps while the client clock runs on', () => {
    const estimator = newEstimator()
    for (let i = 0; i < 4; i++) answer(estimator, { at: T0 + i * MINUTE, up: 20, down: 20, skew: 0 })
    // A VM resumes with its clock 2 minutes behind, or NTP steps it: the skew changes by far more than any round trip.
    answer(estimator, { at: T0 + 4 * MINUTE, up: 1500, down: 1500, skew: -2 * MINUTE })
    expect(Math.abs(estimator.skewMs - -2 * MINUTE)).toBeLessThanOrEqual(1500)
  })

  it('replaces an answer measured while the clock went back during the call by any later one', () => {
    const estimator = newEstimator()
    answer(estimator, { at: T0, up: 20, down: 20, skew: 0 })
    // Sent at T0 + 1 min, the clock is set back 10 min, answered 100 ms later: a negative round trip.
    estimator.add(T0 + MINUTE, T0 + MINUTE - 10 * MINUTE + 100, T0 + MINUTE + 50)
    expect(estimator.errorBoundMs).toBe(Infinity)
    answer(estimator, { at: T0 - 9 * MINUTE + SECOND, up: 2 * SECOND, down: 2 * SECOND, skew: 10 * MINUTE })
    expect(Math.abs(estimator.skewMs - 10 * MINUTE)).toBeLessThanOrEqual(2 * SECOND)
  })
})

/** A round-trip leg: mostly small, sometimes up to 8 s. */
const leg = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 300 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 8 * SECOND }) })

const timeline = fc.record({
  skew: fc.integer({ min: -15 * MINUTE, max: 15 * MINUTE }),
  answers: fc.array(fc.record({ pause: fc.integer({ min: 0, max: 2 * MINUTE }), up: leg, down: leg }), { minLength: 1, maxLength: 30 }),
})

/** An adapter call on the clock: `up` ms to the server, which reads its clock, then `down` ms back. */
function call(clock: VirtualClock, skew: number, up: number, down: number) {
  return () =>
    new Promise<{ data: null; serverNow: number }>((resolve) => {
      clock.setTimeout(() => {
        const serverNow = clock.now() + skew
        clock.setTimeout(() => resolve({ data: null, serverNow }), down)
      }, up)
    })
}

describe('over random answer delays (ServerLink on the virtual clock)', () => {
  it('is within half the shortest recent round trip of the true skew: within 100 ms once a fast answer came', async () => {
    let latestSlowButFastInWindow = 0
    await fc.assert(
      fc.asyncProperty(timeline, async ({ skew, answers }) => {
        const clock = createVirtualClock()
        const link = createServerLink(clock, () => {})
        const seen: { receivedAt: number; roundTrip: number }[] = []
        for (const { pause, up, down } of answers) {
          await clock.advanceAsync(pause)
          const answered = link.request(call(clock, skew, up, down), (data) => data)
          await clock.advanceAsync(up + down)
          await answered
          seen.push({ receivedAt: clock.now(), roundTrip: up + down })
          // The window, as specified: the last 8 answers of the last 5 minutes.
          const window = seen.filter((s) => clock.now() - s.receivedAt <= SKEW_SAMPLE_MAX_AGE_MS).slice(-SKEW_WINDOW_SIZE)
          const shortest = Math.min(...window.map((s) => s.roundTrip))
          const error = Math.abs(link.skewMs - skew)
          expect(error).toBeLessThanOrEqual(shortest / 2)
          expect(Math.abs(link.serverNow() - (clock.now() + skew))).toBeLessThanOrEqual(shortest / 2)
          if (shortest <= 200) {
            expect(error).toBeLessThanOrEqual(100)
            if (up + down > 2 * SECOND) latestSlowButFastInWindow++
          }
        }
      }),
      { numRuns: 1_000 },
    )
    // The interesting case (the latest answer slow, a fast one still in the window) did come up.
    expect(latestSlowButFastInWindow).toBeGreaterThan(50)
  }, 120_000)
})
