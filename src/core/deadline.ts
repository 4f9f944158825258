// When the active session ends, and when the warning opens: the earliest of
// the server's inactivity deadline, its maximum lifetime and the client's own
// idle limit; the warning opens `warnBefore` (default 60 s) ahead of it.
// Pure functions of state and `now`, plus the idle bookkeeping of one tab.

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

/** What the deadline is computed from; every time is in client time (ms). */
export interface DeadlineInputs {
  /** The server's inactivity deadline (`null` when that limit is off). */
  expireAt: number | null
  /** The server's maximum-lifetime deadline (`null` when that limit is off). */
  abandonAt: number | null
  /** The last user input seen by this client. */
  lastActivityAt: number
  /** The client-side idle limit (ms), `null` when off. */
  idleTimeoutMs: number | null
}

/**
 * The earliest of `expireAt`, `abandonAt` and last input + `idleTimeout`.
 * On a tie the limit that cannot be renewed wins: offering "Stay signed in"
 * for a session that ends anyway would be a false promise.
 */
export function computeDeadline(inputs: DeadlineInputs): Deadline | null {
  let deadline: Deadline | null = null
  const consider = (at: number | null, reason: DeadlineReason) => {
    if (at === null || !Number.isFinite(at)) return
    if (deadline === null || at < deadline.at) deadline = { at, reason, renewable: reason !== 'max-lifetime' }
  }
  consider(inputs.abandonAt, 'max-lifetime')
  consider(inputs.expireAt, 'inactivity')
  if (inputs.idleTimeoutMs !== null) consider(inputs.lastActivityAt + inputs.idleTimeoutMs, 'idle')
  return deadline
}

/** Where a signed-in session stands relative to its deadline. */
export type Phase = 'active' | 'warning' | 'expired'

/** `warning` exactly in [deadline − warnBefore, deadline), `expired` from the deadline on. */
export function phaseAt(now: number, deadline: Deadline | null, warnBeforeMs: number): Phase {
  if (deadline === null) return 'active'
  if (now >= deadline.at) return 'expired'
  if (now >= deadline.at - warnBeforeMs) return 'warning'
  return 'active'
}

/** When `phaseAt` will next change, or `null` when it never will. */
export function nextPhaseChangeAt(now: number, deadline: Deadline | null, warnBeforeMs: number): number | null {
  if (deadline === null) return null
  const warnAt = deadline.at - warnBeforeMs
  if (now < warnAt) return warnAt
  if (now < deadline.at) return deadline.at
  return null
}

/** The deadline of a session right now: what the store shows and when to look again. */
export interface DeadlineView {
  deadline: Deadline | null
  phase: Phase
  /** When `phase` changes next (client time), or null. */
  nextChangeAt: number | null
}

/** Options of `DeadlineTimeline`. */
export interface DeadlineTimelineOptions {
  /** The client-side idle limit (ms); null = off. */
  idleTimeout: number | null
  /** How long before the deadline the warning opens (ms). */
  warnBefore: number
}

/**
 * The idle bookkeeping behind the deadline: when the user last counted as
 * active (frozen while the warning shows: only "Stay signed in" renews then),
 * and what other tabs saw. `derive` turns it and a session into the deadline.
 */
export class DeadlineTimeline {
  readonly #options: DeadlineTimelineOptions
  /** When the user last counted as active for the idle deadline. */
  #idleBase: number
  /** Latest input seen in another tab. */
  #remoteInputAt = -Infinity
  /** Until this tab sees input of its own, it adopts the other tabs' last input. */
  #sawLocalInput = false

  constructor(options: DeadlineTimelineOptions, now: number) {
    this.#options = options
    this.#idleBase = now
  }

  /** Input in this tab at `at`. `renewing`: the session is active (no warning), so input moves the idle deadline. Returns whether it moved. */
  input(at: number, renewing: boolean): boolean {
    this.#sawLocalInput = true
    if (!renewing || this.#options.idleTimeout === null) return false
    this.#idleBase = at
    return true
  }

  /** Input in another tab. Returns false for news older than what this tab knows. */
  remoteInput(at: number, renewing: boolean): boolean {
    if (at <= this.#remoteInputAt) return false
    this.#remoteInputAt = at
    if (!this.#sawLocalInput) this.#idleBase = at
    if (renewing && this.#options.idleTimeout !== null && at > this.#idleBase) this.#idleBase = at
    return true
  }

  /** "Stay signed in" here or in another tab: the user is there at `at`, warning or not. */
  stay(at: number, fromOtherTab = false): void {
    if (fromOtherTab) this.#remoteInputAt = Math.max(this.#remoteInputAt, at)
    this.#idleBase = Math.max(this.#idleBase, at)
  }

  /** A new active session: idle time counts from `at`. */
  restart(at: number): void {
    this.#idleBase = at
  }

  /** The last input any tab counted, for a tab that opens now. */
  get lastInputAt(): number {
    return Math.max(this.#idleBase, this.#remoteInputAt)
  }

  /** The latest input another tab reported. */
  get remoteInputAt(): number {
    return this.#remoteInputAt
  }

  /** Deadline, phase and next change for `session` at `now`. */
  derive(session: { expireAt: number | null; abandonAt: number | null }, now: number): DeadlineView {
    const { idleTimeout, warnBefore } = this.#options
    const deadline = computeDeadline({
      expireAt: session.expireAt,
      abandonAt: session.abandonAt,
      lastActivityAt: this.#idleBase,
      idleTimeoutMs: idleTimeout,
    })
    return { deadline, phase: phaseAt(now, deadline, warnBefore), nextChangeAt: nextPhaseChangeAt(now, deadline, warnBefore) }
  }
}
