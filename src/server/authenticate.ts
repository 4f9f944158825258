import { SessionKitError, isSessionKitError } from '../core/errors'
import { verifySessionToken, type SessionTokenClaims, type VerifySessionTokenOptions } from './verifySessionToken'

/** Anything with request headers: a web `Request`, a `Headers`-bearing object, Next's `NextRequest`. */
export interface RequestLike {
  headers: { get(name: string): string | null }
}

/** Why a request counts as signed out. */
export type SignedOutReason =
  /** No `Authorization` header. */
  | 'no_token'
  /** An `Authorization` header that is not `Bearer <token>`. */
  | 'malformed_header'
  /** A token past its `exp`: the client should fetch a fresh one and retry. */
  | 'token_expired'
  /** A token that fails verification (signature, algorithm, issuer, shape). */
  | 'token_invalid'

/** A request with a valid session token. */
export interface SignedInAuth {
  signedIn: true
  /** The verified claims: `sub` is the user, `sid` the session. */
  claims: SessionTokenClaims
}

/** A request without a valid session token: answer 401. */
export interface SignedOutAuth {
  signedIn: false
  reason: SignedOutReason
  /** A sentence for the 401 body or a log line; never quotes the token. */
  message: string
  /** The verification error, for `token_expired` and `token_invalid`. */
  error?: SessionKitError
}

/** What `authenticate` resolves: check `signedIn`. */
export type AuthResult = SignedInAuth | SignedOutAuth

/** The value for a 401's `WWW-Authenticate` header (RFC 6750); `error="invalid_token"` once a token was sent. */
export function wwwAuthenticate(auth: SignedOutAuth): string {
  return auth.reason === 'no_token' ? 'Bearer' : 'Bearer error="invalid_token"'
}

// RFC 6750 b64token after a case-insensitive scheme; anything else is a malformed header.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i

/**
 * Reads `Authorization: Bearer <token>` from a request and verifies the token
 * with `verifySessionToken`. A missing, malformed, expired or invalid token
 * resolves `{ signedIn: false, reason }` (answer 401); a key set that cannot
 * be read still rejects `jwks_unavailable`, since an outage is not a sign-out
 * (answer 503).
 */
export async function authenticate(request: RequestLike, options: VerifySessionTokenOptions): Promise<AuthResult> {
  if (request === null || typeof request !== 'object' || typeof request.headers?.get !== 'function') {
    throw new SessionKitError('invalid_option', 'authenticate: pass the incoming Request (anything with headers.get).')
  }
  const header = request.headers.get('authorization')
  if (header === null || header.trim() === '') {
    return { signedIn: false, reason: 'no_token', message: 'Send the session token as "Authorization: Bearer <token>".' }
  }
  const match = BEARER.exec(header)
  if (!match) {
    return {
      signedIn: false,
      reason: 'malformed_header',
      message: 'The Authorization header is not "Bearer <token>": send the session token from getToken() after "Bearer ".',
    }
  }
  try {
    return { signedIn: true, claims: await verifySessionToken(match[1]!, options) }
  } catch (error) {
    if (isSessionKitError(error, 'token_expired', 'token_invalid')) {
      return { signedIn: false, reason: error.code as 'token_expired' | 'token_invalid', message: error.message, error }
    }
    throw error
  }
}
