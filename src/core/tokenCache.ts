import { scheduleAt, type Clock } from './clock'
import { SessionKitError, toSessionKitError } from './errors'
import { isDevelopment } from './development'
import { decodeJwt } from './jwt'
import { checkLeeway } from './options'
import { cacheKeyOf, type TokenKey } from './tokenKey'
import type { TokenResource } from './adapter'

/** Options of `TokenCache.get`. */
export interface TokenCacheGetParams {
  /** Serve a cached token only while it has more than this left (seconds). Does not lengthen a token's life. */
  leewayInSeconds: number
  /** Fetch a token minted after this call even if a cached one is fresh. Default false. */
  skipCache?: boolean
}

/** Options of `new TokenCache`. */
export interface TokenCacheOptions {
  /** Source of time and timers for background refreshes. */
  clock: Clock
  /** Current time on the server's clock (client clock + measured skew), ms. */
  serverNow: () => number
  /** Mints the token `key` names; rejects with SessionKitError on failure. */
  fetchToken: (key: TokenKey) => Promise<TokenResource>
  /** Told about errors of background refreshes (the client signs out on a definite sign-out error). Default: none. */
  onBackgroundError?: (error: unknown) => void
  /** Whether this cache refreshes tokens ahead of expiry; across tabs only the leader does. Default: always. */
  refreshesInBackground?: () => boolean
  /** Told when a new token is stored (fetched or seeded), with its expiry in server ms; never the token. Default: none. */
  onStored?: (key: TokenKey, expiresAt: number) => void
}

/** How long before a token stops being served its background refresh starts (ms). */
export const REFRESH_MARGIN_MS = 5_000

interface Token {
  jwt: string
  /** `exp` in server-clock ms. */
  expMs: number
  /** How long it lived when it arrived; unknown (Infinity) for a token another tab shared: what is left of it says nothing. */
  lifetimeMs: number
  /** Order in which fetches started: a slower, older fetch never replaces a newer token. */
  seq: number
}

interface Entry {
  key: TokenKey
  token: Token
  /** The leeway of the latest `get`: the refresh must land before the token stops being served. */
  leewayMs: number
  /** When the app last took this token from the cache (client time); null = not since it was fetched. */
  usedAt: number | null
  /** Whether the refresh time passed while nobody was using the token. */
  refreshDue: boolean
  cancelRefresh: (() => void) | undefined
}

interface Flight {
  key: string
  sessionId: string
  seq: number
  /** Set by `clear`: the answer must never reach the cache or a caller. */
  cancelled: boolean
  promise: Promise<Token>
  reject: (error: unknown) => void
}

/**
 * Short-lived tokens per (session, template, organization), in memory only.
 * Concurrent requests for one key share a fetch; a fetch that was in flight
 * when its session was cleared never reaches the cache or its callers; a
 * token in use is refreshed in the background shortly before it would stop
 * being served, and an idle app makes no token requests.
 *
 * `skipCache` starts a new fetch every time, because any fetch already in
 * flight started before the call and may predate whatever made the caller
 * distrust the cache; later callers share the newest fetch.
 */
export class TokenCache {
  readonly #clock: Clock
  readonly #serverNow: () => number
  readonly #fetchToken: TokenCacheOptions['fetchToken']
  readonly #onBackgroundError: ((error: unknown) => void) | undefined
  readonly #refreshesInBackground: () => boolean
  readonly #onStored: TokenCacheOptions['onStored']
  readonly #entries = new Map<string, Entry>()
  /** Every fetch in flight, including ones a skipCache call superseded: `clear` must reach them all. */
  readonly #flights = new Set<Flight>()
  /** The newest fetch per key: the one later callers share. */
  readonly #shared = new Map<string, Flight>()
  #seq = 0
  #warnedLeeway = false
  #destroyed = false

  constructor(options: TokenCacheOptions) {
    this.#clock = options.clock
    this.#serverNow = options.serverNow
    this.#fetchToken = options.fetchToken
    this.#onBackgroundError = options.onBackgroundError
    this.#refreshesInBackground = options.refreshesInBackground ?? (() => true)
    this.#onStored = options.onStored
  }

