/**
 * One answer's clock reading: when the call left and its answer arrived (client
 * clock, ms) and the server's clock during the call (`serverNow`).
 */
export interface SkewSample {
  sentAt: number
  receivedAt: number
  serverNow: number
}

/** How many recent answers the estimate is chosen from (NTP's clock filter keeps 8 too). */
export const SKEW_WINDOW_SIZE = 8

/**
 * How long an answer may take part in the estimate (ms): 5 minutes. Clock
 * drift over that time is a few ms; the limit bounds how long a clock change
 * too small to be detected (see `CLOCK_CHANGE_TOLERANCE_MS`) can linger. The
 * newest answer always takes part, however old.
 */
export const SKEW_SAMPLE_MAX_AGE_MS = 5 * 60_000

/**
 * How far two answers may disagree beyond their round trips before a clock is
 * taken to have been changed (ms): 1 s, so a server that reports whole seconds
 * does not look like one whose clock keeps jumping.
 */
export const CLOCK_CHANGE_TOLERANCE_MS = 1_000

interface Reading {
  /** serverNow − the call's midpoint: this answer's skew estimate. */
  skewMs: number
  /** The round trip; the true skew is within half of it. */
  roundTripMs: number
  receivedAt: number
}

/**
 * Decides the clock skew (server clock − client clock) from recent answers,
 * the way NTP does: the server read its clock somewhere between send and
 * receive, so each answer's midpoint estimate is off by at most half its round
 * trip, and the answer with the shortest round trip among the recent ones is
 * the one to believe. One slow answer, first or latest, then moves nothing.
 *
 * A clock changed by hand, an NTP step or a VM resuming shows as an answer
 * whose skew disagrees with older ones by more than their round trips allow:
 * the older ones are dropped and the new clock is followed at once.
 */
export class SkewEstimator {
  #readings: Reading[] = []
  #best: Reading | null = null

  /** Server clock − client clock (ms), from the best recent answer; 0 before any. */
  get skewMs(): number {
    return this.#best?.skewMs ?? 0
  }

  /** How far `skewMs` may be from the truth (ms): half the best answer's round trip; Infinity before any. */
  get errorBoundMs(): number {
    return this.#best ? this.#best.roundTripMs / 2 : Infinity
  }

  /** Takes one answer into account. */
  add({ sentAt, receivedAt, serverNow }: SkewSample): void {
    const elapsed = receivedAt - sentAt
    // A negative round trip means the client clock was set back during the call:
    // its midpoint means little, and any later answer should replace it.
    const roundTripMs = elapsed >= 0 ? elapsed : Infinity
    const reading: Reading = { skewMs: serverNow - (sentAt + receivedAt) / 2, roundTripMs, receivedAt }
    const kept = elapsed >= 0 ? this.#readings.filter((old) => this.#stillValid(old, reading)) : []
    kept.push(reading)
    this.#readings = kept.slice(-SKEW_WINDOW_SIZE)
    this.#best = this.#readings.reduce((best, r) => (r.roundTripMs <= best.roundTripMs ? r : best))
  }

  #stillValid(old: Reading, latest: Reading): boolean {
    const age = latest.receivedAt - old.receivedAt
    // Answers arrive in order, so an older one stamped later means the client clock went back.
    if (age < 0 || age > SKEW_SAMPLE_MAX_AGE_MS) return false
    // Both intervals (estimate ± half the round trip) hold the true skew, unless a clock changed.
    const allowed = (old.roundTripMs + latest.roundTripMs) / 2 + CLOCK_CHANGE_TOLERANCE_MS
    return Math.abs(old.skewMs - latest.skewMs) <= allowed
  }
}
