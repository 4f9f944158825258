import * as oauth from 'oauth4webapi'
import { SessionKitError } from '../../core/errors'
import type { ClientResource, SessionResource } from '../../core/resources'
import type { ResolvedOidcOptions } from './options'
import type { HeldSession, SessionClaims } from './tokens'

/** Access token lifetime assumed when the provider does not say (`expires_in`): short, so it is refreshed rather than used stale. */
export const ASSUMED_TOKEN_LIFETIME_MS = 60_000

/**
 * How far below the provider's idle lifetime `refresh_expires_in` must be to tell its maximum
 * (Keycloak's SSO Session Max), and how far an answer's end may stray from the one that set it.
 * Keycloak computes it as the refresh token's exp minus now, in whole seconds, after encoding, so
 * a plain refresh answers 1799 for 1800 now and then: 10 s is far above that rounding, and costs
 * nothing, as an end this is first seen with is still almost a whole idle lifetime away.
 */
const LIFETIME_ROUNDING_MS = 10_000

/** What a token response changes, and whether it came from real activity (sign-in, touch). */
interface Renewal {
  response: oauth.TokenEndpointResponse
  previous: HeldSession | null
  /** When the answer arrived. */
  now: number
  /** When the request went out (default `now`): the provider's `refresh_expires_in` counts from a moment between the two. */
  sentAt?: number
  activity: boolean
  options: ResolvedOidcOptions
}

/**
 * Builds the held session from a token response. Every time is this
 * browser's clock: `expires_in` and `refresh_expires_in` are relative, so
 * no skew applies, and `auth_time` is read relative to the ID token's `iat`.
 * The provider's idle lifetime, its `refresh_expires_in` (Keycloak's "SSO
 * Session Idle"), is the inactivity timeout, capped by the option when the
 * app set one (the stricter wins); the default option applies only when the
 * provider reports none. Near the provider's maximum (Keycloak's "SSO Session
 * Max") `refresh_expires_in` shrinks below the idle lifetime, and that is then
 * the session's fixed end (`abandonAt`: no activity moves it; see
 * readRefreshLifetime), as is Entra ID's `refresh_token_expires_in` (a
 * single-page app's fixed 24 hours).
 */
export function renewSession({ response, previous, now, sentAt = now, activity, options }: Renewal): HeldSession {
  const claims = response.id_token ? readClaims(oauth.getValidatedIdTokenClaims(response)) : previous?.claims
  if (!claims) {
    throw new SessionKitError('invalid_response', 'getClient: the provider answered the sign-in without an ID token; check that `scope` includes "openid".')
  }
  const refreshToken = response.refresh_token ?? previous?.refreshToken
  if (!refreshToken) {
    throw new SessionKitError(
      'invalid_response',
      'getClient: the provider issued no refresh token, so the session could not be kept alive; ask for the offline_access scope (Auth0, Okta, Entra ID) or allow refresh tokens for this client at the provider.',
    )
  }
  const expiresIn = positive(response.expires_in)
  const refreshExpiresIn = positive(response.refresh_expires_in)
  const fixedLifetimeIn = positive(response.refresh_token_expires_in)
  const fromProvider = refreshExpiresIn === null ? null : refreshExpiresIn * 1_000
  const { providerIdleMs, sessionMaxEndAt } = readRefreshLifetime(fromProvider, previous, { sentAt, receivedAt: now })
  // An app that relied on the default keeps a longer provider idle lifetime (an 8 h SSO Session Idle).
  const option = options.inactivityTimeoutSet || providerIdleMs === null ? options.inactivityTimeout : null
  const limits = [option, providerIdleMs].filter((ms): ms is number => ms !== null)
  const inactivityMs = limits.length === 0 ? null : Math.min(...limits)
  const fixedEndAt = earliest([previous?.fixedEndAt ?? null, fixedLifetimeIn === null ? null : now + fixedLifetimeIn * 1_000])
  const tokenLifetimeMs = expiresIn === null ? (previous?.tokenLifetimeMs ?? ASSUMED_TOKEN_LIFETIME_MS) : expiresIn * 1_000
  return {
    // Random per sign-in, not the provider's `sid`: a sign-in after a sign-out in the
    // same provider session would reuse the sid, and an ended id never comes back.
    id: previous?.id ?? randomId(),
    generation: (previous?.generation ?? 0) + 1,
    accessToken: response.access_token,
    accessExpiresAt: now + tokenLifetimeMs,
    accessTokenServed: false,
    tokenLifetimeMs,
    refreshToken,
    refreshUnanswered: false,
    refreshExpiresAt: fromProvider === null ? (previous?.refreshExpiresAt ?? null) : now + fromProvider,
    fixedEndAt,
    sessionMaxEndAt,
    idToken: response.id_token ?? previous?.idToken ?? null,
    claims,
    inactivityMs,
    providerIdleMs,
    authTimeMs: previous?.authTimeMs ?? authTimeOf(response, now),
    createdAt: previous?.createdAt ?? now,
    lastActiveAt: activity || !previous ? now : previous.lastActiveAt,
    updatedAt: now,
  }
}

/** The maximum-lifetime deadline: the earliest of `auth_time` + maxLifetime and the provider's fixed ends, or null when none is known. */
export function abandonAtOf(session: HeldSession, options: ResolvedOidcOptions): number | null {
  return earliest([options.maxLifetime === null ? null : session.authTimeMs + options.maxLifetime, session.fixedEndAt, session.sessionMaxEndAt])
}

