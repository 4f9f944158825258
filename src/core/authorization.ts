import { SessionKitError } from './errors'
import { MINUTE_MS } from './clock'

/** Clerk's reverification presets. */
export type ReverificationPreset = 'strict_mfa' | 'strict' | 'moderate' | 'lax'

/** Which factors a reverification needs. */
export type VerificationLevel = 'first_factor' | 'second_factor' | 'multi_factor'

/** A reverification requirement: a preset, or a level and how recent (1 to 99,999 minutes). */
export type ReverificationCheck = ReverificationPreset | { level: VerificationLevel; afterMinutes: number }

/** A resolved requirement: which factors, verified less than how many minutes ago. */
type Requirement = { level: VerificationLevel; afterMinutes: number }

const requirement = (level: VerificationLevel, afterMinutes: number): Requirement => ({ level, afterMinutes })

const FIRST = 'first_factor'
const SECOND = 'second_factor'
const MULTI = 'multi_factor'
const LEVELS: readonly unknown[] = [FIRST, SECOND, MULTI]

const PRESETS: Record<ReverificationPreset, Requirement> = {
  strict_mfa: requirement(MULTI, 10),
  strict: requirement(SECOND, 10),
  moderate: requirement(SECOND, 60),
  lax: requirement(SECOND, 1_440),
}

/** Resolves a preset to its level and minutes (a new object each time); throws `invalid_option` for anything else. */
export const resolveReverification = (check: ReverificationCheck): Requirement => {
  // A preset name looks itself up; anything else is read as { level, afterMinutes }.
  // A name that is not a preset (even one on Object.prototype) has no valid level.
  const { level, afterMinutes }: Partial<Requirement> = (typeof check === 'string' ? PRESETS[check] : check) ?? {}
  if (LEVELS.includes(level) && Number.isInteger(afterMinutes) && afterMinutes! > 0 && afterMinutes! < 100_000) {
    return requirement(level!, afterMinutes!)
  }
  // The explanation inline, not in a helper function: only code written behind
  // the `process.env.NODE_ENV` check itself leaves a production bundle.
  throw new SessionKitError(
    'invalid_option',
    process.env.NODE_ENV === 'production'
      ? 'Invalid reverification.'
      : typeof check === 'string'
        ? `Unknown reverification preset "${check}": use strict_mfa, strict, moderate, lax, or { level, afterMinutes }.`
        : check === null || typeof check !== 'object'
          ? 'reverification must be a preset name or { level, afterMinutes }.'
          : !LEVELS.includes(level)
            ? `Unknown reverification level "${String(level)}": use first_factor, second_factor or multi_factor.`
            : `reverification.afterMinutes must be a whole number from 1 to 99,999; got ${String(afterMinutes)}.`,
  )
}

/**
 * Whether `factorVerificationAge` ([first, second] minutes ago; -1 = factor not
 * enrolled; null = unknown) satisfies the check. A factor verified exactly
 * `afterMinutes` ago no longer counts. Fails closed.
 */
export const isReverified = (
  factorVerificationAge: readonly [number, number] | null,
  check: ReverificationCheck,
): boolean => {
  const { level, afterMinutes } = resolveReverification(check)
  if (!factorVerificationAge) return false
  const [first, second] = factorVerificationAge
  // -1 (not enrolled) is never fresh.
  const fresh = (age: number) => age >= 0 && age < afterMinutes
  return level === FIRST
    ? fresh(first)
    : level === SECOND
      ? // Clerk: a user with no second factor enrolled passes on a fresh first factor.
        fresh(second === -1 ? first : second)
      : // Both factors, recently; a user without a second factor cannot pass.
        fresh(first) && fresh(second)
}

/** The parts of a session and user that authorization looks at. */
export interface AuthorizationSubject {
  lastActiveOrganizationId: string | null
  factorVerificationAge: readonly [number, number] | null
  organizationMemberships: readonly { organization: { id: string }; role: string; permissions: readonly string[] }[]
}

/**
 * Whether the subject passes every given check (role and permission in the
 * active organization, recent reverification). No check given, no subject,
 * or no active organization for a role check: false. Fails closed.
 */
export const checkAuthorization = (
  subject: AuthorizationSubject | null,
  params: { role?: string; permission?: string; reverification?: ReverificationCheck },
): boolean => {
  const { role, permission, reverification } = params ?? {}
  if (!subject || [role, permission, reverification].every((check) => check === undefined)) return false
  const membership = subject.organizationMemberships.find((m) => m.organization.id === subject.lastActiveOrganizationId)
  // In this order, so an invalid reverification throws only when the other checks pass.
  return (
    (role === undefined || membership?.role === role) &&
    (permission === undefined || !!membership?.permissions.includes(permission)) &&
    (reverification === undefined || isReverified(subject.factorVerificationAge, reverification))
  )
}


/** When each factor was verified ([first, second], client ms; null = not enrolled), or null when unknown. */
export type FactorVerifiedAt = readonly [number | null, number | null] | null

/** The [first, second] ages in whole minutes at `now` (-1 = not enrolled), as `isReverified` reads them. */
export const verificationAgesAt = (verifiedAt: FactorVerifiedAt, now: number): [number, number] | null => {
  const age = (at: number | null) => (at === null ? -1 : Math.max(0, Math.floor((now - at) / MINUTE_MS)))
  return verifiedAt && [age(verifiedAt[0]), age(verifiedAt[1])]
}

/**
 * When `check` can next change by time alone (a factor's proof growing too
 * old), or null when only new session state can change it.
 */
export const reverificationChangeAt = (verifiedAt: FactorVerifiedAt, check: ReverificationCheck, now: number): number | null => {
  if (!verifiedAt) return null
  const { afterMinutes } = resolveReverification(check)
  let next: number | null = null
  for (const at of verifiedAt) {
    if (at === null) continue
    const expiresAt = at + afterMinutes * MINUTE_MS
    if (expiresAt > now && (next === null || expiresAt < next)) next = expiresAt
  }
  return next
}

/** `client.checkAuthorization`: the active session of `state` at `now` against every given check. Fails closed. */
export const authorize = (
  state: { status: string; session: { lastActiveOrganizationId: string | null; factorVerifiedAt: FactorVerifiedAt } | null; user: { organizationMemberships: AuthorizationSubject['organizationMemberships'] } | null },
  params: { role?: string; permission?: string; reverification?: ReverificationCheck },
  now: number,
): boolean => {
  const { status, session, user } = state
  // The subject is the user's memberships and the session's organization, with the ages at `now`
  // (the session's own ages are those of the last server answer); none when not signed in.
  return checkAuthorization(
    status === 'signed-in' && session && user
      ? { ...user, ...session, factorVerificationAge: verificationAgesAt(session.factorVerifiedAt, now) }
      : null,
    params,
  )
}
