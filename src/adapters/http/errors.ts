import { SessionKitError } from '../../core/errors'
import { retryAfterMsOf } from '../../core/backoff'


/**
 * An answer's parsed body, as far as the adapter reads it. It comes from a server
 * or a proxy, so any field may be missing or of another type, and `JSON.parse` may
 * give any JSON value (reading a field of a number or a string gives `undefined`):
 * every read goes through `?.` and checks what it gets.
 */
export interface AnswerBody {
  data?: unknown
  serverNow?: unknown
  errors?: ({ code?: unknown; message?: unknown; meta?: unknown } | null | undefined)[]
}

/** Codes a sessionkit server may send in `errors[0].code`; any other code is classified by HTTP status. */
const WIRE_CODES = [
  'unauthenticated',
  'session_expired',
  'session_not_found',
  'session_replaced',
  'invalid_credentials',
  'invalid_request',
  'forbidden',
  'reverification_required',
] as const

type WireCode = (typeof WIRE_CODES)[number]

const isWireCode = (code: unknown): code is WireCode => (WIRE_CODES as readonly unknown[]).includes(code)

/** Every code `httpError` can give. */
type HttpErrorCode = WireCode | 'server_error' | 'rate_limited' | 'timeout'

/**
 * The code for an HTTP error answer. The status is trusted over the body where
 * it matters: a 5xx (a proxy's HTML 502 included) and a 429 are never a
 * sign-out, whatever the body says. A 4xx uses the sessionkit code when it is
 * one, else a code from the status: a 401 is the server's definite answer even
 * without our envelope; a bare 404 is a wrong URL (no such endpoint), never
 * "no such session".
 */
function errorCode(status: number, wireCode: unknown): HttpErrorCode {
  if (status >= 500) return 'server_error'
  if (status === 429) return 'rate_limited'
  if (isWireCode(wireCode)) return wireCode
  if (status === 408) return 'timeout'
  if (status === 401) return 'unauthenticated'
  if (status === 403) return 'forbidden'
  return 'invalid_request'
}

/**
 * The error for an HTTP error answer (see `errorCode`). `body` is the parsed body
 * (`undefined` when not JSON), `retryAfterHeader` the Retry-After header.
 * `label` names the request, in development messages only.
 */
export function httpError(label: string, status: number, body: AnswerBody | undefined, retryAfterHeader: string | null, clientNow: number): SessionKitError {
  const firstError = body?.errors?.[0]
  const code = errorCode(status, firstError?.code)

  // Retry-After (retryAfterMsOf), a date read on the server's clock when the body gave it.
  let retryAfterMs: number | undefined
  if (status === 429 || status === 503) {
    const serverNow = body?.serverNow
    retryAfterMs = retryAfterMsOf(retryAfterHeader, Number.isFinite(serverNow) ? (serverNow as number) : clientNow)
  }

  // What the server asks to be verified again. An object is copied: the error must
  // not share one with whoever parsed the body. Anything else is kept as it is; none is null.
  let reverification: unknown
  if (code === 'reverification_required') {
    const meta = firstError?.meta
    reverification = meta && typeof meta === 'object' && !Array.isArray(meta) ? { ...meta } : (meta ?? null)
  }

  return new SessionKitError(
    code,
    process.env.NODE_ENV !== 'production' ? `${label}: ${explain!(code, status, retryAfterMs, firstError?.message)}` : `Server answered ${status}.`,
    { status, retryAfterMs, reverification },
  )
}

/**
 * The development message: what the code means and what to do, then the
 * server's own message. That goes in only short and with anything shaped like
 * a token cut out: an error message may end up in a log, a token never may.
 * Development only, so `… !== 'production' ? function : undefined`: a production bundle keeps
 * only `undefined` (a plain function used in a dead branch would stay); hence `explain!` above.
 */
const explain = process.env.NODE_ENV !== 'production'
  ? (code: HttpErrorCode, status: number, retryAfterMs: number | undefined, serverMessage: unknown): string => {
      const advice: Record<HttpErrorCode, string> = {
        server_error: `the server failed (${status}); sessionkit keeps the session and will retry.`,
        rate_limited:
          retryAfterMs === undefined
            ? 'too many requests (429); wait a little before trying again.'
            : `too many requests (429); wait ${Math.ceil(retryAfterMs / 1_000)} s before trying again.`,
        timeout: `the server gave up waiting for the request (${status}); sessionkit keeps the session and will retry.`,
        unauthenticated: `the server does not know this client (${status}); sign in again.`,
        session_expired: `the session has ended on the server (${status}); sign in again.`,
        session_not_found: `the server has no such session on this client (${status}); sign in again.`,
        session_replaced: `a sign-in on another device replaced this session (${status}); sign in again to continue here.`,
        invalid_credentials: `the credentials were not accepted (${status}); check them and try again.`,
        reverification_required: `this action needs the user to verify again (${status}); run reverification, then retry.`,
        forbidden: `the server refused the request (${status}); check the user's permissions, and that a proxy keeps the X-SessionKit-Client header.`,
        invalid_request: `the server rejected the request (${status}); check the parameters, and that baseUrl points at a sessionkit server.`,
      }
      if (typeof serverMessage !== 'string') return advice[code]
      const clean = serverMessage
        // A JWT (three base64url parts), then any other long base64 run (an opaque token, a key).
        .replace(/[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, '[redacted]')
        .replace(/[A-Za-z0-9_+/=-]{40,}/g, '[redacted]')
        .replace(/\s+/g, ' ')
        .trim()
      const short = clean.length > 200 ? `${clean.slice(0, 199)}…` : clean
      return `${advice[code]} The server said: "${short}"`
    }
  : undefined
