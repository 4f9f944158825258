import { SessionKitError } from './errors'

/** The claims sessionkit reads from a session token. Times are seconds on the server's clock. */
export interface TokenClaims {
  /** When the token stops being valid (seconds since the epoch, server time). */
  exp: number
  /** When the token was minted (seconds since the epoch, server time). */
  iat: number
  /** The session the token belongs to. */
  sid: string
  /** The user the token belongs to. */
  sub: string
  /** The organization the token was minted for; absent or null = none. */
  org_id?: string | null
  [claim: string]: unknown
}

const BASE64URL = /^[A-Za-z0-9_-]*$/

/**
 * Reads a JWT's claims without verifying its signature: the server that
 * receives the token verifies it; the client only needs to know when it
 * expires and whose it is. Throws `invalid_token` for anything malformed.
 */
export function decodeJwt(token: string): TokenClaims {
  // Messages never quote the token: tokens must never reach logs.
  if (typeof token !== 'string') invalid('is not a string')
  const parts = token.split('.')
  if (parts.length !== 3) invalid(`has ${parts.length} part${parts.length === 1 ? '' : 's'} instead of 3`)
  const [header, payload, signature] = parts as [string, string, string]
  if (signature === '' || !BASE64URL.test(signature)) invalid('has a missing or malformed signature')
  decodePart(header, 'header')
  const claims = decodePart(payload, 'payload')
  for (const name of ['exp', 'iat'] as const) {
    const value = claims[name]
    if (typeof value !== 'number' || !Number.isFinite(value)) invalid(`has no numeric "${name}" claim`)
  }
  for (const name of ['sid', 'sub'] as const) {
    const value = claims[name]
    if (typeof value !== 'string' || value === '') invalid(`has no "${name}" claim (a non-empty string)`)
  }
  if ('org_id' in claims && claims.org_id !== null && typeof claims.org_id !== 'string') {
    invalid('has an "org_id" claim that is neither a string nor null')
  }
  if ((claims.exp as number) <= (claims.iat as number)) invalid('expires ("exp") no later than it was issued ("iat")')
  return claims as TokenClaims
}

function decodePart(part: string, name: 'header' | 'payload'): Record<string, unknown> {
  // A base64url string of length 4n+1 cannot come from any byte sequence.
  if (part === '' || !BASE64URL.test(part) || part.length % 4 === 1) invalid(`has a ${name} that is not base64url`)
  let json: string
  try {
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (part.length % 4)) % 4)
    const binary = atob(base64)
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0))
    // fatal: invalid UTF-8 is a malformed token, not a string with U+FFFD in it.
    json = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    invalid(`has a ${name} that is not base64url-encoded UTF-8`)
  }
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    invalid(`has a ${name} that is not JSON`)
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) invalid(`has a ${name} that is not a JSON object`)
  return value as Record<string, unknown>
}

function invalid(what: string): never {
  throw new SessionKitError(
    'invalid_token',
    `The session token ${what}. Check that the adapter's createToken returns the JWT the server minted, unchanged.`,
  )
}
