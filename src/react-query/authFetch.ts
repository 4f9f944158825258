import { isSessionKitError, SessionKitError } from '../core/errors'
import { isSignOutError } from '../core/failurePolicy'
import type { SessionClient } from '../core/types'
import { fetchJson, isRequest, type FetchLike } from './fetchJson'

/** Which token a request carries: passed through to `client.getToken`. */
export interface AuthTokenOptions {
  /** A named token template. Default: the session token. */
  template?: string
  /** Mint the token for this organization (null = none). Default: the session's active organization. */
  organizationId?: string | null
  /** Serve a cached token only while it has more than this left (seconds). Default: the client's (10). */
  leewayInSeconds?: number
  /** Authorize as this signed-in session instead of the active one. Default: the active session. */
  sessionId?: string
}

/** Options of `createAuthFetch` and `useAuthFetch`: defaults for every request. */
export interface AuthFetchOptions extends AuthTokenOptions {
  /** Send requests without `Authorization` when signed out, instead of rejecting with `signed_out`. Default false. */
  anonymous?: boolean
  /** The `fetch` to call. Default: `globalThis.fetch`, looked up on each request. */
  fetch?: FetchLike
}

/** `RequestInit` plus, per request, which token to send (overriding the defaults). */
export interface AuthFetchInit extends RequestInit, AuthTokenOptions {
  /** Send without `Authorization` when signed out, instead of rejecting. Default: the `createAuthFetch` default (false). */
  anonymous?: boolean
}

/** A `fetch` that authorizes every request with the session's token. */
export interface AuthFetch {
  /** Like `fetch`: resolves to the Response whatever its status. */
  (input: RequestInfo | URL, init?: AuthFetchInit): Promise<Response>
  /** Resolves to the JSON body; rejects with `HttpError` (carrying `status`) outside 200–299. */
  json<T = unknown>(input: RequestInfo | URL, init?: AuthFetchInit): Promise<T>
}

/**
 * A `fetch` that sends `Authorization: Bearer <token>` from
 * `client.getToken()` (cached while fresh; concurrent requests share one token
 * request). On a 401 it fetches a new token (`skipCache`) and tries once more
 * (if the session turns out to be over, the client signs out and that 401
 * comes back); on a second 401 it asks the session server whether the
 * session still exists (`client.load()`, which signs out if it does not) and
 * returns that 401.
 * Signed out, it rejects with `SessionKitError('signed_out')` without sending
 * anything (unless `anonymous`). Other statuses come back as the Response;
 * use `.json()` to throw `HttpError` instead. The token only ever goes in the
 * header: never in the URL, never in an error or a log.
 */
export function createAuthFetch(client: SessionClient, defaults: AuthFetchOptions = {}): AuthFetch {
  async function authFetch(input: RequestInfo | URL, init: AuthFetchInit = {}): Promise<Response> {
    const { template, organizationId, leewayInSeconds, sessionId, anonymous, ...request } = init
    const tokenOptions = {
      template: template ?? defaults.template,
      organizationId: organizationId !== undefined ? organizationId : defaults.organizationId,
      leewayInSeconds: leewayInSeconds ?? defaults.leewayInSeconds,
      sessionId: sessionId ?? defaults.sessionId,
    }
    // Called unbound: `window.fetch` throws "Illegal invocation" when called on another object.
    const fetcher = defaults.fetch ?? globalThis.fetch
    const signal = request.signal ?? (isRequest(input) ? input.signal : undefined)

    const token = await client.getToken(tokenOptions)
    throwIfAborted(signal)
    if (token === null && !(anonymous ?? defaults.anonymous ?? false)) throw signedOutError()

    // A stream body can be read once: such a request is never sent again.
    const replayable = !(typeof ReadableStream !== 'undefined' && request.body instanceof ReadableStream)
    const send = (jwt: string | null) => {
      const headers = new Headers(request.headers ?? (isRequest(input) ? input.headers : undefined))
      if (jwt !== null) headers.set('Authorization', `Bearer ${jwt}`)
      // A Request's body is consumed by sending it: send a copy, keep the original for the retry.
      return fetcher(isRequest(input) ? input.clone() : input, { ...request, headers })
    }

    const first = await send(token)
    if (first.status !== 401 || token === null || !replayable) return first
    // The token may have been revoked or signed with a rotated key: a fresh one, once.
    const fresh = await freshToken(client, tokenOptions, token).catch(nullWhenSessionOver)
    throwIfAborted(signal)
    if (fresh === null) return first
    void first.body?.cancel().catch(() => undefined)
    const second = await send(fresh)
    // Twice refused: the session itself may be gone. `load` signs out if the server says so.
    if (second.status === 401) await client.load().catch(() => undefined)
    return second
  }
  return Object.assign(authFetch, {
    json: <T = unknown>(input: RequestInfo | URL, init?: AuthFetchInit) => fetchJson<T, AuthFetchInit>(authFetch, input, init),
  })
}

type TokenRequest = Parameters<SessionClient['getToken']>[0]

/** Per client, the new-token request in flight for each refused token: 20 requests refused together mint one token. */
const refreshing = new WeakMap<SessionClient, Map<string, Promise<string | null>>>()

async function freshToken(client: SessionClient, options: TokenRequest, refused: string): Promise<string | null> {
  let flights = refreshing.get(client)
  if (!flights) refreshing.set(client, (flights = new Map()))
  const joined = flights.get(refused)
  if (joined) return joined
  // Another request may already have replaced the refused token (or the session ended: null).
  const cached = await client.getToken(options)
  if (cached !== refused) return cached
  const again = flights.get(refused)
  if (again) return again
  const flight = client.getToken({ ...options, skipCache: true }).finally(() => flights.delete(refused))
  flights.set(refused, flight)
  return flight
}

/**
 * The fresh token was refused because the session is over (revoked elsewhere,
 * expired; the client has signed out): the caller gets the 401 it was promised.
 */
function nullWhenSessionOver(error: unknown): null {
  if (isSignOutError(error) || isSessionKitError(error, 'signed_out')) return null
  throw error
}

function throwIfAborted(signal: AbortSignal | null | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('The request was aborted.', 'AbortError')
}

function signedOutError(): SessionKitError {
  return new SessionKitError(
    'signed_out',
    'Nobody is signed in, so the request was not sent: sign in first, or pass `anonymous: true` to send it without a token.',
  )
}