/**
 * The provider's idle lifetime and maximum session end, from one answer's `refresh_expires_in`
 * (Keycloak: the refresh token's end, the earlier of this refresh + SSO Session Idle and the
 * sign-in + SSO Session Max). The idle lifetime is the largest value seen; an answer within
 * rounding of it shows no maximum (and clears one an earlier answer seemed to show). Clearly
 * below it, the answer's end is the maximum, unless it contradicts the end an earlier answer set:
 * near SSO Session Max every answer names the same instant, so an end that moved on with the
 * refreshes means the idle lifetime was lowered at the provider, and that value is now the idle
 * lifetime; an end clearly earlier replaces it. The end is read from the answer's arrival
 * (never early), the contradiction from the request's departure (never late, however slow the
 * answer), so latency neither moves the end early nor reads as a contradiction.
 */
function readRefreshLifetime(
  fromProvider: number | null,
  previous: HeldSession | null,
  { sentAt, receivedAt }: { sentAt: number; receivedAt: number },
): { providerIdleMs: number | null; sessionMaxEndAt: number | null } {
  const seenIdle = previous?.providerIdleMs ?? null
  const setEnd = previous?.sessionMaxEndAt ?? null
  if (fromProvider === null) return { providerIdleMs: seenIdle, sessionMaxEndAt: setEnd }
  if (seenIdle === null || fromProvider > seenIdle - LIFETIME_ROUNDING_MS) {
    return { providerIdleMs: Math.max(seenIdle ?? 0, fromProvider), sessionMaxEndAt: null }
  }
  if (setEnd !== null && sentAt + fromProvider > setEnd + LIFETIME_ROUNDING_MS) return { providerIdleMs: fromProvider, sessionMaxEndAt: null }
  const endAt = receivedAt + fromProvider
  // Within rounding of the end set, that end stands: a deadline that shifts by a second re-arms nothing.
  return { providerIdleMs: seenIdle, sessionMaxEndAt: setEnd !== null && endAt > setEnd - LIFETIME_ROUNDING_MS ? setEnd : endAt }
}

/** The earliest of the times that are known, or null when none is. */
function earliest(times: (number | null)[]): number | null {
  const known = times.filter((at): at is number => at !== null)
  return known.length === 0 ? null : Math.min(...known)
}

/** The inactivity deadline: last activity + inactivity, never past the refresh token's own end or `abandonAt`. */
export function expireAtOf(session: HeldSession, options: ResolvedOidcOptions): number | null {
  if (session.inactivityMs === null) return null
  const abandonAt = abandonAtOf(session, options)
  return Math.min(session.lastActiveAt + session.inactivityMs, session.refreshExpiresAt ?? Infinity, abandonAt ?? Infinity)
}

/** Whether a local deadline has passed: the session is over whatever the provider would say. */
export function deadlinePassed(session: HeldSession, options: ResolvedOidcOptions, now: number): boolean {
  const expireAt = expireAtOf(session, options)
  const abandonAt = abandonAtOf(session, options)
  return (expireAt !== null && now >= expireAt) || (abandonAt !== null && now >= abandonAt)
}

export function toSessionResource(session: HeldSession, options: ResolvedOidcOptions): SessionResource {
  const { claims } = session
  const publicUserData = {
    firstName: claims.given_name ?? null,
    lastName: claims.family_name ?? null,
    identifier: claims.email ?? claims.preferred_username ?? claims.name ?? claims.sub,
    imageUrl: claims.picture ?? null,
  }
  return {
    id: session.id,
    userId: claims.sub,
    status: 'active',
    createdAt: session.createdAt,
    updatedAt: session.updatedAt,
    lastActiveAt: session.lastActiveAt,
    expireAt: expireAtOf(session, options),
    abandonAt: abandonAtOf(session, options),
    factorVerificationAge: null,
    actor: claims.act ? { ...claims.act } : null,
    lastActiveOrganizationId: null,
    publicUserData,
    user: { id: claims.sub, ...publicUserData, organizationMemberships: [] },
  }
}

/** The client: one session at most (OIDC has no multi-session), and the policy in force. */
export function toClientResource(key: string, session: HeldSession | null, options: ResolvedOidcOptions): ClientResource {
  return {
    id: key,
    sessions: session ? [toSessionResource(session, options)] : [],
    lastActiveSessionId: session?.id ?? null,
    policy: { inactivityTimeoutMs: session ? session.inactivityMs : options.inactivityTimeout, maxLifetimeMs: options.maxLifetime },
    tokenLifetimeMs: session?.tokenLifetimeMs ?? ASSUMED_TOKEN_LIFETIME_MS,
  }
}

/**
 * When the provider authenticated the user, in this browser's clock: `auth_time`
 * is the provider's clock, so only its distance to the ID token's `iat` (same
 * clock, issued just now) is used; a skewed device clock moves neither deadline.
 */
function authTimeOf(response: oauth.TokenEndpointResponse, now: number): number {
  const claims = response.id_token ? oauth.getValidatedIdTokenClaims(response) : undefined
  if (typeof claims?.auth_time !== 'number') return now
  return now - Math.max(0, claims.iat - claims.auth_time) * 1_000
}

function readClaims(claims: oauth.IDToken | undefined): SessionClaims | undefined {
  if (!claims) return undefined
  const text = (name: string) => (typeof claims[name] === 'string' && claims[name] !== '' ? { [name]: claims[name] as string } : {})
  const act = claims.act
  return {
    sub: claims.sub,
    ...text('name'),
    ...text('given_name'),
    ...text('family_name'),
    ...text('email'),
    ...text('preferred_username'),
    ...text('picture'),
    ...(act !== null && typeof act === 'object' && !Array.isArray(act) && typeof act.sub === 'string'
      ? { act: { ...(act as Record<string, unknown>), sub: act.sub } }
      : {}),
  }
}

function positive(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null
}

/** A random session id for every sign-in (never the provider's `sid`: see renewSession). */
function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12))
  return `sess_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`
}
