import { DEV } from './development'
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

/** One or more base64url characters (`\w` is `[A-Za-z0-9_]`): no '+', '/' or '=' padding. */
const BASE64URL = /^[\w-]+$/

/**
 * Reads a JWT's claims without verifying its signature: the server that
 * receives the token verifies it; the client only needs to know when it
 * expires and whose it is. Throws `invalid_token` for anything malformed.
 */
export function decodeJwt(token: string): TokenClaims {
  // Messages never quote the token: tokens must never reach logs.
  if (typeof token !== 'string') invalid(DEV ? 'is not a string' : '')
  const parts = token.split('.')
  if (parts.length !== 3) invalid(DEV ? `has ${parts.length} part${parts.length === 1 ? '' : 's'} instead of 3` : '')
  const [header, payload, signature] = parts as [string, string, string]
  if (!BASE64URL.test(signature)) invalid(DEV ? 'has a missing or malformed signature' : '')
  decodePart(header, 'header')
  const claims = decodePart(payload, 'payload')
  // Number.isFinite is false for anything that is not a number.
  for (const name of ['exp', 'iat']) if (!Number.isFinite(claims[name])) invalid(DEV ? `has no numeric "${name}" claim` : '')
  for (const name of ['sid', 'sub']) {
    if (typeof claims[name] !== 'string' || !claims[name]) invalid(DEV ? `has no "${name}" claim (a non-empty string)` : '')
  }
  // A JSON object has no undefined members: absent is the only other way to say none.
  if (claims.org_id != null && typeof claims.org_id !== 'string') invalid(DEV ? 'has an "org_id" claim that is neither a string nor null' : '')
  if ((claims.exp as number) <= (claims.iat as number)) invalid(DEV ? 'expires ("exp") no later than it was issued ("iat")' : '')
  return claims as TokenClaims
}

function decodePart(part: string, name: 'header' | 'payload'): Record<string, unknown> {
  if (!BASE64URL.test(part)) invalid(DEV ? `has a ${name} that is not base64url` : '')
  let value: unknown
  try {
    // atob refuses a length of 4n+1 (no byte sequence encodes to it) and needs no padding.
    const bytes = Uint8Array.from(atob(part.replace(/-/g, '+').replace(/_/g, '/')), (char) => char.charCodeAt(0))
    // fatal: invalid UTF-8 is a malformed token, not a string with U+FFFD in it.
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch (error) {
    // Only JSON.parse throws a SyntaxError; atob and the decoder throw other errors.
    invalid(DEV ? `has a ${name} that is not ${error instanceof SyntaxError ? 'JSON' : 'base64url-encoded UTF-8'}` : '')
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) invalid(DEV ? `has a ${name} that is not a JSON object` : '')
  return value as Record<string, unknown>
}

function invalid(what: string): never {
  throw new SessionKitError(
    'invalid_token',
    DEV ? `The session token ${what}. Check that the adapter's createToken returns the JWT the server minted, unchanged.` : 'Invalid token.',
  )
}
