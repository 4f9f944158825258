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
  /**
   * Extra attempts for a call that is safe to repeat, after a network error, 5xx or 429. Default 2.
   * A timed-out attempt is not repeated: the call fails with `timeout`, and the session client retries it.
   */
  retries?: number
}

/** The options with defaults applied and checked. */
export interface ResolvedHttpOptions {
  /** The normalized base URL: always ends with exactly one `/`. */
  baseUrl: string
  /** The app's fetch, or one that calls the global fetch at each request. */
  fetch: FetchFunction
  timeoutMs: number
  clock: Clock
  retries: number
}

/** Default per-request timeout (ms). */
export const DEFAULT_TIMEOUT_MS = 10_000
/** Default number of extra attempts for calls that are safe to repeat. */
export const DEFAULT_RETRIES = 2

const isFunction = (value: unknown): value is (...args: never[]) => unknown => typeof value === 'function'

/** The message of every `invalid_option` error in production (their explanations are development-only). */
const INVALID_OPTION = 'Invalid option.'

/**
 * The error for a bad option. Each caller passes either the development explanation or,
 * in production, INVALID_OPTION (the explanations stay out of a production bundle only
 * when each is written behind its own `process.env.NODE_ENV` test).
 */
const invalid = (message: string) =>
  new SessionKitError('invalid_option', process.env.NODE_ENV !== 'production' ? `createHttpAdapter: ${message}` : message)

/**
 * Checks the options, in a fixed order (the first problem found is reported), and
 * applies the defaults. `baseUrl` comes back with exactly one trailing `/`, so
 * endpoint paths append cleanly and `'/auth'` and `'/auth/'` name the same backend.
 */
export function resolveHttpOptions(options: HttpAdapterOptions): ResolvedHttpOptions {
  if (!options || typeof options !== 'object') {
    throw invalid(process.env.NODE_ENV !== 'production' ? "pass an options object with a baseUrl, e.g. createHttpAdapter({ baseUrl: '' }) for this origin." : INVALID_OPTION)
  }
  // Defaults replace only what is left out: an explicit `null` is checked, and refused.
  const { baseUrl, fetch = globalFetch, timeoutMs = DEFAULT_TIMEOUT_MS, clock = systemClock, retries = DEFAULT_RETRIES } = options
  if (!isFunction(fetch)) {
    throw invalid(process.env.NODE_ENV !== 'production' ? '`fetch` must be a function like `globalThis.fetch`, or left out.' : INVALID_OPTION)
  }
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0)) {
    throw invalid(process.env.NODE_ENV !== 'production' ? `\`timeoutMs\` must be a positive number of milliseconds (or Infinity); got ${String(timeoutMs)}.` : INVALID_OPTION)
  }
  // `clock?.`: for an explicit `clock: null`.
  if (!isFunction(clock?.now) || !isFunction(clock.setTimeout) || !isFunction(clock.clearTimeout)) {
    throw invalid(process.env.NODE_ENV !== 'production' ? '`clock` must be a Clock (now, setTimeout, clearTimeout), such as `createVirtualClock()`.' : INVALID_OPTION)
  }
  if (!Number.isInteger(retries) || retries < 0) {
    throw invalid(process.env.NODE_ENV !== 'production' ? `\`retries\` must be a whole number, 0 or more; got ${String(retries)}.` : INVALID_OPTION)
  }
  // Checked because JavaScript callers (and casts) can pass anything.
  if (typeof baseUrl !== 'string') {
    throw invalid(process.env.NODE_ENV !== 'production' ? `\`baseUrl\` is required: a URL such as 'https://auth.example.com', or a path on this origin such as '' or '/auth'; got ${describe!(baseUrl)}.` : INVALID_OPTION)
  }
  const trimmed = baseUrl.trim()
  if (/[?#]/.test(trimmed)) {
    throw invalid(process.env.NODE_ENV !== 'production' ? `\`baseUrl\` must not have a query or fragment; got "${baseUrl}".` : INVALID_OPTION)
  }
  // '' or one leading '/' is a path on this origin; two would name another host ('//host/path').
  const onThisOrigin = trimmed === '' || /^\/(?!\/)/.test(trimmed)
  if (!onThisOrigin && !/^https?:\/\//i.test(trimmed)) {
    throw invalid(process.env.NODE_ENV !== 'production' ? `\`baseUrl\` must be an absolute http(s) URL or a path starting with '/' (or '' for this origin's root); got "${baseUrl}".` : INVALID_OPTION)
  }
  let url: URL
  try {
    // A path is resolved against a placeholder only to normalize it (dot segments, escapes);
    // an absolute URL ignores the placeholder.
    url = new URL(trimmed, 'http://same-origin.invalid')
  } catch {
    throw invalid(process.env.NODE_ENV !== 'production' ? `\`baseUrl\` is not a valid URL: "${baseUrl}".` : INVALID_OPTION)
  }
  if (url.username || url.password) {
    throw invalid(process.env.NODE_ENV !== 'production' ? '`baseUrl` must not contain a user name or password: the server identifies the client by its cookie.' : INVALID_OPTION)
  }
  const origin = onThisOrigin ? '' : url.origin
  return {
    baseUrl: `${origin}${url.pathname.replace(/\/+$/, '')}/`,
    fetch,
    timeoutMs,
    clock,
    retries,
  }
}

/** Looked up per request, not at import: server-side rendering may import the adapter where no fetch exists. */
const globalFetch: FetchFunction = (input, init) => {
  if (!isFunction(globalThis.fetch)) {
    throw invalid(process.env.NODE_ENV !== 'production' ? 'there is no global `fetch` here; pass one as the `fetch` option.' : INVALID_OPTION)
  }
  // Called through globalThis: some browsers reject a detached `fetch` ("Illegal invocation").
  return globalThis.fetch(input, init)
}

/** What a wrong `baseUrl` was, for the development message (development only, like `explain` in errors.ts). */
const describe = process.env.NODE_ENV !== 'production'
  ? (value: unknown): string => (value === undefined ? 'nothing' : value === null ? 'null' : `a ${typeof value}`)
  : undefined
