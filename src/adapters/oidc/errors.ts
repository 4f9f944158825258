import * as oauth from 'oauth4webapi'
import { SessionKitError, type SessionKitErrorCode } from '../../core/errors'
import { retryAfterMsOf } from '../../core/backoff'

/** What a failing provider call was, to say so in the message. */
export interface OidcCall {
  /** The adapter method, e.g. `touchSession`. */
  operation: string
  /** What it asked the provider, e.g. "the refresh grant". */
  request: string
  issuer: string
  clientId: string
  /** The code an `invalid_grant` answer means here (a refresh: a sign-out; a code exchange: a bad callback). */
  invalidGrant: SessionKitErrorCode
  /** Whether the request was aborted by the adapter's own timeout. */
  timedOutAfterMs?: number
  /** The adapter's clock now (ms), to read a `Retry-After` date against. */
  now: number
}

/** Answers the provider may give a public client it does not know or does not allow this grant. */
const CLIENT_ERRORS = new Set(['invalid_client', 'unauthorized_client', 'unsupported_grant_type'])

/**
 * Classifies anything a provider call threw. A failure to get an answer (or
 * a 5xx, a 429) keeps the session; only `invalid_grant` on a refresh signs
 * out. Messages never quote a token: the provider's own description is cut
 * short and scrubbed of anything shaped like one.
 */
export function toOidcError(call: OidcCall, error: unknown): SessionKitError {
  if (error instanceof SessionKitError) return error
  const at = `${call.operation} (${call.request} at ${call.issuer})`
  const make: Make = (code, message, status, retryAfterMs) =>
    new SessionKitError(code, `${at}: ${message}`, {
      cause: withoutBodies(error),
      ...(status === undefined ? {} : { status }),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    })

  if (call.timedOutAfterMs !== undefined) {
    return make('timeout', `the provider did not answer within ${call.timedOutAfterMs} ms; sessionkit keeps the session and will retry.`)
  }
  // Throttling and request timeouts are retryable whatever the body (a proxy's HTML page, say).
  const response = responseOf(error)
  if (response?.status === 429) {
    return make('rate_limited', 'the provider asked to slow down (429); sessionkit keeps the session and will retry later.', 429, retryAfterMsOf(response.headers.get('retry-after'), call.now))
  }
  if (response?.status === 408) {
    return make('timeout', 'the provider gave up waiting for the request (408); sessionkit keeps the session and will retry.', 408)
  }
  if (error instanceof oauth.ResponseBodyError) {
    return fromOAuthError(call, make, error.status, error.error, error.error_description)
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    const parameters = error.cause[0]?.parameters
    const code = parameters?.error ?? (error.status === 401 ? 'invalid_client' : 'invalid_request')
    return fromOAuthError(call, make, error.status, code, parameters?.error_description)
  }
  if (error instanceof oauth.OperationProcessingError) return fromProcessingError(call, make, error)
  if (error instanceof oauth.UnsupportedOperationError) {
    return make('invalid_response', `the provider's answer uses something oauth4webapi does not support (${error.message}).`)
  }
  // fetch rejects with a TypeError (or an AbortError) when there is no answer; oauth4webapi's own
  // argument errors are TypeErrors too, but carry a code.
  if (error instanceof Error && !(error as { code?: unknown }).code) {
    return make(
      'network_error',
      'the provider could not be reached; sessionkit keeps the session and will retry. If this persists, check `issuer` and that the provider allows this origin (CORS).',
    )
  }
  return make('invalid_response', `the request could not be made (${scrub(String((error as Error)?.message ?? error))}).`)
}

type Make = (code: SessionKitErrorCode, message: string, status?: number, retryAfterMs?: number) => SessionKitError

/** The provider's HTTP answer an oauth4webapi error carries, when it carries one. */
function responseOf(error: unknown): Response | undefined {
  const carried = error instanceof oauth.ResponseBodyError || error instanceof oauth.WWWAuthenticateChallengeError ? error.response : (error as Error | undefined)?.cause
  return error instanceof Error && carried instanceof Response ? carried : undefined
}

