import { SessionKitError } from './errors'

// The server's lifetime policy: how long a session may live. When it ends,
// and when the warning opens, is decided in deadline.ts.

/**
 * The server's lifetime policy, as Clerk models it. Either limit may be off
 * (`null`), never both.
 */
export interface LifetimePolicy {
  /** The session ends when nobody renews it for this long (ms); `null` = off. Default 7 days. */
  inactivityTimeoutMs: number | null
  /** The session ends this long after sign-in whatever happens (ms); `null` = off. Default 7 days. */
  maxLifetimeMs: number | null
  /** Several accounts on one browser ("Add account"). Default true. */
  multiSession?: boolean
  /** One device at a time: a sign-in elsewhere ends the user's other sessions as `replaced`. Default false. */
  singleDevice?: boolean
}

export const DAY_MS = 24 * 60 * 60 * 1000

/** 7 days (ms), written out: a bundler drops an unused `DEFAULT_POLICY` only when its values are plain numbers (`7 * DAY_MS` might not be). */
const WEEK_MS = 604_800_000

/** Clerk's defaults: 7 days of inactivity, 7 days at most. */
export const DEFAULT_POLICY: LifetimePolicy = { inactivityTimeoutMs: WEEK_MS, maxLifetimeMs: WEEK_MS }

/** Browsers cap a cookie's Max-Age at 400 days; no lifetime can usefully exceed it. */
export const MAX_LIFETIME_MS = 400 * DAY_MS

/** Checks a policy, throwing `invalid_policy` with a sentence that says how to fix it (in development; 'Invalid session policy.' in production). */
export function validatePolicy(policy: LifetimePolicy): LifetimePolicy {
  const invalid = (message: string) => new SessionKitError('invalid_policy', message || 'Invalid session policy.')
  if (policy.inactivityTimeoutMs === null && policy.maxLifetimeMs === null) {
    throw invalid(
      process.env.NODE_ENV !== 'production'
        ? 'A session policy needs an inactivity timeout, a maximum lifetime, or both: turning both off would let a session live forever.'
        : '',
    )
  }
  for (const name of ['inactivityTimeoutMs', 'maxLifetimeMs'] as const) {
    const value = policy[name]
    // MAX_LIFETIME_MS is finite, so NaN and Infinity fail the range too.
    if (value !== null && !(typeof value === 'number' && value > 0 && value <= MAX_LIFETIME_MS)) {
      throw invalid(
        process.env.NODE_ENV !== 'production'
          ? `The policy's ${name} must be a positive number of milliseconds up to 400 days, or null to turn it off; got ${String(value)}.`
          : '',
      )
    }
  }
  return policy
}
