import * as oauth from 'oauth4webapi'
import type { TimerHandle } from '../../core/clock'
import type { SessionKitError, SessionKitErrorCode } from '../../core/errors'
import { toOidcError } from './errors'
import type { ResolvedOidcOptions } from './options'

/** Options every oauth4webapi request takes here: fetch, loopback http, the abort signal. */
type RequestOptions = {
  signal: AbortSignal
  [oauth.customFetch]: (url: string, init: RequestInit) => Promise<Response>
  [oauth.allowInsecureRequests]?: boolean
}

/** What one provider call is, for its error message. */
interface Call {
  operation: string
  request: string
  /** The code an `invalid_grant` answer maps to. Default: the sign-in answer was bad. */
  invalidGrant?: SessionKitErrorCode
  /**
   * Called with the timeout error when `timeoutMs` passes without an answer. With it the request
   * is not aborted then: it gets LATE_ANSWER_MS more, and `call` settles with its late answer.
   */
  onTimeout?: (error: SessionKitError) => void
}

/** What one refresh grant reports while it runs, besides its answer. */
export interface RefreshWatch {
  /** The caller's timeout: the request goes on, its late answer still settles `refresh`. */
  onTimeout: (error: SessionKitError) => void
  /** The provider's new refresh token, read before the rest of the answer is checked. */
  onRotated: (refreshToken: string) => void
}

/**
 * How long a refresh grant that timed out may still answer (ms): 30 s. A
 * rotating provider has likely consumed the old refresh token by then, so
 * its answer is the only copy of the new one.
 */
export const LATE_ANSWER_MS = 30_000

/** How far (s) the device's clock may be off the provider's for an ID token's times: 5 minutes, oidc-client-ts's default. */
const ID_TOKEN_CLOCK_TOLERANCE_S = 300

/**
 * The provider as oauth4webapi sees it: its discovered metadata (fetched
 * once, again after a failure) and the public client. Every request is
 * bounded by `timeoutMs` on the adapter's clock, and every failure becomes a
 * SessionKitError with a code the client acts on.
 */
export class OidcProvider {
  readonly #options: ResolvedOidcOptions
  #metadata: Promise<oauth.AuthorizationServer> | null = null

  constructor(options: ResolvedOidcOptions) {
    this.#options = options
  }