function fromOAuthError(call: OidcCall, make: Make, status: number, code: string, description?: string): SessionKitError {
  const said = description ? ` The provider said: "${scrub(description)}".` : ''
  if (status >= 500 || code === 'server_error' || code === 'temporarily_unavailable') {
    return make('server_error', `the provider failed (${status} ${code}); sessionkit keeps the session and will retry.${said}`, status)
  }
  if (CLIENT_ERRORS.has(code)) {
    return make(
      'oidc_invalid_client',
      `the provider refused client id "${call.clientId}" (${code}). Check \`clientId\` against the client registered at the provider, and that it is a public client (no secret, token_endpoint_auth_method "none") allowed the authorization_code and refresh_token grants.${said}`,
      status,
    )
  }
  if (code === 'invalid_grant') {
    if (call.invalidGrant === 'session_expired') {
      return make('session_expired', `the provider no longer accepts the session's refresh token and its deadline has passed; sign in again.${said}`, status)
    }
    if (call.invalidGrant === 'session_not_found') {
      return make(
        'session_not_found',
        `the provider no longer accepts the session's refresh token (invalid_grant): it was revoked, or the provider's own idle or maximum lifetime ended it; sign in again.${said}`,
        status,
      )
    }
    return make(
      call.invalidGrant,
      `the provider refused the sign-in answer (invalid_grant): the code expired or was used already, or redirectUri differs from the one registered; start the sign-in again.${said}`,
      status,
    )
  }
  return make('invalid_request', `the provider rejected the request (${status} ${code}); check scope and the client's settings at the provider.${said}`, status)
}

function fromProcessingError(call: OidcCall, make: Make, error: oauth.OperationProcessingError): SessionKitError {
  const cause = error.cause as { attribute?: unknown; body?: { issuer?: unknown }; status?: unknown } | undefined
  if (error.code === oauth.JSON_ATTRIBUTE_COMPARISON && cause?.attribute === 'issuer') {
    const said = typeof cause.body?.issuer === 'string' ? `"${cause.body.issuer}"` : 'another issuer'
    return make(
      'oidc_issuer_mismatch',
      `the provider's discovery document names its issuer ${said}, not "${call.issuer}". Set \`issuer\` to exactly the provider's value (a trailing slash counts).`,
    )
  }
  const status = typeof cause?.status === 'number' ? cause.status : undefined
  if (status !== undefined && status >= 500) {
    return make('server_error', `the provider failed (${status}); sessionkit keeps the session and will retry.`, status)
  }
  if (call.request === 'discovery') {
    const what = status !== undefined ? `answered ${status}` : `sent a document sessionkit cannot use (${scrub(error.message)})`
    return make(
      'oidc_discovery_failed',
      `the provider's OpenID configuration at ${discoveryUrl(call.issuer)} ${what}. Check \`issuer\`: it is the URL the provider's /.well-known/openid-configuration lives under.`,
      status,
    )
  }
  if (error.code === oauth.MISSING_SERVER_METADATA || error.code === oauth.INVALID_SERVER_METADATA || error.code === oauth.HTTP_REQUEST_FORBIDDEN) {
    return make('oidc_discovery_failed', `the provider's OpenID configuration is not usable here (${scrub(error.message)}); check the provider's settings.`)
  }
  if (error.code === oauth.JWT_TIMESTAMP_CHECK || error.code === oauth.JWT_CLAIM_COMPARISON) {
    return make(
      'invalid_response',
      `the provider's ID token failed validation (${scrub(error.message)}); check \`issuer\` and \`clientId\`, and that this device's clock is right.`,
      status,
    )
  }
  return make('invalid_response', `the provider's answer is not a valid OAuth response (${scrub(error.message)}).`, status)
}

/**
 * The cause to attach: oauth4webapi's errors carry the provider's whole answer
 * (a token response, tokens included) in their `cause`, and a logged error
 * prints its causes. Only the name, code and message are kept.
 */
function withoutBodies(error: unknown): unknown {
  if (!(error instanceof Error)) return error
  const copy = new Error(scrub(error.message))
  copy.name = error.name
  const { code, status } = error as { code?: unknown; status?: unknown }
  return Object.assign(copy, typeof code === 'string' ? { code } : {}, typeof status === 'number' ? { status } : {})
}

/** Where discovery looks for the configuration of `issuer` (OpenID Connect Discovery 1.0). */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`
}

/** A provider's text goes into a message only short and with anything shaped like a token cut out. */
function scrub(text: string): string {
  const clean = text
    .replace(/[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, '[redacted]')
    .replace(/[A-Za-z0-9_+/=-]{32,}/g, '[redacted]')
    .replace(/\s+/g, ' ')
    .trim()
  return clean.length > 160 ? `${clean.slice(0, 159)}…` : clean
}
