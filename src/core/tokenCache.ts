import { scheduleAt, type Clock } from './clock'
import { SessionKitError, toSessionKitError } from './errors'
import { decodeJwt, invalidToken } from './jwt'
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

/** What `fetchToken` is asked for: the options of the `get` that started the fetch. */
export interface TokenFetchParams {
  /** The caller's leeway (seconds): a token another tab hands over must have more than this left. */
  leewayInSeconds: number
  /** The caller distrusts cached tokens: a new one is minted, not taken from another tab's cache. */
  skipCache?: boolean
  /** Whether a token another tab handed over will do: more than the leeway left now, or minted for this fetch. Throws for one it cannot read. */
  isFresh: (token: TokenResource) => boolean
}

/** Options of `new TokenCache`. */
export interface TokenCacheOptions {
  /** Source of time and timers for background refreshes. */
  clock: Clock
  /** Current time on the server's clock (client clock + measured skew), ms. */
  serverNow: () => number
  /** Mints the token `key` names; rejects with SessionKitError on failure. */
  fetchToken: (key: TokenKey, params: TokenFetchParams) => Promise<TokenResource>
  /** Told about errors of background refreshes (the client signs out on a definite sign-out error). Default: none. */
  onBackgroundError?: (error: unknown) => void
  /** Whether this cache refreshes tokens ahead of expiry; across tabs only the leader does. Default: always. */
  refreshesInBackground?: () => boolean
  /** Told when a new token is stored (fetched or seeded), with its expiry in server ms; never the token. Default: none. */
  onStored?: (key: TokenKey, expiresAt: number) => void
}

interface Token {
  jwt: string
  /** `exp` in server-clock ms. */
  expMs: number
  /** How long it lived when it arrived; unknown (Infinity) for a token another tab shared: what is left of it says nothing. */
  lifetimeMs: number
  /** Order in which fetches started: a slower, older fetch never replaces a newer token. */
  seq: number
}

/** A cached token and what its refresh needs. */
interface Entry extends Token {
  /** The cache key of `which`. */
  key: string
  which: TokenKey
  /** The leeway of the latest `get` (or of the fetch): the refresh must land before the token stops being served. */
  leewayMs: number
  /** When the app last took this token from the cache (client time); undefined = not since it was stored. */
  usedAt?: number
  /** Whether its refresh is due: the refresh time passed and no refresh started yet. */
  due?: boolean
  /** Removes the entry and stops its refresh timer. */
  drop: () => void
}

interface Flight {
  /** The cache key of `which`. */
  key: string
  which: TokenKey
  promise: Promise<Token>
  /** Abandons the fetch (it leaves `flights`): `promise` rejects with `error` now, and what the fetch answers is never used. */
  drop: (error: SessionKitError) => void
}

const destroyedError = () =>
  new SessionKitError('client_destroyed', process.env.NODE_ENV !== 'production' ? 'The session client was destroyed; create a new one to get tokens.' : 'Client destroyed.')

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
 *
 * The state lives in the constructor's closure (the minifier renames local
 * names, not properties); the constructor returns the cache object.
 */
export class TokenCache {
  /** A token for the session: cached while it has more than `leewayInSeconds` left, fetched otherwise. */
  declare readonly get: (which: TokenKey, params: TokenCacheGetParams) => Promise<string>
  /** Like `get`, with the token's expiry (server ms): for handing a token to another tab. */
  declare readonly getResource: (which: TokenKey, params: TokenCacheGetParams) => Promise<TokenResource>
  /** Seeds a token fetched elsewhere (another tab); kept unless the cache holds one that lasts longer. Where this cache refreshes in the background, it refreshes this token too. */
  declare readonly set: (which: TokenKey, resource: TokenResource) => void
  /** Drops every token (or one session's) and abandons fetches in flight for them: their callers reject `signed_out`. */
  declare readonly clear: (sessionId?: string) => void
  /** Clears everything and cancels every timer; later `get` calls reject `client_destroyed`. */
  declare readonly destroy: () => void

