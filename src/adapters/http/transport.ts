import type { AdapterResponse } from '../../core/adapter'
import type { TimerHandle } from '../../core/clock'
import { retryDelay } from '../../core/backoff'
import { SessionKitError, isSessionKitError, toSessionKitError } from '../../core/errors'
import { isConnectivityError } from '../../core/failurePolicy'
import { httpError, type AnswerBody } from './errors'
import type { ResolvedHttpOptions } from './options'

/**
 * A Retry-After longer than this is not waited out inside one call: the caller
 * gets `rate_limited` with `retryAfterMs` at once, so a call (a touch behind
 * "Stay signed in", say) never hangs for a minute while the UI cannot tell.
 */
export const MAX_INLINE_WAIT_MS = 10_000

/** One call of the sessionkit protocol, as a route in adapter.ts builds it. */
export interface HttpCall {
  /** The path under `v1/`; it never holds a token. */
  path: string
  /** Sent as JSON; `undefined` = no body. */
  body?: unknown
  /**
   * True when repeating the request would not leave the server as one request
   * would (a second sign-in creates a second session): such a call is never retried.
   */
  noRetry?: boolean
  /** Default: POST. */
  method?: 'GET' | 'POST' | 'DELETE'
}

const JSON_TYPE = 'application/json'

/**
 * Sends protocol calls: one `fetch` per attempt, timeouts and retries on the
 * injected clock. `name` (the adapter method) labels development messages.
 */
export const createTransport =
  ({ baseUrl, fetch, timeoutMs, clock, retries }: ResolvedHttpOptions) =>
  async <T>(name: string, { path, body, noRetry, method = 'POST' }: HttpCall): Promise<AdapterResponse<T>> => {
    const url = `${baseUrl}v1/${path}`
    const label = process.env.NODE_ENV !== 'production' ? `${name} (${method} /v1/${path})` : ''
    const headers: Record<string, string> = { Accept: JSON_TYPE }
    // A custom header cannot be sent cross-site without a CORS preflight: the server's CSRF guard.
    if (method !== 'GET') headers['X-SessionKit-Client'] = '1'

    /**
     * One request: the fetch, then its answer read and checked. An async function, so a
     * fetch that throws at once rejects like one that rejects. `shift` is subtracted from
     * the server's clock reading (see the loop below).
     */
    const request = async (signal: AbortSignal, shift: number): Promise<AdapterResponse<T>> => {
      try {
        const init: RequestInit = { method, headers, credentials: 'include', signal }
        // A body goes as JSON; a call without one sends no `body` at all (nor its Content-Type).
        if (body !== undefined) {
          headers['Content-Type'] = JSON_TYPE
          init.body = JSON.stringify(body)
        }
        const response = await fetch(url, init)
        if (typeof response?.status !== 'number') {
          throw new SessionKitError('invalid_response', process.env.NODE_ENV !== 'production' ? 'createHttpAdapter: `fetch` resolved with something that is not a Response; pass a real fetch.' : 'Not a Response.')
        }
        const { status } = response
        // Read as text: a proxy's HTML page must not throw a SyntaxError that quotes it.
        const text = await response.text()
        let parsed: AnswerBody | undefined
        try {
          parsed = JSON.parse(text) as AnswerBody
        } catch {
          // Not JSON: `parsed` stays undefined, and the checks below say so.
        }
        if (status < 200 || status > 299) throw httpError(label, status, parsed, response.headers.get('retry-after'), clock.now())
        // Only the envelope is checked here: what `data` holds is checked once,
        // where every adapter's answers enter the session client (src/core/validate.ts).
        // (JSON has no undefined: a missing "data" and a body that is not an object read alike.)
        if (parsed?.data === undefined || !Number.isFinite(parsed.serverNow)) {
          throw new SessionKitError(
            'invalid_response',
            process.env.NODE_ENV !== 'production' ? `${label}: the server answered ${status} but ${envelopeProblem!(parsed)}; check that baseUrl points at a sessionkit server (protocol v1).` : 'Unexpected server answer.',
            { status },
          )
        }
        return { data: parsed.data as T, serverNow: (parsed.serverNow as number) - shift }
      } catch (error) {
        // Whatever fails that is not already a SessionKitError (fetch, reading the body)
        // is a `network_error`, as everywhere (toSessionKitError); in development it names the request.
        if (process.env.NODE_ENV !== 'production' && !isSessionKitError(error)) {
          throw new SessionKitError('network_error', `${label}: the server could not be reached; sessionkit keeps the session and will retry. If this persists, check baseUrl and CORS.`, { cause: error })
        }
        throw toSessionKitError(error)
      }
    }

    const startedAt = clock.now()
    for (let attemptNumber = 1; ; attemptNumber++) {
      // The client measures skew over the whole call, retry waits included, taking
      // the server's clock as read half-way. Shift it so that half-way point is the
      // answering attempt's: a 4 s backoff must not skew every deadline by 2 s.
      const shift = (clock.now() - startedAt) / 2
      const controller = new AbortController()
      let timer: TimerHandle
      // The attempt is bounded by `timeoutMs` on the injected clock.
      const timedOut = new Promise<never>((_, reject) => {
        if (timeoutMs === Infinity) return
        timer = clock.setTimeout(() => {
          // Rejects at once even if this fetch ignores the signal.
          reject(new SessionKitError('timeout', process.env.NODE_ENV !== 'production' ? `${label}: the server did not answer within ${timeoutMs} ms; sessionkit keeps the session and will retry.` : 'Timed out.'))
          controller.abort()
        }, timeoutMs)
      })
      try {
        // A Clock ignores an unknown handle: the timer left unset when there is no timeout.
        return await Promise.race([timedOut, request(controller.signal, shift)]).finally(() => clock.clearTimeout(timer))
      } catch (error) {
        // An attempt fails only with a SessionKitError: its timeout, or what `request` throws.
        const failure = error as SessionKitError
        const wait = retryDelay(attemptNumber, failure.retryAfterMs)
        // A timeout is not repeated here: that attempt already cost a whole timeout (10 s by
        // default), and two more would keep "Stay signed in" saying "Renewing…" for half a
        // minute. The session client hears of it at once, tells the user it cannot reach the
        // server, and retries on its own backoff (and at once when back online). A 408 is a
        // server's own timeout, alike. Quick failures (a refused connection, a 502) keep their
        // short retries here.
        if (noRetry || attemptNumber > retries || !isConnectivityError(failure) || failure.code === 'timeout' || wait > MAX_INLINE_WAIT_MS) {
          if (attemptNumber === 1) throw failure
          // Says how many attempts it took, so a log shows the retries happened. The spread
          // copies the error's own fields (status, retryAfterMs, reverification).
          throw new SessionKitError(failure.code, `${failure.message} (${attemptNumber} attempts)`, { ...failure, cause: failure })
        }
        await new Promise<void>((resolve) => clock.setTimeout(resolve, wait))
      }
    }
  }

/**
 * What is wrong with an answer's envelope, for the development message. Development
 * only: `process.env.NODE_ENV !== 'production' ? function : undefined` leaves the
 * bundle in production (hence `envelopeProblem!` above).
 */
const envelopeProblem = process.env.NODE_ENV !== 'production'
  ? (parsed: unknown): string => {
      if (parsed === undefined) return 'the body is not JSON'
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return 'the body is not a JSON object'
      if (!('data' in parsed)) return 'the body has no "data"'
      return '"serverNow" is not a number of milliseconds'
    }
  : undefined