  /**
   * The client as oauth4webapi validates with. `clockSkew` makes its checks
   * of token times use the adapter's clock, so a test's virtual clock and a
   * provider moved with it agree (0 on the system clock). `clockTolerance`
   * lets a device clock that is minutes off still read an ID token of a
   * minute's lifetime as current (oauth4webapi's default is 30 s): the
   * code is spent by each try, so a refusal would fail every sign-in.
   */
  get client(): oauth.Client {
    return {
      client_id: this.#options.clientId,
      [oauth.clockSkew]: Math.round((this.#options.clock.now() - Date.now()) / 1_000),
      [oauth.clockTolerance]: ID_TOKEN_CLOCK_TOLERANCE_S,
    }
  }

  /** The provider's metadata (OpenID Connect Discovery), cached once it loaded. */
  metadata(operation: string): Promise<oauth.AuthorizationServer> {
    if (!this.#metadata) {
      const { issuerUrl } = this.#options
      this.#metadata = this.call({ operation, request: 'discovery' }, async (options) =>
        oauth.processDiscoveryResponse(issuerUrl, await oauth.discoveryRequest(issuerUrl, { ...options, algorithm: 'oidc' })),
      )
      // A failed discovery is tried again next time (the provider may just have been down).
      this.#metadata.catch(() => {
        this.#metadata = null
      })
    }
    return this.#metadata
  }

  /** Exchanges the authorization code (PKCE) and validates the ID token. */
  async exchangeCode(params: URLSearchParams, codeVerifier: string, nonce: string): Promise<oauth.TokenEndpointResponse> {
    const as = await this.metadata('getClient')
    return this.call({ operation: 'getClient', request: 'the authorization code exchange', invalidGrant: 'oidc_callback_error' }, async (options) => {
      const { client } = this
      const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, this.#options.redirectUri, codeVerifier, options)
      return oauth.processAuthorizationCodeResponse(as, client, response, {
        expectedNonce: nonce,
        requireIdToken: true,
        ...(this.#options.maxLifetime === null ? {} : { maxAge: Math.floor(this.#options.maxLifetime / 1_000) }),
      })
    })
  }

  /**
   * One refresh grant. `invalid_grant` means the session is over: `invalidGrant` says how.
   * The provider may rotate the refresh token with any answer: `watch` hears of the new one
   * before the answer is checked, and of a timeout without abandoning the answer.
   */
  async refresh(operation: string, refreshToken: string, invalidGrant: SessionKitErrorCode, watch: RefreshWatch): Promise<oauth.TokenEndpointResponse> {
    const as = await this.metadata(operation)
    return this.call({ operation, request: 'the refresh grant', invalidGrant, onTimeout: watch.onTimeout }, async (options) => {
      const { client } = this
      const response = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), refreshToken, options)
      const rotated = await rotatedRefreshToken(response)
      if (rotated) watch.onRotated(rotated)
      return oauth.processRefreshTokenResponse(as, client, response)
    })
  }

  /** Revokes a refresh token (RFC 7009), when the provider has a revocation endpoint; answers whether it did. */
  async revoke(operation: string, refreshToken: string): Promise<boolean> {
    const as = await this.metadata(operation)
    if (!as.revocation_endpoint) return false
    await this.call({ operation, request: 'revocation' }, async (options) => {
      const response = await oauth.revocationRequest(as, this.client, oauth.None(), refreshToken, {
        ...options,
        additionalParameters: { token_type_hint: 'refresh_token' },
      })
      await oauth.processRevocationResponse(response)
    })
    return true
  }

  /** Classifies a failure of something other than a request (a sign-in answer, the metadata) like a request's. */
  describe(operation: string, request: string, error: unknown) {
    const { issuer, clientId, clock } = this.#options
    return toOidcError({ operation, request, issuer, clientId, invalidGrant: 'oidc_callback_error', now: clock.now() }, error)
  }

  /**
   * Runs one request with the adapter's fetch, timeout and error mapping. The
   * timeout rejects at once, even when a fetch ignores its abort signal; with
   * `onTimeout` it only reports, and the request is given up LATE_ANSWER_MS later.
   */
  call<T>(call: Call, run: (options: RequestOptions) => Promise<T>): Promise<T> {
    const { clock, timeoutMs, getFetch, allowInsecureRequests, issuer, clientId } = this.#options
    const describe = (error: unknown, timedOutAfterMs?: number) =>
      toOidcError(
        {
          operation: call.operation,
          request: call.request,
          issuer,
          clientId,
          invalidGrant: call.invalidGrant ?? 'oidc_callback_error',
          now: clock.now(),
          ...(timedOutAfterMs === undefined ? {} : { timedOutAfterMs }),
        },
        error,
      )
    return new Promise<T>((resolve, reject) => {
      const controller = new AbortController()
      let settled = false
      let timer: TimerHandle | undefined
      const finish = (outcome: () => void) => {
        if (settled) return
        settled = true
        if (timer !== undefined) clock.clearTimeout(timer)
        outcome()
      }
      const giveUp = (afterMs: number) => {
        finish(() => reject(describe(undefined, afterMs)))
        controller.abort()
      }
      if (timeoutMs !== Infinity) {
        timer = clock.setTimeout(() => {
          if (!call.onTimeout) return giveUp(timeoutMs)
          call.onTimeout(describe(undefined, timeoutMs))
          timer = clock.setTimeout(() => giveUp(timeoutMs + LATE_ANSWER_MS), LATE_ANSWER_MS)
        }, timeoutMs)
      }
      const fetch = getFetch()
      const options: RequestOptions = {
        signal: controller.signal,
        [oauth.customFetch]: (url, init) => fetch(url, init),
        ...(allowInsecureRequests ? { [oauth.allowInsecureRequests]: true } : {}),
      }
      Promise.resolve()
        .then(() => run(options))
        .then(
          (value) => finish(() => resolve(value)),
          (error) => finish(() => reject(describe(error))),
        )
    })
  }
}

/** The refresh token in a successful token answer, read from a copy so the answer can still be processed. */
async function rotatedRefreshToken(response: Response): Promise<string | null> {
  if (response.status !== 200) return null
  try {
    const body = (await response.clone().json()) as { refresh_token?: unknown }
    return typeof body.refresh_token === 'string' && body.refresh_token !== '' ? body.refresh_token : null
  } catch {
    return null
  }
}
