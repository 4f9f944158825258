import { SessionKitError } from './errors'

/** Clerk's reverification presets. */
export type ReverificationPreset = 'strict_mfa' | 'strict' | 'moderate' | 'lax'

/** Which factors a reverification needs. */
export type VerificationLevel = 'first_factor' | 'second_factor' | 'multi_factor'

/** A reverification requirement: a preset, or a level and how recent (1 to 99,999 minutes). */
export type ReverificationCheck = ReverificationPreset | { level: VerificationLevel; afterMinutes: number }

const PRESETS: Record<ReverificationPreset, { level: VerificationLevel; afterMinutes: number }> = {
  strict_mfa: { level: 'multi_factor', afterMinutes: 10 },
  strict: { level: 'second_factor', afterMinutes: 10 },
  moderate: { level: 'second_factor', afterMinutes: 60 },
  lax: { level: 'second_factor', afterMinutes: 1_440 },
}

/** Resolves a preset to its level and minutes; throws `invalid_option` for anything else. */
export function resolveReverification(check: ReverificationCheck): { level: VerificationLevel; afterMinutes: number } {
  if (typeof check === 'string') {
    const preset = PRESETS[check as ReverificationPreset]
    if (!preset) {
      throw new SessionKitError(
        'invalid_option',
        `Unknown reverification preset "${check}": use strict_mfa, strict, moderate, lax, or { level, afterMinutes }.`,
      )
    }
    return preset
  }
  if (check === null || typeof check !== 'object') {
    throw new SessionKitError('invalid_option', 'reverification must be a preset name or { level, afterMinutes }.')
  }
  const { level, afterMinutes } = check
  if (level !== 'first_factor' && level !== 'second_factor' && level !== 'multi_factor') {
    throw new SessionKitError(
      'invalid_option',
      `Unknown reverification level "${String(level)}": use first_factor, second_factor or multi_factor.`,
    )
  }
  if (!Number.isInteger(afterMinutes) || afterMinutes < 1 || afterMinutes > 99_999) {
    throw new SessionKitError(
      'invalid_option',
      `reverification.afterMinutes must be a whole number from 1 to 99,999; got ${String(afterMinutes)}.`,
    )
  }
  return { level, afterMinutes }
}

/**
 * Whether `factorVerificationAge` ([first, second] minutes ago; -1 = factor not
 * enrolled; null = unknown) satisfies the check. A factor verified exactly
 * `afterMinutes` ago no longer counts. Fails closed.
 */
export function isReverified(
  factorVerificationAge: readonly [number, number] | null,
  check: ReverificationCheck,
): boolean {
  const { level, afterMinutes } = resolveReverification(check)
  if (!factorVerificationAge) return false
  const [first, second] = factorVerificationAge
  const fresh = (age: number) => age >= 0 && age < afterMinutes
  switch (level) {
    case 'first_factor':
      return fresh(first)
    case 'second_factor':
      // Clerk: a user with no second factor enrolled passes on a fresh first factor.
      return second === -1 ? fresh(first) : fresh(second)
    case 'multi_factor':
      // Both factors, recently; a user without a second factor cannot pass.
      return second !== -1 && fresh(first) && fresh(second)
  }
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
export function checkAuthorization(
  subject: AuthorizationSubject | null,
  params: { role?: string; permission?: string; reverification?: ReverificationCheck },
): boolean {
  const { role, permission, reverification } = params ?? {}
  if (!subject || (role === undefined && permission === undefined && reverification === undefined)) return false
  const membership = subject.organizationMemberships.find((m) => m.organization.id === subject.lastActiveOrganizationId)
  if (role !== undefined && membership?.role !== role) return false
  if (permission !== undefined && !membership?.permissions.includes(permission)) return false
  if (reverification !== undefined && !isReverified(subject.factorVerificationAge, reverification)) return false
  return true
}

const MINUTE_MS = 60_000

/** When each factor was verified ([first, second], client ms; null = not enrolled), or null when unknown. */
export type FactorVerifiedAt = readonly [number | null, number | null] | null

/** The [first, second] ages in whole minutes at `now` (-1 = not enrolled), as `isReverified` reads them. */
export function verificationAgesAt(verifiedAt: FactorVerifiedAt, now: number): [number, number] | null {
  if (!verifiedAt) return null
  const age = (at: number | null) => (at === null ? -1 : Math.max(0, Math.floor((now - at) / MINUTE_MS)))
  return [age(verifiedAt[0]), age(verifiedAt[1])]
}

/**
 * When `check` can next change by time alone (a factor's proof growing too
 * old), or null when only new session state can change it.
 */
export function reverificationChangeAt(verifiedAt: FactorVerifiedAt, check: ReverificationCheck, now: number): number | null {
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
export function authorize(
  state: { status: string; session: { lastActiveOrganizationId: string | null; factorVerifiedAt: FactorVerifiedAt } | null; user: { organizationMemberships: AuthorizationSubject['organizationMemberships'] } | null },
  params: { role?: string; permission?: string; reverification?: ReverificationCheck },
  now: number,
): boolean {
  const { status, session, user } = state
  if (status !== 'signed-in' || !session || !user) return false
  return checkAuthorization(
    {
      lastActiveOrganizationId: session.lastActiveOrganizationId,
      factorVerificationAge: verificationAgesAt(session.factorVerifiedAt, now),
      organizationMemberships: user.organizationMemberships,
    },
    params,
  )
}
