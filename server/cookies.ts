import crypto from 'node:crypto'
import { MAX_LIFETIME_MS, type LifetimePolicy } from '../src/core/lifetimes'

/**
 * On https the cookie gets the `__Host-` prefix: the browser then refuses it
 * from a sibling subdomain or from plain http, which is what stops an attacker
 * from planting a client cookie they know (session fixation). Plain http
 * (localhost development) cannot use the prefix.
 */
export const cookieName = (secure: boolean) => (secure ? '__Host-sessionkit_client' : 'sessionkit_client')

export function parseCookies(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>()
  if (!header) return cookies
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq <= 0) continue
    const name = part.slice(0, eq).trim()
    // First one wins, as browsers send the most specific cookie first.
    if (!cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim())
  }
  return cookies
}

/**
 * The cookie lives as long as a session on it can: the maximum lifetime, or
 * the inactivity timeout when that limit is off (it is re-sent on every
 * answer, so it slides with activity), and never past the browsers' 400 days.
 */
export function cookieMaxAgeSeconds(policy: LifetimePolicy): number {
  const lifetime = policy.maxLifetimeMs ?? policy.inactivityTimeoutMs ?? MAX_LIFETIME_MS
  return Math.ceil(Math.min(lifetime, MAX_LIFETIME_MS) / 1000)
}

export function serializeClientCookie(token: string, secure: boolean, maxAgeSeconds: number): string {
  const parts = [`${cookieName(secure)}=${token}`, 'Path=/', `Max-Age=${maxAgeSeconds}`, 'HttpOnly', 'SameSite=Lax']
  if (secure) parts.push('Secure')
  return parts.join('; ')
}

/** 256 random bits: the client's bearer credential, never stored as such. */
export const newClientToken = () => crypto.randomBytes(32).toString('base64url')

/** Only this hash is stored, so a copy of the database does not sign anyone in. */
export const hashClientToken = (token: string) => crypto.createHash('sha256').update(token).digest('base64url')

/** Cookie values we issue are base64url; anything else is not ours. */
export const isWellFormedToken = (value: string | undefined): value is string =>
  value !== undefined && /^[A-Za-z0-9_-]{43}$/.test(value)

export const newId = (prefix: string) => `${prefix}_${crypto.randomBytes(16).toString('base64url')}`
