import type { AdapterResponse } from '../../core/adapter'
import type { TimerHandle } from '../../core/clock'
import { retryDelay } from '../../core/backoff'
import { SessionKitError, isSessionKitError } from '../../core/errors'
import { isConnectivityError } from '../../core/failurePolicy'
import { httpError } from './errors'
import type { ResolvedHttpOptions } from './options'

/**
 * A Retry-After longer than this is not waited out inside one call: the caller
 * gets `rate_limited` with `retryAfterMs` at once, so a call (a touch behind
 * "Stay signed in", say) never hangs for a minute while the UI cannot tell.
 */
export const MAX_INLINE_WAIT_MS = 10_000

/**
 * One call of the sessionkit protocol: the path under `v1/` (never holding
 * a token), a JSON body (`undefined` = none), `once`: true when repeating
 * the request would not leave the server as one request would, so it is
 * never retried, and the method (POST when left out).
 */
export type HttpCall = [path: string, body?: unknown, once?: boolean, method?: 'GET' | 'POST' | 'DELETE']

const JSON_TYPE = 'application/json'

/**
 * Sends protocol calls: one `fetch` per attempt, timeouts and retries on the
 * injected clock. `name` (the adapter method) labels development messages.
 * The call is built inside, so a bad argument rejects instead of throwing.
 */
export const createTransport =
  ([baseUrl, fetch, timeoutMs, clock, retries]: ResolvedHttpOptions) =>
  async <T>(name: string, build: () => HttpCall): Promise<AdapterResponse<T>> => {
    const [path, body, once, method = 'POST'] = build()
    const label = process.env.NODE_ENV !== 'production' ? `${name} (${method} /v1/${path})` : ''
    const headers: Record<string, string> = { Accept: JSON_TYPE }
    // A custom header cannot be sent cross-site without a CORS preflight: the server's CSRF guard.
    if (method != 'GET') headers['X-SessionKit-Client'] = '1'
    if (body !== undefined) headers['Content-Type'] = JSON_TYPE
    const startedAt = clock.now()
    for (let n = 1; ; n++) {
      // The client measures skew over the whole call, retry waits included, taking
      // the server's clock as read half-way. Shift it so that half-way point is the
      // answering attempt's: a 4 s backoff must not skew every deadline by 2 s.
      const shift = (clock.now() - startedAt) / 2
      const controller = new AbortController()
      let timer: TimerHandle
      try {
        // One fetch, body read and checked included, bounded by `timeoutMs` on the injected clock.
        return await Promise.race([
          new Promise<never>((_, reject) => {
            if (timeoutMs < Infinity) {
              timer = clock.setTimeout(() => {
                // Rejects at once even if this fetch ignores the signal.
                reject(new SessionKitError('timeout', process.env.NODE_ENV !== 'production' ? `${label}: the server did not answer within ${timeoutMs} ms; sessionkit keeps the session and will retry.` : 'Timed out.'))
                controller.abort()
              }, timeoutMs)
            }
          }),
          // In a `then`, so a fetch that throws at once rejects like one that rejects.
          Promise.resolve()
            .then(async () => {
              const response = await fetch(`${baseUrl}v1/${path}`, {
                method,
                headers,
                credentials: 'include',
                signal: controller.signal,
                // JSON.stringify(undefined) is undefined: no body.
                body: JSON.stringify(body),
              })
              if (typeof response?.status != 'number') {
                throw new SessionKitError('invalid_response', process.env.NODE_ENV !== 'production' ? 'createHttpAdapter: `fetch` resolved with something that is not a Response; pass a real fetch.' : 'Not a Response.')
              }
              const { status } = response
              // Read as text: a proxy's HTML page must not throw a SyntaxError that quotes it.
              const text = await response.text()
              let json: any
              try {
                json = JSON.parse(text)
              } catch {}
              if (status < 200 || status > 299) throw httpError(label, status, json, response.headers.get('retry-after'), clock.now())
              // Only the envelope is checked here: what `data` holds is checked once,
              // where every adapter's answers enter the session client (src/core/validate.ts).
              // (JSON has no undefined: a missing "data" and a body that is not an object read alike.)
              if (json?.data === undefined || !Number.isFinite(json.serverNow)) {
                throw new SessionKitError(
                  'invalid_response',
                  process.env.NODE_ENV !== 'production' ? `${label}: the server answered ${status} but ${envelopeProblem!(json)}; check that baseUrl points at a sessionkit server (protocol v1).` : 'Unexpected server answer.',
                  { status },
                )
              }
              return { data: json.data as T, serverNow: json.serverNow - shift }
            })
            .catch((error) => {
              throw isSessionKitError(error)
                ? error
                : new SessionKitError('network_error', process.env.NODE_ENV !== 'production' ? `${label}: the server could not be reached; sessionkit keeps the session and will retry. If this persists, check baseUrl and CORS.` : 'Network error.', { cause: error })
            }),
        ]).finally(() => timer !== undefined && clock.clearTimeout(timer))
      } catch (error) {
        const wait = retryDelay(n, (error as SessionKitError).retryAfterMs)
        if (once || n > retries || !isConnectivityError(error) || wait > MAX_INLINE_WAIT_MS) {
          // Says how many attempts it took, so a log shows the retries happened. The spread
          // copies the error's own fields (status, retryAfterMs, reverification).
          throw n > 1 ? new SessionKitError((error as SessionKitError).code, `${(error as Error).message} (${n} attempts)`, { ...(error as SessionKitError), cause: error }) : error
        }
        await new Promise<void>((resolve) => clock.setTimeout(resolve, wait))
      }
    }
  }

// Development only: `process.env.NODE_ENV !== 'production' ? function : undefined` leaves the bundle in production.
const envelopeProblem = process.env.NODE_ENV !== 'production'
  ? (json: unknown): string =>
      json === undefined
        ? 'the body is not JSON'
        : json === null || typeof json != 'object' || Array.isArray(json)
          ? 'the body is not a JSON object'
          : !('data' in json)
            ? 'the body has no "data"'
            : '"serverNow" is not a number of milliseconds'
  : undefined
