import { SessionKitError, type SessionKitErrorCode } from '../../core/errors'

/** The longest Retry-After the adapter reports (ms): a server asking for an hour is capped to a minute. */
export const MAX_RETRY_AFTER_MS = 60_000

/** Codes a sessionkit server may send in `errors[0].code`; any other code is classified by HTTP status. */
const WIRE_CODES = 'unauthenticated session_expired session_not_found session_replaced invalid_credentials invalid_request forbidden reverification_required'.split(' ')

/**
 * Classifies an HTTP error answer. The status is trusted over the body where
 * it matters: a 5xx (a proxy's HTML 502 included) and a 429 are never a
 * sign-out, whatever the body says. A 4xx uses the sessionkit code when it is
 * one, else a code from the status: a 401 is the server's definite answer even
 * without our envelope; a bare 404 is a wrong URL (no such endpoint), never
 * "no such session". `json` is the parsed body (`undefined` when not JSON),
 * `retryAfter` the header. `label` names the request, in development messages only.
 */
export function httpError(label: string, status: number, json: any, retryAfter: string | null, clientNow: number): SessionKitError {
  const first = json?.errors?.[0]
  const wire: string | undefined = first?.code
  const code = (
    status > 499 ? 'server_error'
    : status == 429 ? 'rate_limited'
    : WIRE_CODES.includes(wire!) ? wire
    : status == 408 ? 'timeout'
    : status == 401 ? 'unauthenticated'
    : status == 403 ? 'forbidden'
    : 'invalid_request'
  ) as SessionKitErrorCode
  // Retry-After, as ms capped at MAX_RETRY_AFTER_MS: seconds, or an HTTP date read
  // on the server's clock when the body gave it. No header (or garbage) reads as NaN.
  let retryAfterMs: number | undefined
  if (status == 429 || status == 503) {
    const value = retryAfter?.trim() ?? ''
    const ms = /^\d+(\.\d+)?$/.test(value) ? +value * 1_000 : Date.parse(value) - (Number.isFinite(json?.serverNow) ? json.serverNow : clientNow)
    if (!isNaN(ms)) retryAfterMs = Math.min(MAX_RETRY_AFTER_MS, Math.max(0, Math.ceil(ms)))
  }
  const meta = first?.meta
  return new SessionKitError(
    code,
    process.env.NODE_ENV !== 'production' ? `${label}: ${explain!(code, status, retryAfterMs, first?.message)}` : `Server answered ${status}.`,
    {
      status,
      retryAfterMs,
      // A copy: the error must not share an object with whoever parsed the body.
      reverification: code == 'reverification_required' ? (meta && typeof meta == 'object' && !Array.isArray(meta) ? { ...meta } : (meta ?? null)) : undefined,
    },
  )
}

/**
 * The development message: what the code means and what to do, then the
 * server's own message. That goes in only short and with anything shaped like
 * a token cut out: an error message may end up in a log, a token never may.
 * Development only, so `… !== 'production' ? function : undefined`: a production bundle keeps
 * only `undefined` (a plain function used in a dead branch would stay).
 */
const explain = process.env.NODE_ENV !== 'production'
  ? (code: SessionKitErrorCode, status: number, retryAfterMs: number | undefined, said: unknown): string => {
      const advice = {
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
      }[code as string]
      if (typeof said != 'string') return advice!
      const clean = said
        .replace(/[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, '[redacted]')
        .replace(/[A-Za-z0-9_+/=-]{40,}/g, '[redacted]')
        .replace(/\s+/g, ' ')
        .trim()
      return `${advice} The server said: "${clean.length > 200 ? `${clean.slice(0, 199)}…` : clean}"`
    }
  : undefined
