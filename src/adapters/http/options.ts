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

/** The options with defaults applied and checked. */
export interface ResolvedHttpOptions {
  /** The normalized base URL: always ends with exactly one `/`. */
  baseUrl: string
  /** Resolves the fetch to call, at request time. */
  getFetch: () => FetchFunction
  timeoutMs: number
  clock: Clock
  retries: number
}

/** Default per-request timeout (ms). */
export const DEFAULT_TIMEOUT_MS = 10_000
/** Default number of extra attempts for calls that are safe to repeat. */
export const DEFAULT_RETRIES = 2

export function resolveHttpOptions(options: HttpAdapterOptions): ResolvedHttpOptions {
  if (options === null || typeof options !== 'object') {
    throw invalid("pass an options object with a baseUrl, e.g. createHttpAdapter({ baseUrl: '' }) for this origin.")
  }
  const { fetch, timeoutMs = DEFAULT_TIMEOUT_MS, clock = systemClock, retries = DEFAULT_RETRIES } = options
  if (fetch !== undefined && typeof fetch !== 'function') {
    throw invalid('`fetch` must be a function like `globalThis.fetch`, or left out.')
  }
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0)) {
    throw invalid(`\`timeoutMs\` must be a positive number of milliseconds (or Infinity); got ${String(timeoutMs)}.`)
  }
  if (typeof clock?.now !== 'function' || typeof clock.setTimeout !== 'function' || typeof clock.clearTimeout !== 'function') {
    throw invalid('`clock` must be a Clock (now, setTimeout, clearTimeout), such as `createVirtualClock()`.')
  }
  if (!Number.isInteger(retries) || retries < 0) {
    throw invalid(`\`retries\` must be a whole number, 0 or more; got ${String(retries)}.`)
  }
  return {
    baseUrl: normalizeBaseUrl(options.baseUrl),
    getFetch: fetch ? () => fetch : globalFetch,
    timeoutMs,
    clock,
    retries,
  }
}

/**
 * Checks `baseUrl` and returns it with exactly one trailing `/`, so endpoint
 * paths append cleanly and `'/auth'` and `'/auth/'` name the same backend.
 */
export function normalizeBaseUrl(baseUrl: unknown): string {
  if (typeof baseUrl !== 'string') {
    throw invalid(`\`baseUrl\` is required: a URL such as 'https://auth.example.com', or a path on this origin such as '' or '/auth'; got ${describe(baseUrl)}.`)
  }
  const trimmed = baseUrl.trim()
  if (/[?#]/.test(trimmed)) {
    throw invalid(`\`baseUrl\` must not have a query or fragment; got "${baseUrl}".`)
  }
  if (trimmed === '' || (trimmed.startsWith('/') && !trimmed.startsWith('//'))) {
    // A path on this origin: resolved against a placeholder only to normalize it (dot segments, escapes).
    const { pathname } = new URL(trimmed, 'http://same-origin.invalid')
    return withTrailingSlash(pathname)
  }
  if (!/^https?:\/\//i.test(trimmed)) {
    throw invalid(
      `\`baseUrl\` must be an absolute http(s) URL or a path starting with '/' (or '' for this origin's root); got "${baseUrl}".`,
    )
  }
  let url: URL
  try {
    url = new URL(trimmed)
  } catch {
    throw invalid(`\`baseUrl\` is not a valid URL: "${baseUrl}".`)
  }
  if (url.username !== '' || url.password !== '') {
    throw invalid('`baseUrl` must not contain a user name or password: the server identifies the client by its cookie.')
  }
  return `${url.origin}${withTrailingSlash(url.pathname)}`
}

const withTrailingSlash = (path: string) => `${path.replace(/\/+$/, '')}/`

/** Looked up per request, not at import: server-side rendering may import the adapter where no fetch exists. */
function globalFetch(): FetchFunction {
  const fetch = globalThis.fetch
  if (typeof fetch !== 'function') {
    throw invalid('there is no global `fetch` here; pass one as the `fetch` option.')
  }
  // Called through globalThis: some browsers reject a detached `fetch` ("Illegal invocation").
  return (input, init) => globalThis.fetch(input, init)
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : value === null ? 'null' : `a ${typeof value}`
}

function invalid(message: string): SessionKitError {
  return new SessionKitError('invalid_option', `createHttpAdapter: ${message}`)
}
