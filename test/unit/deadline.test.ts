import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createDeadlineTimeline } from '../../src/core/deadline'

const MINUTE = 60_000
const T0 = 1_700_000_000_000

/** Random session limits, an idle limit, a warning lead and a story of input, all in client ms. */
const timelines = fc.record({
  expireIn: fc.option(fc.integer({ min: 1, max: 120 * MINUTE }), { nil: null }),
  abandonIn: fc.option(fc.integer({ min: 1, max: 240 * MINUTE }), { nil: null }),
  idleTimeout: fc.option(fc.integer({ min: 1_000, max: 60 * MINUTE }), { nil: null }),
  warnBefore: fc.integer({ min: 0, max: 5 * MINUTE }),
  events: fc.array(
    fc.record({
      after: fc.integer({ min: 0, max: 10 * MINUTE }),
      kind: fc.constantFrom('input', 'remote', 'stay'),
    }),
    { maxLength: 12 },
  ),
  lookAt: fc.integer({ min: 0, max: 300 * MINUTE }),
})

describe('DeadlineTimeline.derive over random timelines', () => {
  it('is the earliest limit, warns exactly warnBefore ahead, and says when that changes (1,000 runs)', () => {
    fc.assert(
      fc.property(timelines, ({ expireIn, abandonIn, idleTimeout, warnBefore, events, lookAt }) => {
        const session = { expireAt: expireIn === null ? null : T0 + expireIn, abandonAt: abandonIn === null ? null : T0 + abandonIn }
        const timeline = createDeadlineTimeline({ idleTimeout, warnBefore }, T0)
        // The idle base as the rules say it moves: input counts only while no warning shows; "stay" always.
        let idleBase = T0
        let now = T0
        let sawLocal = false
        let remoteAt = -Infinity
        for (const event of events) {
          now += event.after
          const { phase } = timeline.derive(session, now)
          const renewing = phase === 'active'
          if (event.kind === 'input') {
            sawLocal = true
            timeline.input(now, renewing)
            if (renewing && idleTimeout !== null) idleBase = now
          } else if (event.kind === 'remote') {
            if (now > remoteAt) {
              remoteAt = now
              // As this tab's own input: never while the warning shows (until it has input of its own, even an older one).
              if (renewing && idleTimeout !== null && (!sawLocal || now > idleBase)) idleBase = now
            }
            timeline.remoteInput(now, renewing)
          } else {
            timeline.stay(now)
            idleBase = Math.max(idleBase, now)
          }
        }
        const at = now + lookAt
        const view = timeline.derive(session, at)
        const candidates = [
          session.abandonAt === null ? null : { at: session.abandonAt, reason: 'max-lifetime' },
          session.expireAt === null ? null : { at: session.expireAt, reason: 'inactivity' },
          idleTimeout === null ? null : { at: idleBase + idleTimeout, reason: 'idle' },
        ].filter((c): c is { at: number; reason: string } => c !== null)
        if (candidates.length === 0) {
          expect(view).toEqual({ deadline: null, phase: 'active', nextChangeAt: null })
          return
        }
        const earliest = Math.min(...candidates.map((c) => c.at))
        expect(view.deadline!.at).toBe(earliest)
        // On a tie the limit that cannot be renewed wins: no false "Stay signed in". So it does when the
        // maximum lifetime ends less than warnBefore later: renewing would only bring back its warning.
        const maxLifetimeWarns = session.abandonAt !== null && (session.abandonAt === earliest || session.abandonAt - earliest < warnBefore)
        if (maxLifetimeWarns) expect(view.deadline).toMatchObject({ reason: 'max-lifetime', renewable: false })
        else expect(view.deadline!.renewable).toBe(true)
        const expected = at >= earliest ? 'expired' : at >= earliest - warnBefore ? 'warning' : 'active'
        expect(view.phase).toBe(expected)
        if (view.nextChangeAt === null) {
          expect(view.phase).toBe('expired')
        } else {
          expect(view.nextChangeAt).toBeGreaterThan(at)
          // Just before the change the phase is what it is now; at the change it is the next one.
          expect(timeline.derive(session, view.nextChangeAt - 1).phase).toBe(view.phase)
          expect(timeline.derive(session, view.nextChangeAt).phase).not.toBe(view.phase)
        }
      }),
      { numRuns: 1_000 },
    )
  })
})

describe('the idle deadline', () => {
  const options = { idleTimeout: 10 * MINUTE, warnBefore: MINUTE }
  const session = { expireAt: null, abandonAt: null }

  it('moves with input while active, not while the warning shows, and with "Stay signed in" always', () => {
    const timeline = createDeadlineTimeline(options, T0)
    expect(timeline.derive(session, T0).deadline).toEqual({ at: T0 + 10 * MINUTE, reason: 'idle', renewable: true })
    timeline.input(T0 + 2 * MINUTE, true)
    expect(timeline.derive(session, T0 + 2 * MINUTE).deadline!.at).toBe(T0 + 12 * MINUTE)
    // In the warning: input does not renew.
    expect(timeline.input(T0 + 11.5 * MINUTE, false)).toBe(false)
    expect(timeline.derive(session, T0 + 11.5 * MINUTE)).toMatchObject({ phase: 'warning', deadline: { at: T0 + 12 * MINUTE } })
    timeline.stay(T0 + 11.6 * MINUTE)
    expect(timeline.derive(session, T0 + 11.6 * MINUTE)).toMatchObject({ phase: 'active', deadline: { at: T0 + 21.6 * MINUTE } })
  })

  it('ignores news from another tab older than what it has', () => {
    const timeline = createDeadlineTimeline(options, T0)
    expect(timeline.remoteInput(T0 + 5 * MINUTE, true)).toBe(true)
    expect(timeline.remoteInput(T0 + 4 * MINUTE, true)).toBe(false)
    expect(timeline.lastInputAt).toBe(T0 + 5 * MINUTE)
  })

  it('ignores limits that are off or not finite', () => {
    const timeline = createDeadlineTimeline({ idleTimeout: null, warnBefore: MINUTE }, T0)
    expect(timeline.derive({ expireAt: Number.NaN, abandonAt: null }, T0)).toEqual({ deadline: null, phase: 'active', nextChangeAt: null })
  })
})

describe('a maximum lifetime that ends less than warnBefore after the inactivity deadline', () => {
  const timeline = createDeadlineTimeline({ idleTimeout: null, warnBefore: MINUTE }, T0)

  it('warns as the end that cannot be extended, when the inactivity warning would open', () => {
    const session = { expireAt: T0 + 10 * MINUTE, abandonAt: T0 + 10.5 * MINUTE }
    expect(timeline.derive(session, T0 + 9 * MINUTE)).toEqual({
      deadline: { at: T0 + 10 * MINUTE, reason: 'max-lifetime', renewable: false },
      phase: 'warning',
      nextChangeAt: T0 + 10 * MINUTE,
    })
  })

  it('stays renewable when the maximum lifetime is warnBefore or more after it', () => {
    const session = { expireAt: T0 + 10 * MINUTE, abandonAt: T0 + 11 * MINUTE }
    expect(timeline.derive(session, T0).deadline).toEqual({ at: T0 + 10 * MINUTE, reason: 'inactivity', renewable: true })
  })
})
