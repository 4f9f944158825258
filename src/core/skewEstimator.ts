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

/**
 * A round trip this long (ms) means the device slept or the tab was frozen
 * during the call, not a slow network: such an answer, left alone once the
 * answers before it aged out, does not replace what they said if it agrees.
 */
export const SLEPT_THROUGH_CALL_MS = 60_000

/** One answer's reading. */
export interface SkewReading {
  /** serverNow − the call's midpoint: this answer's skew estimate (server clock − client clock, ms). */
  skew: number
  /** The round-trip time (ms); the true skew is within half of it. */
  rtt: number
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
 *
 * Returns the function that takes one answer into account — when the call
 * left and its answer arrived (client clock, ms), and the server's clock
 * during the call — and returns the reading to believe now.
 */
export function createSkewEstimator(): (sentAt: number, receivedAt: number, serverNow: number) => SkewReading {
  let readings: SkewReading[] = []
  /** The reading believed after the previous answer. */
  let believed: SkewReading | undefined
  return (sentAt, receivedAt, serverNow) => {
    const rtt = receivedAt - sentAt
    const latest: SkewReading = {
      skew: serverNow - (sentAt + receivedAt) / 2,
      // A negative round trip means the client clock was set back during the call:
      // its midpoint means little, and any later answer should replace it.
      rtt: rtt < 0 ? Infinity : rtt,
      receivedAt,
    }
    // Answers arrive in order, so an older one stamped later means the client clock went back
    // (so does a negative round trip). Both intervals (estimate ± half the round trip) hold
    // the true skew, unless a clock changed.
    const agrees = (old: SkewReading) =>
      rtt >= 0 && receivedAt >= old.receivedAt && Math.abs(old.skew - latest.skew) <= (old.rtt + latest.rtt) / 2 + CLOCK_CHANGE_TOLERANCE_MS
    readings = [...readings.filter((old) => agrees(old) && receivedAt - old.receivedAt <= SKEW_SAMPLE_MAX_AGE_MS), latest].slice(-SKEW_WINDOW_SIZE)
    // The shortest round trip; the latest of equal ones.
    let best = readings.reduce((shortest, r) => (r.rtt <= shortest.rtt ? r : shortest))
    // An answer that slept through its call, left alone (the answers before it too old to take
    // part), moves nothing when it agrees with what is believed: its midpoint is off by up to
    // half of minutes, and every session time would move by that.
    if (best === latest && latest.rtt > SLEPT_THROUGH_CALL_MS && believed && agrees(believed)) best = believed
    believed = best
    return best
  }
}