  constructor({ clock, serverNow, fetchToken, onBackgroundError, refreshesInBackground = () => true, onStored }: TokenCacheOptions) {
    const entries = new Map<string, Entry>()
    /** Every fetch in flight, including ones a skipCache call superseded (`clear` must reach them all), oldest first. */
    const flights = new Set<Flight>()
    let lastSeq = 0
    let destroyed = false
    // Left undefined until the warning is given (development only).
    let warnedLeeway: true | undefined

    /**
     * The fetch later callers of a key share: the newest one started, while it
     * is in flight. Once it settles nothing is shared, even if an older fetch
     * (one a skipCache call superseded, and so distrusted) is still on its way.
     */
    const shared = new Map<string, Flight>()
    const land = (flight: Flight) => {
      if (shared.get(flight.key) === flight) shared.delete(flight.key)
      return flights.delete(flight)
    }

    const getResource = async (which: TokenKey, { leewayInSeconds, skipCache }: TokenCacheGetParams): Promise<TokenResource> => {
      if (destroyed) throw destroyedError()
      const leewayMs = checkLeeway(leewayInSeconds) * 1000
      const key = cacheKeyOf(which)
      const entry = entries.get(key)
      if (entry) entry.leewayMs = leewayMs
      let token: Token
      if (entry && !skipCache && entry.expMs - serverNow() > leewayMs) {
        // The app takes a cached token.
        entry.usedAt = clock.now()
        refreshIfDue(entry)
        token = entry
      } else {
        token = await ((!skipCache && shared.get(key)) || startFetch(key, which, leewayMs, skipCache)).promise
        // Development only, and only on a fetch: a token served from the cache has more than the
        // leeway left, so it lived longer than that; reading process.env live (Node with no
        // bundler) would cost more than a cache hit.
        if (process.env.NODE_ENV !== 'production' && !warnedLeeway && leewayMs >= token.lifetimeMs) {
          warnedLeeway = true
          console.warn(
            `[sessionkit] leewayInSeconds (${leewayMs / 1000} s) is at or above the tokens' lifetime (${Math.max(0, token.lifetimeMs) / 1000} s), so every getToken call fetches a new token. leewayInSeconds does not lengthen a token's life: lower it, or mint longer-lived tokens on the server.`,
          )
        }
      }
      return { jwt: token.jwt, expiresAt: token.expMs }
    }

    /** Drops what the cache holds for one session (or all): tokens, timers and fetches in flight. */
    const drop = (sessionId: string | undefined, error: () => SessionKitError) => {
      for (const held of [...entries.values(), ...flights]) {
        if (sessionId === undefined || held.which.sessionId === sessionId) held.drop(error())
      }
    }

    /** Starts a fetch; `onError` (background refreshes) hears of its failure unless it was dropped. */
    const startFetch = (key: string, which: TokenKey, leewayMs: number, skipCache?: boolean, onError?: (error: SessionKitError) => void): Flight => {
      const seq = ++lastSeq
      const startedAt = serverNow()
      const flight = { key, which } as Flight
      flights.add(flight)
      shared.set(key, flight)
      // The executor is async, but it cannot throw: its body is all inside try.
      // eslint-disable-next-line no-async-promise-executor
      flight.promise = new Promise(async (resolve, reject) => {
        // After `drop` (which rejects at once), resolve and reject do nothing.
        flight.drop = (error) => {
          land(flight)
          reject(error)
        }
        try {
          // Called now, not a tick later: callers that start together share it.
          const token = toToken(
            await fetchToken(which, {
              leewayInSeconds: leewayMs / 1000,
              skipCache,
              // Reads the expiry as a token of this cache is read (an invalid one throws: it is not taken either).
              // With a leeway at or above the tokens' lifetime every token is inside it, even one the leader
              // minted for this very request: minting again would cost the server a second token no fresher.
              // So a token minted since this fetch began is taken too, and only a cached one that an older leader
              // served ignoring the leeway is refused. 2 s of slack: `iat` counts whole seconds, and this tab's
              // view of the server's clock may be off by a second. An opaque token has no `iat`: decodeJwt throws.
              isFresh: (resource) => toToken(resource, which, seq).expMs - serverNow() > leewayMs || decodeJwt(resource.jwt).iat * 1000 > startedAt - 2000,
            }),
            which,
            seq,
          )
          // Not after `drop` (the flight left `flights` then), nor over a token from a newer fetch.
          if (land(flight) && (entries.get(key)?.seq ?? 0) < seq) write(key, which, token, leewayMs, true)
          resolve(token)
        } catch (cause) {
          const error = toSessionKitError(cause)
          reject(error)
          // A fetch abandoned by `drop` is not a failure worth reporting. Told last: `onError` may throw.
          if (land(flight)) onError?.(error)
        }
      })
      return flight
    }

    /** Stores a token; a fetched one (`refreshes`) gets its refresh timer, a shared one is refreshed by the tab that fetched it. */
    const write = (key: string, which: TokenKey, token: Token, leewayMs: number, refreshes?: boolean) => {
      entries.get(key)?.drop()
      // The token stops being served at exp − leeway (server time); its refresh starts 5 s before
      // that (in client time). A time already past fires at once (and never before this returns).
      const stopRefresh =
        refreshes &&
        scheduleAt(clock, token.expMs - leewayMs - 5_000 - serverNow() + clock.now(), () => {
          entry.due = true
          // Only an app using tokens now gets one ahead of time: a token last used
          // more than half a lifetime ago belongs to an app gone idle, which makes
          // no token requests; its next `get` refreshes instead.
          if (entry.usedAt !== undefined && clock.now() - entry.usedAt < token.lifetimeMs / 2) refreshIfDue(entry)
        })
      const entry: Entry = {
        ...token,
        key,
        which,
        leewayMs,
        drop() {
          if (stopRefresh) stopRefresh()
          entries.delete(key)
        },
      }
      entries.set(key, entry)
      onStored?.(which, token.expMs)
    }

    /** Refreshes in the background once the refresh time has passed, where this cache refreshes at all. */
    const refreshIfDue = (entry: Entry) => {
      if (entry.due && refreshesInBackground()) {
        entry.due = false
        // Its failure goes to onBackgroundError; its promise may have no caller waiting.
        if (!shared.get(entry.key)) startFetch(entry.key, entry.which, entry.leewayMs, false, onBackgroundError).promise.catch(() => {})
      }
    }

    /**
     * Reads a token's expiry. Its `jwt` passed parseTokenResponse here, or in the
     * tab that shared it, which may run another version: an empty one is refused
     * again, so no caller is ever handed ''.
     */
    const toToken = ({ jwt, expiresAt }: TokenResource, { sessionId }: TokenKey, seq: number): Token => {
      if (!jwt) invalidToken(process.env.NODE_ENV !== 'production' ? 'The token is empty: a token answer needs a non-empty jwt.' : '')
      // An opaque token (an OAuth access token, say) comes with its expiry: nothing to decode.
      let expMs = expiresAt!
      let lifetimeMs = expMs - serverNow()
      if (expiresAt === undefined) {
        const { sid, exp, iat } = decodeJwt(jwt)
        if (sid !== sessionId) {
          invalidToken(
            process.env.NODE_ENV !== 'production'
              ? 'The server sent a token for a different session than the one requested. Check that the adapter mints tokens for the session id it is given.'
              : '',
          )
        }
        expMs = exp * 1000
        lifetimeMs = expMs - iat * 1000
      }
      // An opaque token that arrived expired may have a negative lifetime: it is served no more than one of 0.
      return { jwt, expMs, lifetimeMs, seq }
    }

    return {
      get: async (which: TokenKey, params: TokenCacheGetParams) => (await getResource(which, params)).jwt,
      getResource,
      set(which: TokenKey, resource: TokenResource) {
        if (destroyed) return
        const token = toToken(resource, which, ++lastSeq)
        token.lifetimeMs = Infinity
        const key = cacheKeyOf(which)
        const current = entries.get(key)
        // A follower's token is kept fresh by the leader, which shares the next one. In the leader it is a token a follower
        // fetched itself (no leader answered it in time): the leader keeps refreshing it, or its next call past the leeway waits for the server.
        if (!current || current.expMs <= token.expMs) write(key, which, token, current?.leewayMs ?? 0, refreshesInBackground())
      },
      clear: (sessionId?: string) =>
        drop(sessionId, () =>
          new SessionKitError(
            'signed_out',
            process.env.NODE_ENV !== 'production' ? 'The session was signed out while its token was being fetched; sign in again to get a token.' : 'Signed out.',
          ),
        ),
      destroy() {
        destroyed = true
        drop(undefined, destroyedError)
      },
    }
  }
}
