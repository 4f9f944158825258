import { SessionKitError } from './errors'
import { isFiniteNumber, isName, isRecord, isStringOrNull } from './validate'

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

/** Three dot-separated parts of one or more base64url characters (`\w` is `[A-Za-z0-9_]`): no '+', '/' or '=' padding. */
const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/

/**
 * Reads a JWT's claims without verifying its signature: the server that
 * receives the token verifies it; the client only needs to know when it
 * expires and whose it is. Throws `invalid_token` for anything malformed.
 */
export const decodeJwt = (token: string): TokenClaims => {
  // Messages never quote the token: tokens must never reach logs.
  // test() reads a non-string as a string, and none reads as a JWT ("undefined", "[object Object]", "1,2").
  if (!JWT.test(token)) {
    invalid(
      process.env.NODE_ENV !== 'production'
        ? // Inline: a production bundle drops a dead branch, but not the helpers it would call.
          ((parts: string[] | null) => {
            if (!parts) return 'is not a string'
            if (parts.length !== 3) return `has ${parts.length} part${parts.length === 1 ? '' : 's'} instead of 3`
            const [header, payload] = parts.map((part) => /^[\w-]+$/.test(part))
            return `has ${!header ? 'a header that is not base64url' : !payload ? 'a payload that is not base64url' : 'a missing or malformed signature'}`
          })(typeof token === 'string' ? token.split('.') : null)
        : '',
    )
  }
  // The header is decoded too (it must be a JSON object), then dropped.
  const [, claims] = token.split('.', 2).map(decodePart) as [unknown, Record<string, unknown>]
  for (const name of ['exp', 'iat']) if (!isFiniteNumber(claims[name])) invalid(process.env.NODE_ENV !== 'production' ? `has no numeric "${name}" claim` : '')
  for (const name of ['sid', 'sub']) {
    if (!isName(claims[name])) invalid(process.env.NODE_ENV !== 'production' ? `has no "${name}" claim (a non-empty string)` : '')
  }
  // A JSON object has no undefined members: absent is the only other way to say none.
  if (claims.org_id !== undefined && !isStringOrNull(claims.org_id)) invalid(process.env.NODE_ENV !== 'production' ? 'has an "org_id" claim that is neither a string nor null' : '')
  if ((claims.exp as number) <= (claims.iat as number)) invalid(process.env.NODE_ENV !== 'production' ? 'expires ("exp") no later than it was issued ("iat")' : '')
  return claims as TokenClaims
}

/** Decodes the header (index 0) or the payload (index 1). */
const decodePart = (part: string, index: number): Record<string, unknown> => {
  let value: unknown
  try {
    // atob refuses a length of 4n+1 (no byte sequence encodes to it) and needs no padding.
    const bytes = Uint8Array.from(atob(part.replace(/-/g, '+').replace(/_/g, '/')), (char) => char.charCodeAt(0))
    // fatal: invalid UTF-8 is a malformed token, not a string with U+FFFD in it.
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch (error) {
    // Only JSON.parse throws a SyntaxError; atob and the decoder throw other errors.
    invalid(process.env.NODE_ENV !== 'production' ? `has a ${index ? 'payload' : 'header'} that is not ${error instanceof SyntaxError ? 'JSON' : 'base64url-encoded UTF-8'}` : '')
  }
  if (!isRecord(value)) invalid(process.env.NODE_ENV !== 'production' ? `has a ${index ? 'payload' : 'header'} that is not a JSON object` : '')
  return value
}

/** Throws `invalid_token`. `message` is development-only text: callers pass `process.env.NODE_ENV !== 'production' ? '…' : ''`. */
export const invalidToken = (message: string): never => {
  throw new SessionKitError('invalid_token', process.env.NODE_ENV !== 'production' ? message : 'Invalid token.')
}

/** Throws `invalid_token` saying `what` is wrong with a token (development-only text). A production bundle keeps `invalidToken` itself. */
const invalid: (what: string) => never =
  process.env.NODE_ENV !== 'production'
    ? (what) => invalidToken(`The session token ${what}. Check that the adapter's createToken returns the JWT the server minted, unchanged.`)
    : invalidToken
