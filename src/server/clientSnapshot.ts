import { SessionKitError } from '../core/errors'
import type { ClientResource } from '../core/resources'
import { parseClientResource } from '../core/validate'
import type { RequestLike } from './authenticate'

/** What `SessionProvider initialClient` takes: the client and the server's clock, as `GET /v1/client` answers. */
export interface ClientSnapshot {
  client: ClientResource
  /** The server's clock when it answered (ms since the epoch), so the browser can measure its skew. */
  serverNow: number
}

/** Options for `getClientSnapshot`. */
export interface ClientSnapshotOptions {
  /** The sessionkit server's base URL, e.g. `https://api.example.com` (the one the http adapter talks to; no default). */
  baseUrl: string | URL
  /** The fetch to use. Default: the global `fetch`, read at call time. */
  fetch?: typeof fetch
  /** How long to wait for the server before rejecting `timeout` (ms). Default: 5000. */
  timeoutMs?: number
}

/** Default `timeoutMs`: a server render should not hang on a slow session server. */
export const DEFAULT_SNAPSHOT_TIMEOUT_MS = 5_000

const label = 'getClientSnapshot (GET /v1/client)'

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

/**
 * Whether a snapshot is signed in: its client names an active session and that
 * session's status is `active`. A snapshot can be signed out and still list
 * other accounts of this browser (the active one signed out, another did not),
 * so "is there a snapshot" is not "is someone signed in": guard pages with this.
 */
export function isSignedIn(snapshot: ClientSnapshot | null): boolean {
  if (!snapshot) return false
  const { sessions, lastActiveSessionId } = snapshot.client
  const active = sessions.find((session) => session.id === lastActiveSessionId)
  return active !== undefined && active.status === 'active'
}

function readOptions(options: ClientSnapshotOptions) {
  if (options === null || typeof options !== 'object') {
    throw new SessionKitError('invalid_option', `${label}: pass options with \`baseUrl\`, e.g. { baseUrl: "https://api.example.com" }.`)
  }
  let base: URL
  try {
    base = new URL(options.baseUrl)
  } catch {
    throw new SessionKitError('invalid_option', `${label}: \`baseUrl\` must be an absolute URL, such as https://api.example.com.`)
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') {
    throw new SessionKitError('invalid_option', `${label}: \`baseUrl\` must be an http: or https: URL.`)
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_SNAPSHOT_TIMEOUT_MS
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new SessionKitError('invalid_option', `${label}: \`timeoutMs\` must be a positive number of milliseconds.`)
  }
  const fetchImpl = options.fetch ?? globalThis.fetch
  if (typeof fetchImpl !== 'function') {
    throw new SessionKitError('invalid_option', `${label}: no fetch in this runtime; pass \`fetch\`.`)
  }
  // A base with a path (https://example.com/auth) keeps it: /auth/v1/client.
  const url = `${base.origin}${base.pathname.replace(/\/+$/, '')}/v1/client`
  return { url, fetchImpl, timeoutMs }
}

/**
 * Reads the signed-in state for a server render from the reference protocol:
 * `GET {baseUrl}/v1/client` with the incoming request's `cookie` header (and
 * nothing else of it). Resolves `{ client, serverNow }` when the client has a
 * session still active, signed in or not: after the active account signs out,
 * the browser's other accounts stay listed, so pass it to `initialClient` as it
 * is and ask `isSignedIn(snapshot)` whether someone is signed in. Resolves null
 * when nothing is: no cookie (no request is made), a 401, or no session left
 * active. Rejects `network_error` or `timeout` when
 * the server cannot be reached, `server_error`/`rate_limited` for its 5xx/429,
 * and `invalid_response` for an answer that is not the protocol: none of
 * these is a sign-out, so the page can render its loading state instead.
 */
export async function getClientSnapshot(request: RequestLike, options: ClientSnapshotOptions): Promise<ClientSnapshot | null> {
  const { url, fetchImpl, timeoutMs } = readOptions(options)
  if (request === null || typeof request !== 'object' || typeof request.headers?.get !== 'function') {
    throw new SessionKitError('invalid_option', `${label}: pass the incoming Request (anything with headers.get).`)
  }
  const cookie = request.headers.get('cookie')
  // Without a cookie there is no client to read, and asking would only make the server create a throwaway one.
  if (cookie === null || cookie.trim() === '') return null

  // One signal for the whole exchange: a body that stalls after the headers times out too.
  const signal = AbortSignal.timeout(timeoutMs)
  let response: Response
  try {
    response = await fetchImpl(url, {
      method: 'GET',
      headers: { accept: 'application/json', cookie },
      // A redirect (a login page in front of the API) is not the protocol's answer.
      redirect: 'manual',
      signal,
    })
  } catch (error) {
    throw unreachable(error, timeoutMs)
  }

  const { status } = response
  if (status === 401) return null
  if (status >= 500) throw new SessionKitError('server_error', `${label}: the server answered ${status}; render the loading state and let the browser ask.`, { status })
  if (status === 429) throw new SessionKitError('rate_limited', `${label}: the server answered 429 (too many requests); render the loading state and let the browser ask.`, { status })
  if (status !== 200) {
    throw new SessionKitError('invalid_response', `${label}: the server answered ${status}; check that baseUrl points at a sessionkit server (protocol v1).`, { status })
  }

  const body = await readJson(response, timeoutMs)
  if (!isRecord(body) || !('data' in body)) {
    throw new SessionKitError('invalid_response', `${label}: the answer is not { data, serverNow }; check that baseUrl points at a sessionkit server (protocol v1).`, { status })
  }
  if (typeof body.serverNow !== 'number' || !Number.isFinite(body.serverNow)) {
    throw new SessionKitError('invalid_response', `${label}: the answer's "serverNow" is not a number of milliseconds; check that baseUrl points at a sessionkit server.`, { status })
  }
  let client: ClientResource
  try {
    client = parseClientResource(body.data)
  } catch (error) {
    // The parser's message names the wrong field, never its value.
    throw new SessionKitError('invalid_response', `${label}: ${(error as Error).message}`, { status, cause: error })
  }
  // Only a session still active is worth starting from; ended ones have nothing to show.
  const hasActiveSession = client.sessions.some((session) => session.status === 'active')
  return hasActiveSession ? { client, serverNow: body.serverNow } : null
}

/** A failed fetch or body read as the SessionKitError to render the loading state for: `timeout` or `network_error`. */
function unreachable(error: unknown, timeoutMs: number): SessionKitError {
  const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
  return timedOut
    ? new SessionKitError('timeout', `${label}: the server did not answer within ${timeoutMs} ms; render the loading state and let the browser ask.`, { cause: error })
    : new SessionKitError('network_error', `${label}: the server could not be reached; render the loading state and let the browser ask. Check baseUrl.`, { cause: error })
}

async function readJson(response: Response, timeoutMs: number): Promise<unknown> {
  let text: string
  try {
    // Read as text: a proxy's HTML page must not throw a SyntaxError that quotes it.
    text = await response.text()
  } catch (error) {
    // The headers came, the body did not (it stalled past the timeout, or the connection broke).
    throw unreachable(error, timeoutMs)
  }
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
