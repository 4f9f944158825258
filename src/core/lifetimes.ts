import { SessionKitError } from './errors'

/**
 * The server's lifetime policy, as Clerk models it. Either limit may be off
 * (`null`), never both.
 */
export interface LifetimePolicy {
  /** The session ends when nobody renews it for this long (ms); `null` = off. Default 7 days. */
  inactivityTimeoutMs: number | null
  /** The session ends this long after sign-in whatever happens (ms); `null` = off. Default 7 days. */
  maxLifetimeMs: number | null
}

export const DAY_MS = 24 * 60 * 60 * 1000

/** Clerk's defaults: 7 days of inactivity, 7 days at most. */
export const DEFAULT_POLICY: LifetimePolicy = { inactivityTimeoutMs: 7 * DAY_MS, maxLifetimeMs: 7 * DAY_MS }

/** Browsers cap a cookie's Max-Age at 400 days; no lifetime can usefully exceed it. */
export const MAX_LIFETIME_MS = 400 * DAY_MS

/** Checks a policy, throwing `invalid_policy` with a sentence that says how to fix it. */
export function validatePolicy(policy: LifetimePolicy): LifetimePolicy {
  const { inactivityTimeoutMs, maxLifetimeMs } = policy
  if (inactivityTimeoutMs === null && maxLifetimeMs === null) {
    throw new SessionKitError(
      'invalid_policy',
      'A session policy needs an inactivity timeout, a maximum lifetime, or both: turning both off would let a session live forever.',
    )
  }
  for (const [name, value] of [
    ['inactivityTimeoutMs', inactivityTimeoutMs],
    ['maxLifetimeMs', maxLifetimeMs],
  ] as const) {
    if (value === null) continue
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_LIFETIME_MS) {
      throw new SessionKitError(
        'invalid_policy',
        `The policy's ${name} must be a positive number of milliseconds up to 400 days, or null to turn it off; got ${String(value)}.`,
      )
    }
  }
  return policy
}

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
