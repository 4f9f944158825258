// When the active session ends, and when the warning opens: the earliest of
// the server's inactivity deadline, its maximum lifetime and the client's own
// idle limit; the warning opens `warnBefore` (default 60 s) ahead of it. A
// renewable deadline the maximum lifetime follows within `warnBefore` reads
// as the maximum lifetime's: renewing it would gain less than the warning lasts.
// `DeadlineTimeline.derive` computes them from a session, the idle bookkeeping
// of one tab and `now`.

/** Why a session will end: renewable by "Stay signed in" except `max-lifetime`. */
export type DeadlineReason = 'inactivity' | 'idle' | 'max-lifetime'

/** When the active session ends, in client time, and why. */
export interface Deadline {
  /** Client-time timestamp (ms) at which the session ends. */
  at: number
  /** Which limit ends it. */
  reason: DeadlineReason
  /** Whether "Stay signed in" can move it. */
  renewable: boolean
}

/** A session's server limits in client time (ms); `null` when that limit is off. */
export interface SessionLimits {
  /** The server's inactivity deadline. */
  expireAt: number | null
  /** The server's maximum-lifetime deadline. */
  abandonAt: number | null
}

/** Where a signed-in session stands relative to its deadline. */
export type Phase = 'active' | 'warning' | 'expired'

/** The deadline of a session right now: what the store shows and when to look again. */
export interface DeadlineView {
  deadline: Deadline | null
  phase: Phase
  /** When `phase` changes next (client time): when the warning opens, then the deadline; null after it. */
  nextChangeAt: number | null
}

/** Options of `DeadlineTimeline`. */
export interface DeadlineTimelineOptions {
  /** The client-side idle limit (ms); null = off. */
  idleTimeout: number | null
  /** How long before the deadline the warning opens (ms). */
  warnBefore: number
}

export interface DeadlineTimeline {
  /** Input in this tab at `at`. `renewing`: the session is active (no warning), so input moves the idle deadline. Returns whether it moved. */
  input(at: number, renewing: boolean): boolean
  /** Input in another tab. Returns false for news older than what this tab knows. */
  remoteInput(at: number, renewing: boolean): boolean
  /** "Stay signed in" here or in another tab: the user is there at `at`, warning or not. */
  stay(at: number, fromOtherTab?: boolean): void
  /** A new active session: idle time counts from `at`. */
  restart(at: number): void
  /** The last input that counted for the idle deadline here (not input during a warning elsewhere), for a tab that opens now. */
  readonly lastInputAt: number
  /** The latest input another tab reported. */
  readonly remoteInputAt: number
  /** The latest "Stay signed in" in another tab. */
  readonly remoteStayAt: number
  /** Deadline, phase and next change for `session` at `now`: a pure function of them and the idle bookkeeping. */
  derive(session: SessionLimits, now: number): DeadlineView
}

/**
 * The idle bookkeeping behind the deadline: when the user last counted as
 * active (frozen while the warning shows: only "Stay signed in" renews then),
 * and what other tabs saw. `derive` turns it and a session into the deadline.
 * `idleBase`: when the user last counted as active for the idle deadline; now, at the start.
 */
export function createDeadlineTimeline({ idleTimeout, warnBefore }: DeadlineTimelineOptions, idleBase: number): DeadlineTimeline {
  /** Latest input seen in another tab. */
  let remoteInputAt = -Infinity
  let remoteStayAt = -Infinity
  /** Until this tab sees input of its own, it adopts the other tabs' last input. */
  let sawLocalInput = false
  const idles = idleTimeout !== null

  return {
    input(at, renewing) {
      sawLocalInput = true
      if (renewing && idles) idleBase = at
      return renewing && idles
    },
    remoteInput(at, renewing) {
      if (at <= remoteInputAt) return false
      remoteInputAt = at
      // The rule of this tab's own input (never while the warning shows: a key press there would close it
      // here alone); until this tab has input of its own, it takes the others' last input, even an older one.
      if (renewing && idles && (!sawLocalInput || at > idleBase)) idleBase = at
      return true
    },
    stay(at, fromOtherTab) {
      if (fromOtherTab) {
        remoteInputAt = Math.max(remoteInputAt, at)
        remoteStayAt = Math.max(remoteStayAt, at)
      }
      idleBase = Math.max(idleBase, at)
    },
    restart(at) {
      idleBase = at
    },
    get lastInputAt() {
      return idleBase
    },
    get remoteInputAt() {
      return remoteInputAt
    },
    get remoteStayAt() {
      return remoteStayAt
    },
    derive({ expireAt, abandonAt }, now) {
      // The earliest limit that is on (finite). On a tie the limit that cannot be
      // renewed wins (it comes first): offering "Stay signed in" for a session
      // that ends anyway would be a false promise.
      let deadline: Deadline | null = null
      for (const [at, reason, renewable] of [
        [abandonAt, 'max-lifetime', false],
        [expireAt, 'inactivity', true],
        [idles ? idleBase + idleTimeout : null, 'idle', true],
      ] as const) {
        if (Number.isFinite(at) && !(deadline && deadline.at <= at!)) deadline = { at: at!, reason, renewable }
      }
      if (!deadline) return { deadline, phase: 'active', nextChangeAt: null }
      // The maximum lifetime ends less than warnBefore later: renewing could not keep its warning
      // away ("Stay signed in" would close this one, then it would open again as "cannot be
      // extended"), so this is that warning from the start, for the time the session has now.
      if (deadline.renewable && abandonAt !== null && abandonAt - deadline.at < warnBefore) deadline = { at: deadline.at, reason: 'max-lifetime', renewable: false }
      // `warning` exactly in [deadline − warnBefore, deadline), `expired` from the deadline on.
      const { at } = deadline
      const warnAt = at - warnBefore
      return {
        deadline,
        phase: now >= at ? 'expired' : now >= warnAt ? 'warning' : 'active',
        nextChangeAt: now < warnAt ? warnAt : now < at ? at : null,
      }
    },
  }
}
