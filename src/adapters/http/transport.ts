import type { AdapterResponse } from '../../core/adapter'
import { retryDelay } from '../../core/backoff'
import { SessionKitError, isSessionKitError, type SessionKitErrorCode } from '../../core/errors'
import { connectionError, httpError, parseRetryAfter, type ErrorAnswer, type RequestLabel } from './errors'
import type { ResolvedHttpOptions } from './options'

/**
 * A Retry-After longer than this is not waited out inside one call: the caller
 * gets `rate_limited` with `retryAfterMs` at once, so a call (a touch behind
 * "Stay signed in", say) never hangs for a minute while the UI cannot tell.
 */
export const MAX_INLINE_WAIT_MS = 10_000

/** The server was not reached or could not answer: worth another attempt of a call that is safe to repeat. */
const RETRIED_CODES: readonly SessionKitErrorCode[] = ['network_error', 'timeout', 'server_error', 'rate_limited']

/** One call of the sessionkit protocol. */
export interface HttpCall extends RequestLabel {
  method: 'GET' | 'POST' | 'DELETE'
  /** A JSON body; `undefined` = none. */
  body?: unknown
  /** Whether repeating the request leaves the server as one request would: only then is it retried. */
  idempotent: boolean
}

interface Answer {
  status: number
  headers: Headers
  /** The parsed JSON body, or `undefined` when it was not JSON. */
  json: unknown
}

/** Sends protocol calls: one `fetch` per attempt, timeouts and retries on the injected clock. */
export class HttpTransport {
  readonly #options: ResolvedHttpOptions

  constructor(options: ResolvedHttpOptions) {
    this.#options = options
  }

  async send<T>(call: HttpCall): Promise<AdapterResponse<T>> {
    const { clock, retries } = this.#options
    const startedAt = clock.now()
    const attempts = call.idempotent ? retries + 1 : 1
    for (let attempt = 1; ; attempt++) {
      const attemptStartedAt = clock.now()
      try {
        const response = await this.#attempt<T>(call)
        // The client measures skew over the whole call, retry waits included, taking
        // the server's clock as read half-way. Shift it so that half-way point is the
        // answering attempt's: a 4 s backoff must not skew every deadline by 2 s.
        return { data: response.data, serverNow: response.serverNow - (attemptStartedAt - startedAt) / 2 }
      } catch (error) {
        if (attempt >= attempts || !isSessionKitError(error, ...RETRIED_CODES)) throw withAttempts(error, attempt)
        const wait = retryDelay(attempt, (error as SessionKitError).retryAfterMs)
        if (wait > MAX_INLINE_WAIT_MS) throw withAttempts(error, attempt)
        await new Promise<void>((resolve) => clock.setTimeout(resolve, wait))
      }
    }
  }

  async #attempt<T>(call: HttpCall): Promise<AdapterResponse<T>> {
    const answer = await this.#exchange(call)
    if (answer.status < 200 || answer.status > 299) throw httpError(call, errorAnswer(answer, this.#options.clock.now()))
    return parseEnvelope<T>(call, answer)
  }

  /** One fetch, body read included, bounded by `timeoutMs` on the injected clock. */
  #exchange(call: HttpCall): Promise<Answer> {
    const { baseUrl, getFetch, timeoutMs, clock } = this.#options
    const fetch = getFetch()
    const controller = new AbortController()
    const headers: Record<string, string> = { Accept: 'application/json' }
    // A custom header cannot be sent cross-site without a CORS preflight: the server's CSRF guard.
    if (call.method !== 'GET') headers['X-SessionKit-Client'] = '1'
    if (call.body !== undefined) headers['Content-Type'] = 'application/json'
    const init: RequestInit = {
      method: call.method,
      headers,
      credentials: 'include',
      signal: controller.signal,
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
    }
    return new Promise<Answer>((resolve, reject) => {
      let settled = false
      const timer =
        timeoutMs === Infinity
          ? undefined
          : clock.setTimeout(() => {
              if (settled) return
              settled = true
              // Rejects at once even if this fetch ignores the signal.
              reject(connectionError(call, timeoutMs, undefined))
              controller.abort()
            }, timeoutMs)
      const finish = (outcome: () => void) => {
        if (settled) return
        settled = true
        if (timer !== undefined) clock.clearTimeout(timer)
        outcome()
      }
      Promise.resolve()
        .then(() => fetch(`${baseUrl}${call.path.slice(1)}`, init))
        .then(readAnswer)
        .then(
          (answer) => finish(() => resolve(answer)),
          (error) => finish(() => reject(isSessionKitError(error) ? error : connectionError(call, null, error))),
        )
    })
  }
}

async function readAnswer(response: Response): Promise<Answer> {
  if (response === null || typeof response !== 'object' || typeof response.status !== 'number') {
    throw new SessionKitError('invalid_response', 'createHttpAdapter: `fetch` resolved with something that is not a Response; pass a real fetch.')
  }
  // Read as text: a proxy's HTML page must not throw a SyntaxError that quotes it.
  const text = await response.text()
  let json: unknown
  try {
    json = text === '' ? undefined : JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: response.status, headers: response.headers, json }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

function errorAnswer({ status, headers, json }: Answer, clientNow: number): ErrorAnswer {
  const body = isRecord(json) ? json : {}
  const first = Array.isArray(body.errors) && isRecord(body.errors[0]) ? body.errors[0] : {}
  const serverNow = typeof body.serverNow === 'number' && Number.isFinite(body.serverNow) ? body.serverNow : clientNow
  const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(headers.get('retry-after'), serverNow) : undefined
  return {
    status,
    ...(typeof first.code === 'string' ? { code: first.code } : {}),
    ...(typeof first.message === 'string' ? { message: first.message } : {}),
    ...('meta' in first ? { meta: first.meta } : {}),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  }
}

/**
 * A 2xx answer must be the protocol's envelope, `{ data, serverNow }`. What
 * `data` holds is checked once, where every adapter's answers enter the
 * session client (src/core/validate.ts), not here again.
 */
function parseEnvelope<T>(call: HttpCall, { status, json }: Answer): AdapterResponse<T> {
  const wrong = (what: string) =>
    new SessionKitError(
      'invalid_response',
      `${call.operation} (${call.method} ${call.path}): the server answered ${status} but ${what}; check that baseUrl points at a sessionkit server (protocol v1).`,
      { status },
    )
  if (json === undefined) throw wrong('the body is not JSON')
  if (!isRecord(json)) throw wrong('the body is not a JSON object')
  if (!('data' in json)) throw wrong('the body has no "data"')
  if (typeof json.serverNow !== 'number' || !Number.isFinite(json.serverNow)) {
    throw wrong('"serverNow" is not a number of milliseconds')
  }
  return { data: json.data as T, serverNow: json.serverNow }
}

/** Says how many attempts a connectivity error took, so a log shows the retries happened. */
function withAttempts(error: unknown, attempts: number): unknown {
  if (attempts === 1 || !isSessionKitError(error)) return error
  return new SessionKitError(error.code, `${error.message} (${attempts} attempts)`, {
    status: error.status,
    retryAfterMs: error.retryAfterMs,
    reverification: error.reverification,
    cause: error,
  })
}
