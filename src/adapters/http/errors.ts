import { SessionKitError, type SessionKitErrorCode } from '../../core/errors'

/** The longest Retry-After the adapter reports (ms): a server asking for an hour is capped to a minute. */
export const MAX_RETRY_AFTER_MS = 60_000

/** Codes a sessionkit server may send in `errors[0].code`; any other code is classified by HTTP status. */
const WIRE_CODES: ReadonlySet<SessionKitErrorCode> = new Set<SessionKitErrorCode>([
  'unauthenticated',
  'session_expired',
  'session_not_found',
  'session_replaced',
  'invalid_credentials',
  'invalid_request',
  'forbidden',
  'reverification_required',
])

/** What the adapter needs to know of a request to describe its failure. */
export interface RequestLabel {
  /** The adapter method, e.g. `touchSession`. */
  operation: string
  method: string
  /** The path relative to the base URL (never holds a token). */
  path: string
}

/** What an error response said, once parsed (or not). */
export interface ErrorAnswer {
  status: number
  /** `errors[0].code`, when the body was a sessionkit error envelope. */
  code?: string
  /** `errors[0].message`. */
  message?: string
  /** `errors[0].meta`. */
  meta?: unknown
  retryAfterMs?: number
}

const label = ({ operation, method, path }: RequestLabel) => `${operation} (${method} ${path})`

/** The request never got an answer: fetch rejected or the timeout fired. */
export function connectionError(request: RequestLabel, timeoutMs: number | null, cause: unknown): SessionKitError {
  if (timeoutMs !== null) {
    return new SessionKitError(
      'timeout',
      `${label(request)}: the server did not answer within ${timeoutMs} ms; sessionkit keeps the session and will retry.`,
      { cause },
    )
  }
  return new SessionKitError(
    'network_error',
    `${label(request)}: the server could not be reached; sessionkit keeps the session and will retry. If this persists, check baseUrl and CORS.`,
    { cause },
  )
}

/**
 * Classifies an HTTP error answer. The status is trusted over the body where
 * it matters: a 5xx (a proxy's HTML 502 included) and a 429 are never a
 * sign-out, whatever the body says. A 4xx uses the sessionkit code when it is
 * one, else a code from the status.
 */
export function httpError(request: RequestLabel, answer: ErrorAnswer): SessionKitError {
  const { status, retryAfterMs } = answer
  const code = codeFor(answer)
  const said = answer.message === undefined ? '' : ` The server said: "${redact(answer.message)}"`
  const details = {
    status,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    ...(code === 'reverification_required' ? { reverification: copyMeta(answer.meta) } : {}),
  }
  return new SessionKitError(code, `${label(request)}: ${advice(code, status, retryAfterMs)}${said}`, details)
}

function codeFor({ status, code }: ErrorAnswer): SessionKitErrorCode {
  if (status >= 500) return 'server_error'
  if (status === 429) return 'rate_limited'
  if (code !== undefined && WIRE_CODES.has(code as SessionKitErrorCode)) return code as SessionKitErrorCode
  if (status === 408) return 'timeout'
  // A 401 is the server's definite answer even without our envelope; a bare 404
  // is a wrong URL (no such endpoint), never "no such session".
  if (status === 401) return 'unauthenticated'
  if (status === 403) return 'forbidden'
  return 'invalid_request'
}

function advice(code: SessionKitErrorCode, status: number, retryAfterMs: number | undefined): string {
  switch (code) {
    case 'server_error':
      return `the server failed (${status}); sessionkit keeps the session and will retry.`
    case 'rate_limited':
      return retryAfterMs === undefined
        ? 'too many requests (429); wait a little before trying again.'
        : `too many requests (429); wait ${Math.ceil(retryAfterMs / 1_000)} s before trying again.`
    case 'timeout':
      return `the server gave up waiting for the request (${status}); sessionkit keeps the session and will retry.`
    case 'unauthenticated':
      return `the server does not know this client (${status}); sign in again.`
    case 'session_expired':
      return `the session has ended on the server (${status}); sign in again.`
    case 'session_not_found':
      return `the server has no such session on this client (${status}); sign in again.`
    case 'session_replaced':
      return `a sign-in on another device replaced this session (${status}); sign in again to continue here.`
    case 'invalid_credentials':
      return `the credentials were not accepted (${status}); check them and try again.`
    case 'reverification_required':
      return `this action needs the user to verify again (${status}); run reverification, then retry.`
    case 'forbidden':
      return `the server refused the request (${status}); check the user's permissions, and that a proxy keeps the X-SessionKit-Client header.`
    default:
      return `the server rejected the request (${status}); check the parameters, and that baseUrl points at a sessionkit server.`
  }
}

/**
 * A server message goes into ours only short and with anything shaped like a
 * token cut out: an error message may end up in a log, a token never may.
 */
function redact(message: string): string {
  const clean = message
    .replace(/[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, '[redacted]')
    .replace(/[A-Za-z0-9_+/=-]{40,}/g, '[redacted]')
    .replace(/\s+/g, ' ')
    .trim()
  return clean.length > 200 ? `${clean.slice(0, 199)}…` : clean
}

function copyMeta(meta: unknown): unknown {
  return meta !== null && typeof meta === 'object' && !Array.isArray(meta) ? { ...meta } : (meta ?? null)
}

/**
 * Reads `Retry-After` (seconds, or an HTTP date compared with the server's own
 * clock when the body gave it) as ms, capped at `MAX_RETRY_AFTER_MS`.
 */
export function parseRetryAfter(header: string | null, serverNow: number): number | undefined {
  if (header === null) return undefined
  const value = header.trim()
  let ms: number
  if (/^\d+(\.\d+)?$/.test(value)) ms = Number(value) * 1_000
  else {
    const at = Date.parse(value)
    if (Number.isNaN(at)) return undefined
    ms = at - serverNow
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, Math.ceil(ms)))
}
