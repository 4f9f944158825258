import { systemClock, type Clock } from '../../core/clock'
import { SessionKitError } from '../../core/errors'

/** The `fetch` the adapter calls: the standard signature, or anything shaped like it (a test fake, a wrapper). */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>

/** Options of `createHttpAdapter`. Durations are milliseconds. */
export interface HttpAdapterOptions {
  /**
   * Where the sessionkit server lives. Required. An absolute `http(s)://` URL,
   * or a path on this origin (`''` or `'/'` for the root, `'/auth'`), which
   * keeps cookies first-party and works behind any reverse proxy.
   */
  baseUrl: string
  /** Sends the requests. Default: `globalThis.fetch`, looked up at each request (so importing on a server never throws). */
  fetch?: FetchFunction
  /** A request (body included) that takes longer is aborted and fails with `timeout`; `Infinity` waits forever. Default 10,000. */
  timeoutMs?: number
  /** Source of time for request timeouts and retry waits. Default: the system clock. */
  clock?: Clock
  /** Extra attempts for a call that is safe to repeat, after a network error, timeout, 5xx or 429. Default 2. */
  retries?: number
}

/**
 * The options with defaults applied and checked: the normalized base URL
 * (always ends with exactly one `/`), the fetch to call, the timeout, the
 * clock, the retries.
 */
export type ResolvedHttpOptions = [baseUrl: string, fetch: FetchFunction, timeoutMs: number, clock: Clock, retries: number]

/** Default per-request timeout (ms). */
export const DEFAULT_TIMEOUT_MS = 10_000
/** Default number of extra attempts for calls that are safe to repeat. */
export const DEFAULT_RETRIES = 2

const isFunction = (value: unknown): value is (...args: never[]) => unknown => typeof value == 'function'

/** In production the message is short, and `explanation` is '' (each call site writes `process.env.NODE_ENV !== 'production' ? '…' : ''`). */
const invalid = (explanation: string) => new SessionKitError('invalid_option', process.env.NODE_ENV !== 'production' ? `createHttpAdapter: ${explanation}` : 'Invalid option.')

/**
 * Checks the options. `baseUrl` comes back with exactly one trailing `/`, so
 * endpoint paths append cleanly and `'/auth'` and `'/auth/'` name the same backend.
 */
export function resolveHttpOptions(options: HttpAdapterOptions): ResolvedHttpOptions {
  // Object(): null or a primitive destructures as an empty object; the first check names it.
  const { baseUrl, fetch, timeoutMs = DEFAULT_TIMEOUT_MS, clock = systemClock, retries = DEFAULT_RETRIES } = Object(options) as HttpAdapterOptions
  const trimmed = String(baseUrl).trim()
  // '' or one leading '/' (two would be another host): a path on this origin.
  const onThisOrigin = /^(\/(?!\/)|$)/.test(trimmed)
  let url: URL | undefined
  try {
    // A path is resolved against a placeholder only to normalize it (dot segments, escapes).
    url = new URL(trimmed, 'http://same-origin.invalid')
  } catch {}
  // The first problem found; its explanation is development-only (production keeps `1`).
  const problem =
    !options || typeof options != 'object' ? (process.env.NODE_ENV !== 'production' ? "pass an options object with a baseUrl, e.g. createHttpAdapter({ baseUrl: '' }) for this origin." : 1)
    : fetch !== undefined && !isFunction(fetch) ? (process.env.NODE_ENV !== 'production' ? '`fetch` must be a function like `globalThis.fetch`, or left out.' : 1)
    : typeof timeoutMs != 'number' || !(timeoutMs > 0) ? (process.env.NODE_ENV !== 'production' ? `\`timeoutMs\` must be a positive number of milliseconds (or Infinity); got ${String(timeoutMs)}.` : 1)
    : !isFunction(clock?.now) || !isFunction(clock.setTimeout) || !isFunction(clock.clearTimeout) ? (process.env.NODE_ENV !== 'production' ? '`clock` must be a Clock (now, setTimeout, clearTimeout), such as `createVirtualClock()`.' : 1)
    : !Number.isInteger(retries) || retries < 0 ? (process.env.NODE_ENV !== 'production' ? `\`retries\` must be a whole number, 0 or more; got ${String(retries)}.` : 1)
    : typeof baseUrl != 'string'
      ? (process.env.NODE_ENV !== 'production' ? `\`baseUrl\` is required: a URL such as 'https://auth.example.com', or a path on this origin such as '' or '/auth'; got ${baseUrl === undefined ? 'nothing' : baseUrl === null ? 'null' : `a ${typeof baseUrl}`}.` : 1)
    : /[?#]/.test(trimmed) ? (process.env.NODE_ENV !== 'production' ? `\`baseUrl\` must not have a query or fragment; got "${baseUrl}".` : 1)
    : !onThisOrigin && !/^https?:\/\//i.test(trimmed)
      ? (process.env.NODE_ENV !== 'production' ? `\`baseUrl\` must be an absolute http(s) URL or a path starting with '/' (or '' for this origin's root); got "${baseUrl}".` : 1)
    : !url ? (process.env.NODE_ENV !== 'production' ? `\`baseUrl\` is not a valid URL: "${baseUrl}".` : 1)
    : url.username || url.password ? (process.env.NODE_ENV !== 'production' ? '`baseUrl` must not contain a user name or password: the server identifies the client by its cookie.' : 1)
    : 0
  if (problem) throw invalid(problem as string)
  return [
    `${onThisOrigin ? '' : url!.origin}${url!.pathname.replace(/\/+$/, '')}/`,
    fetch ?? globalFetch,
    timeoutMs,
    clock,
    retries,
  ]
}

/** Looked up per request, not at import: server-side rendering may import the adapter where no fetch exists. */
const globalFetch: FetchFunction = (input, init) => {
  if (!isFunction(globalThis.fetch)) throw invalid(process.env.NODE_ENV !== 'production' ? 'there is no global `fetch` here; pass one as the `fetch` option.' : '')
  // Called through globalThis: some browsers reject a detached `fetch` ("Illegal invocation").
  return globalThis.fetch(input, init)
}
