/** Every code a SessionKitError can carry. */
export type SessionKitErrorCode =
  // Bad input from the app: fix the call or the configuration.
  | 'invalid_option'
  | 'invalid_policy'
  | 'invalid_token'
  | 'invalid_response'
  | 'missing_provider'
  | 'client_destroyed'
  /** The adapter lacks the method this call needs; the message names it. */
  | 'not_supported'
  // Connectivity: the session is kept, the request is retried.
  | 'network_error'
  | 'timeout'
  | 'server_error'
  | 'rate_limited'
  // Definite answers from the server.
  | 'unauthenticated'
  | 'session_expired'
  | 'session_not_found'
  /** A sign-in on another device replaced this session (one-device policy). */
  | 'session_replaced'
  | 'invalid_credentials'
  | 'invalid_request'
  | 'forbidden'
  | 'reverification_required'
  | 'reverification_cancelled'
  // The session ended while a request was in flight.
  | 'signed_out'
  // OpenID Connect (sessionkit/adapters/oidc): the provider's setup or a sign-in answer is wrong.
  | 'oidc_discovery_failed'
  | 'oidc_issuer_mismatch'
  | 'oidc_invalid_client'
  | 'oidc_state_mismatch'
  | 'oidc_missing_verifier'
  | 'oidc_callback_error'
  // sessionkit/server: a presented token fails verification (the caller is signed out), or the JWKS cannot be read (not the token's fault).
  | 'token_expired'
  | 'token_invalid'
  | 'jwks_unavailable'

/** Extra facts attached to an error, for logs and retry decisions. */
export interface SessionKitErrorDetails {
  /** HTTP status of the response that caused the error, when there was one. */
  status?: number
  /** How long the server asked us to wait before retrying (429 Retry-After), in ms. */
  retryAfterMs?: number
  /** For `reverification_required`: the level the server asked for. */
  reverification?: unknown
  /** The underlying error, when one was wrapped. */
  cause?: unknown
}

/**
 * The one error type sessionkit throws. `code` is stable and meant for
 * `switch`; `message` is a sentence that says what to do.
 */
export class SessionKitError extends Error {
  override readonly name = 'SessionKitError'
  // Declared, not initialized: the constructor sets them (a class field would cost its name twice in the bundle).
  declare readonly code: SessionKitErrorCode
  declare readonly status: number | undefined
  declare readonly retryAfterMs: number | undefined
  declare readonly reverification: unknown

  constructor(code: SessionKitErrorCode, message: string, details: SessionKitErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.code = code
    this.status = details.status
    this.retryAfterMs = details.retryAfterMs
    this.reverification = details.reverification
  }
}

/** True for any SessionKitError, optionally of one of the given codes. */
export const isSessionKitError = (error: unknown, ...codes: SessionKitErrorCode[]): error is SessionKitError =>
  error instanceof SessionKitError && (codes.length === 0 || codes.includes(error.code))

/** Wraps anything thrown into a SessionKitError, keeping SessionKitErrors as they are. */
export const toSessionKitError = (error: unknown): SessionKitError =>
  error instanceof SessionKitError
    ? error
    : new SessionKitError(
        'network_error',
        process.env.NODE_ENV !== 'production' ? 'The server could not be reached; sessionkit will retry.' : 'Server unreachable.',
        { cause: error },
      )