  /** A token for the session: cached while it has more than `leewayInSeconds` left, fetched otherwise. */
  async get(which: TokenKey, params: TokenCacheGetParams): Promise<string> {
    return (await this.getResource(which, params)).jwt
  }

  /** Like `get`, with the token's expiry (server ms): for handing a token to another tab. */
  async getResource(which: TokenKey, params: TokenCacheGetParams): Promise<TokenResource> {
    if (this.#destroyed) throw destroyedError()
    const { skipCache = false } = params
    const leewayMs = checkLeeway(params.leewayInSeconds) * 1000
    const key = cacheKeyOf(which)
    const entry = this.#entries.get(key)
    if (entry) {
      entry.leewayMs = leewayMs
      this.#warnIfLeewayTooLong(entry.token, leewayMs)
      if (!skipCache && entry.token.expMs - this.#serverNow() > leewayMs) {
        entry.usedAt = this.#clock.now()
        if (entry.refreshDue && this.#refreshesInBackground()) this.#refreshInBackground(key, entry)
        return resourceOf(entry.token)
      }
    }
    const flight = (!skipCache && this.#shared.get(key)) || this.#startFetch(key, which, leewayMs)
    const token = await flight.promise
    this.#warnIfLeewayTooLong(token, leewayMs)
    return resourceOf(token)
  }

  /** Seeds a token fetched elsewhere (another tab); kept unless the cache holds one that lasts longer. */
  set(which: TokenKey, resource: TokenResource): void {
    if (this.#destroyed) return
    const token = { ...toToken(resource, which.sessionId, ++this.#seq, this.#serverNow()), lifetimeMs: Number.POSITIVE_INFINITY }
    const key = cacheKeyOf(which)
    const current = this.#entries.get(key)
    if (current && current.token.expMs > token.expMs) return
    // No refresh is scheduled: the tab that fetched the token keeps it fresh and shares the next one.
    this.#write(key, which, token, current?.leewayMs ?? 0, false)
  }

  /** Drops every token (or one session's) and abandons fetches in flight for them: their callers reject `signed_out`. */
  clear(sessionId?: string): void {
    this.#drop(
      sessionId,
      () =>
        new SessionKitError(
          'signed_out',
          'The session was signed out while its token was being fetched; sign in again to get a token.',
        ),
    )
  }

  /** Clears everything and cancels every timer; later `get` calls reject `client_destroyed`. */
  destroy(): void {
    this.#destroyed = true
    this.#drop(undefined, destroyedError)
  }

  #drop(sessionId: string | undefined, error: () => SessionKitError): void {
    for (const [key, entry] of this.#entries) {
      if (sessionId !== undefined && entry.key.sessionId !== sessionId) continue
      entry.cancelRefresh?.()
      this.#entries.delete(key)
    }
    for (const flight of this.#flights) {
      if (sessionId !== undefined && flight.sessionId !== sessionId) continue
      flight.cancelled = true
      this.#flights.delete(flight)
      if (this.#shared.get(flight.key) === flight) this.#shared.delete(flight.key)
      // Rejected now rather than when the fetch settles: nothing it returns may be used.
      flight.reject(error())
    }
  }

  #startFetch(key: string, which: TokenKey, leewayMs: number): Flight {
    const { sessionId } = which
    const seq = ++this.#seq
    let resolve!: (token: Token) => void
    let reject!: (error: unknown) => void
    const promise = new Promise<Token>((res, rej) => {
      resolve = res
      reject = rej
    })
    const flight: Flight = { key, sessionId, seq, cancelled: false, promise, reject }
    this.#flights.add(flight)
    this.#shared.set(key, flight)
    const settle = () => {
      this.#flights.delete(flight)
      if (this.#shared.get(key) === flight) this.#shared.delete(key)
    }
    let request: Promise<TokenResource>
    try {
      request = Promise.resolve(this.#fetchToken({ ...which }))
    } catch (error) {
      request = Promise.reject(error)
    }
    request.then(
      (resource) => {
        if (flight.cancelled) return
        settle()
        let token: Token
        try {
          token = toToken(resource, sessionId, seq, this.#serverNow())
        } catch (error) {
          reject(error)
          return
        }
        const current = this.#entries.get(key)
        if (!current || current.token.seq < seq) this.#write(key, which, token, leewayMs, true)
        resolve(token)
      },
      (error: unknown) => {
        if (flight.cancelled) return
        settle()
        reject(toSessionKitError(error))
      },
    )
    return flight
  }

  #write(key: string, which: TokenKey, token: Token, leewayMs: number, refresh: boolean) {
    this.#entries.get(key)?.cancelRefresh?.()
    const entry: Entry = { key: which, token, leewayMs, usedAt: null, refreshDue: false, cancelRefresh: undefined }
    this.#entries.set(key, entry)
    this.#onStored?.(which, token.expMs)
    if (!refresh) return
    // The token stops being served at exp − leeway (server time); refresh a little before, in client time.
    const skewMs = this.#serverNow() - this.#clock.now()
    const at = token.expMs - leewayMs - REFRESH_MARGIN_MS - skewMs
    entry.cancelRefresh = scheduleAt(this.#clock, Math.max(at, this.#clock.now()), () => {
      entry.cancelRefresh = undefined
      if (this.#entries.get(key) !== entry) return
      // Only an app using tokens now gets one ahead of time: a token last used
      // more than half a lifetime ago belongs to an app gone idle, which makes
      // no token requests; its next `get` refreshes instead.
      const usedRecently = entry.usedAt !== null && this.#clock.now() - entry.usedAt < token.lifetimeMs / 2
      if (usedRecently && this.#refreshesInBackground()) this.#refreshInBackground(key, entry)
      else entry.refreshDue = true
    })
  }

  #refreshInBackground(key: string, entry: Entry): void {
    entry.refreshDue = false
    if (this.#shared.has(key)) return
    const flight = this.#startFetch(key, entry.key, entry.leewayMs)
    flight.promise.catch((error: unknown) => {
      // A refresh abandoned by `clear` is not a failure worth reporting.
      if (!flight.cancelled) this.#onBackgroundError?.(error)
    })
  }

  #warnIfLeewayTooLong(token: Token, leewayMs: number): void {
    // Cheap checks first: this runs on every cache hit.
    if (this.#warnedLeeway || leewayMs < token.lifetimeMs || !isDevelopment()) return
    this.#warnedLeeway = true
    console.warn(
      `[sessionkit] leewayInSeconds (${leewayMs / 1000} s) is at or above the tokens' lifetime (${token.lifetimeMs / 1000} s), so every getToken call fetches a new token. leewayInSeconds does not lengthen a token's life: lower it, or mint longer-lived tokens on the server.`,
    )
  }
}

const resourceOf = (token: Token): TokenResource => ({ jwt: token.jwt, expiresAt: token.expMs })

function toToken({ jwt, expiresAt }: TokenResource, sessionId: string, seq: number, serverNow: number): Token {
  // An opaque token (an OAuth access token, say) comes with its expiry: nothing to decode.
  if (expiresAt !== undefined) {
    if (typeof jwt !== 'string' || jwt === '') {
      throw new SessionKitError('invalid_token', 'The adapter answered an empty token: createToken must return { jwt, expiresAt? } with the token string.')
    }
    return { jwt, expMs: expiresAt, lifetimeMs: Math.max(0, expiresAt - serverNow), seq }
  }
  const claims = decodeJwt(jwt)
  if (claims.sid !== sessionId) {
    throw new SessionKitError(
      'invalid_token',
      'The server sent a token for a different session than the one requested. Check that the adapter mints tokens for the session id it is given.',
    )
  }
  return { jwt, expMs: claims.exp * 1000, lifetimeMs: (claims.exp - claims.iat) * 1000, seq }
}

function destroyedError(): SessionKitError {
  return new SessionKitError(
    'client_destroyed',
    'The session client was destroyed; create a new one to get tokens.',
  )
}
