import * as oauth from 'oauth4webapi'
import type {
  AdapterResponse,
  CreateTokenParams,
  EndSessionParams,
  RedirectSignInParams,
  SessionAdapter,
  TokenResource,
} from '../../core/adapter'
import { SessionKitError } from '../../core/errors'
import { isConnectivityError } from '../../core/failurePolicy'
import type { ClientResource, SessionResource } from '../../core/resources'
import { resolveOidcOptions, type OidcAdapterOptions } from './options'
import { OidcProvider } from './provider'
import { checkReturnTo, cleanCallbackUrl, currentPath, readCallback, RedirectState, type CallbackAnswer, type PendingSignIn } from './redirect'
import { createRefresh } from './refresh'
import { renewSession, toClientResource, toSessionResource } from './resources'
import { SessionShare, type HeldSession } from './tokens'

/** How long a tab with no session waits for another tab to share one: 500 ms. */
export const OIDC_TAB_HELLO_TIMEOUT_MS = 500
/** An access token with more than this left (ms) serves createToken without a refresh grant: 30 s, above the client's default leeway and refresh margin. */
const FRESH_ACCESS_TOKEN_MS = 30_000
/** How long `getClient` waits for a silent sign-in's navigation before answering signed out anyway (ms). */
const LEAVE_TIMEOUT_MS = 10_000
/** Answers to `prompt=none` that only mean "nobody is signed in at the provider": signed out, no error. */
const SIGNED_OUT_ANSWERS = new Set(['login_required', 'consent_required', 'interaction_required', 'account_selection_required'])

/** A sign-in answer read from the page, with the sign-in this tab started for it. */
interface SignInAnswer {
  params: URLSearchParams
  pending: PendingSignIn
}

/** The OpenID Connect adapter: one session per browser, redirect sign-in, tokens from the provider. */
export interface OidcAdapter extends SessionAdapter {
  createToken(sessionId: string, params?: CreateTokenParams): Promise<AdapterResponse<TokenResource>>
  signInWithRedirect(params?: RedirectSignInParams): Promise<void>
  /**
   * Revokes the refresh token and forgets the session in every tab. With `reason: 'signed-out'`
   * (the user asked) and `postLogoutRedirectUri` set, RP-initiated logout then leaves the page;
   * any other reason (a deadline), or none, only revokes and stays.
   */
  endSession(sessionId: string, params?: EndSessionParams): Promise<AdapterResponse<ClientResource>>
}

/**
 * Creates a SessionAdapter for an OpenID Connect provider (Keycloak, Auth0,
 * Okta, Entra ID, Cognito, Zitadel, oidc-provider, ...) as a public client:
 * authorization code with PKCE (S256), refresh tokens, built on oauth4webapi.
 *
 * Tokens live in this closure only and cross to other tabs over a
 * BroadcastChannel; every refresh runs under one Web Lock for all tabs, so
 * rotating refresh tokens never race. A touch is a refresh grant, sent only
 * for real activity; a token minting refreshes too but never moves
 * `expireAt`. There is no password sign-in, no multi-session and no
 * reverification (`verifySession`): the client answers those `not_supported`.
 */
export function createOidcAdapter(options: OidcAdapterOptions): OidcAdapter {
  const resolved = resolveOidcOptions(options)
  const { clock } = resolved
  const key = `oidc:${resolved.issuer}#${resolved.clientId}`
  const provider = new OidcProvider(resolved)
  // A tab that ended the session without its tokens leaves the revocation to a tab that has them;
  // a session a new sign-in of another user replaced is revoked too, or its refresh token would go on
  // working (the same user's shares the new session's grant: see SessionShare's #replace).
  const share = new SessionShare(key, resolved.tabTransport, clock, (dropped) => {
    void provider.revoke('endSession', dropped.refreshToken).catch(() => undefined)
  })
  const redirects = new RedirectState(key)
  const refresh = createRefresh({ share, provider, redirects, options: resolved })
  /** The callback's code exchange, while it runs: a second getClient waits for it instead of starting over. */
  let completing: Promise<ClientResource> | null = null
  /** A sign-in answer whose exchange failed for want of the provider (memory only, never the URL or storage). */
  let unfinished: SignInAnswer | null = null

  // The provider's times are relative (expires_in), so this browser's clock is the "server" clock.
  const answer = <T>(data: T): AdapterResponse<T> => ({ data, serverNow: clock.now() })
  const clientResource = () => toClientResource(key, share.current, resolved)

  async function getClient(): Promise<AdapterResponse<ClientResource>> {
    const callback = readCallback(resolved.redirectUri)
    if ((callback || unfinished) && !completing) {
      completing = completeSignIn(callback ? takeAnswer(callback) : unfinished!).finally(() => {
        completing = null
      })
    }
    if (completing) return answer(await completing)
    if (share.current || (await share.askOtherTabs(OIDC_TAB_HELLO_TIMEOUT_MS))) return answer(clientResource())
    if (resolved.silentSignIn && !redirects.silentTried && !redirects.ended && globalThis.location) {
      // Top-level, not an iframe: a hidden frame at the provider gets no cookies where
      // third-party cookies are blocked (Safari, Firefox, Chrome's plans), so it always fails there.
      try {
        await leaveForProvider('getClient', currentPath(), true)
      } catch (error) {
        // The provider unreachable or failing: the client retries the load, and with it the silent sign-in.
        // Only then: every request failure is a SessionKitError by now (fetch's TypeError became
        // network_error), and anything else (a crypto.subtle rejection, say) would be retried forever.
        if (error instanceof SessionKitError && isConnectivityError(error)) throw error
        // Set up wrong: silent sign-in is a convenience, so the tab is signed out (and does not try
        // again), and "Sign in" reports the error where the user can act on it.
        redirects.silentTried = true
        return answer(clientResource())
      }
      return answer(await stayedSignedOut())
    }
    return answer(clientResource())
  }

  /** Reads the provider's answer (once) and the sign-in this tab started; the code leaves the address bar at once. */
  function takeAnswer({ params }: CallbackAnswer): SignInAnswer {
    const pending = redirects.take()
    // A reload or a shared link never replays the code.
    cleanCallbackUrl(pending?.returnTo ?? null)
    unfinished = null
    if (!pending) {
      throw new SessionKitError(
        'oidc_missing_verifier',
        'getClient: this page holds a sign-in answer from the provider, but not the sign-in that asked for it (it was started in another tab or window, or the answer was used already). Start the sign-in again from this tab with signInWithRedirect().',
      )
    }
    if (params.get('state') !== pending.state) {
      throw new SessionKitError(
        'oidc_state_mismatch',
        'getClient: the sign-in answer does not belong to the sign-in this tab started (its state differs): a stale or forged link, or two sign-ins at once. Start the sign-in again with signInWithRedirect().',
      )
    }
    return { params, pending }
  }

  /**
   * Exchanges the code and holds the new session. When the provider cannot be
   * reached, the answer is kept in memory for the client's retry of getClient:
   * the code is single-use, but sending it again is safe (PKCE binds it to
   * this tab; a code the provider did take is refused, a clear error).
   */
  async function completeSignIn(signIn: SignInAnswer): Promise<ClientResource> {
    try {
      const resource = await exchange(signIn)
      unfinished = null
      return resource
    } catch (error) {
      unfinished = isConnectivityError(error) ? signIn : null
      throw error
    }
  }

  async function exchange({ params, pending }: SignInAnswer): Promise<ClientResource> {
    const as = await provider.metadata('getClient')
    let checked: URLSearchParams
    try {
      checked = oauth.validateAuthResponse(as, provider.client, params, pending.state)
    } catch (error) {
      if (!(error instanceof oauth.AuthorizationResponseError)) {
        throw provider.describe('getClient', 'the sign-in answer', error)
      }
      // A silent attempt that did not work (whatever the provider's reason: some refuse prompt=none),
      // or nobody signed in at the provider: signed out; another tab may still have signed in meanwhile.
      if (pending.silent || SIGNED_OUT_ANSWERS.has(error.error)) {
        await share.askOtherTabs(OIDC_TAB_HELLO_TIMEOUT_MS)
        return clientResource()
      }
      const said = error.error_description ? ` The provider said: "${error.error_description.slice(0, 160)}".` : ''
      throw new SessionKitError(
        'oidc_callback_error',
        `getClient: the provider did not sign the user in (${error.error}); sign in again, and if it keeps failing check the client's redirect URIs and scopes at the provider.${said}`,
        { cause: error },
      )
    }
    const response = await provider.exchangeCode(checked, pending.codeVerifier, pending.nonce)
    const session = renewSession({ response, previous: null, now: clock.now(), activity: true, options: resolved })
    redirects.ended = false
    redirects.silentTried = false
    share.set(session)
    return clientResource()
  }

  /** Saves the transient state and leaves for the provider's authorization endpoint. */
  async function leaveForProvider(operation: string, returnTo: string, silent: boolean) {
    // PKCE needs Web Crypto, which browsers offer only in secure contexts.
    if (!globalThis.crypto?.subtle) {
      throw new SessionKitError(
        'not_supported',
        `${operation}: this page is not a secure context, so the browser offers no Web Crypto (crypto.subtle) for the sign-in's PKCE; serve the app over https (or from localhost while developing).`,
      )
    }
    const as = await provider.metadata(operation)
    if (!as.authorization_endpoint) throw provider.describe(operation, 'discovery', new oauth.OperationProcessingError('the discovery document has no authorization_endpoint', { code: oauth.MISSING_SERVER_METADATA }))
    const codeVerifier = oauth.generateRandomCodeVerifier()
    const state = oauth.generateRandomState()
    const nonce = oauth.generateRandomNonce()
    const url = new URL(as.authorization_endpoint)
    const query = url.searchParams
    // The app's own (an Auth0 audience, say) first: checked never to be one the adapter sets below.
    for (const [name, value] of Object.entries(resolved.authorizationParams)) query.set(name, value)
    query.set('client_id', resolved.clientId)
    query.set('redirect_uri', resolved.redirectUri)
    query.set('response_type', 'code')
    query.set('scope', resolved.scope)
    query.set('state', state)
    query.set('nonce', nonce)
    query.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier))
    query.set('code_challenge_method', 'S256')
    // The provider re-authenticates past the maximum lifetime and always reports auth_time.
    if (resolved.maxLifetime !== null) query.set('max_age', String(Math.floor(resolved.maxLifetime / 1_000)))
    // After a sign-out here the provider's own session may still be alive (a deadline only
    // revokes): the next sign-in asks for the password again instead of slipping through.
    if (silent) query.set('prompt', 'none')
    else if (redirects.ended) query.set('prompt', 'login')
    redirects.save({ state, codeVerifier, nonce, returnTo, silent })
    // Only now: a silent attempt that could not start is tried again on the client's retry.
    if (silent) redirects.silentTried = true
    resolved.navigate(url.href)
  }

  /** The page is leaving; if it is still here after a while (navigation cancelled), it is signed out. */
  function stayedSignedOut(): Promise<ClientResource> {
    return new Promise((resolve) => clock.setTimeout(() => resolve(clientResource()), LEAVE_TIMEOUT_MS))
  }

  /** The session `sessionId` as this tab holds it, asking the other tabs first if this one has none yet. */
  async function sessionFor(operation: string, sessionId: string): Promise<HeldSession> {
    if (typeof sessionId !== 'string' || sessionId === '') {
      throw new SessionKitError('invalid_request', `${operation}: the session id must be a non-empty string; got ${String(sessionId)}.`)
    }
    const held = share.hasEnded(sessionId) ? null : (share.current ?? (await share.askOtherTabs(OIDC_TAB_HELLO_TIMEOUT_MS)))
    if (held?.id === sessionId) return held
    throw new SessionKitError('session_not_found', `${operation}: this browser holds no session "${sessionId}" (it ended, possibly in another tab); sign in again.`)
  }

  /**
   * RP-initiated logout by top-level navigation (a hidden frame would get no
   * provider cookies where third-party cookies are blocked). The ID token goes
   * along only when `logoutIdTokenHint` is on: it would sit in a URL.
   */
  async function logoutAtProvider(idToken: string | null) {
    const as = await provider.metadata('endSession')
    if (!as.end_session_endpoint || !resolved.postLogoutRedirectUri) return
    const url = new URL(as.end_session_endpoint)
    url.searchParams.set('client_id', resolved.clientId)
    url.searchParams.set('post_logout_redirect_uri', resolved.postLogoutRedirectUri)
    if (resolved.logoutIdTokenHint && idToken) url.searchParams.set('id_token_hint', idToken)
    resolved.navigate(url.href)
  }

  return {
    key,

    getClient,

    async touchSession(sessionId: string): Promise<AdapterResponse<SessionResource>> {
      const held = await sessionFor('touchSession', sessionId)
      return answer(toSessionResource(await refresh('touchSession', sessionId, true, held.accessToken), resolved))
    },

    async createToken(sessionId: string, params: CreateTokenParams = {}): Promise<AdapterResponse<TokenResource>> {
      if (params?.template !== undefined) {
        throw new SessionKitError(
          'not_supported',
          `createToken: an OpenID provider has no token templates ("${String(params.template)}"): its access token's claims come from the scopes and the provider's settings. Call getToken() without a template.`,
        )
      }
      // A plain access token handed out for an organization would be cached under its key, claims missing.
      if (typeof params?.organizationId === 'string') {
        throw new SessionKitError(
          'not_supported',
          `createToken: this adapter has no organizations ("${params.organizationId}"): an OpenID provider's access token carries whatever organization the sign-in gave it. Call getToken() without organizationId.`,
        )
      }
      const held = await sessionFor('createToken', sessionId)
      // A fresh access token no tab handed out yet (from the sign-in or a touch) serves as is: no
      // refresh grant. One already handed out, in any tab, is the one the client finds too old or
      // distrusts (a follower asks its own adapter only with skipCache: the leader's token was refused).
      const unused = !held.accessTokenServed && held.accessExpiresAt - clock.now() > FRESH_ACCESS_TOKEN_MS
      const renewed = unused ? held : await refresh('createToken', sessionId, false, held.accessToken)
      share.markServed(renewed)
      // Access tokens may be opaque: the client learns their end from expiresAt, not from a JWT exp.
      return answer({ jwt: renewed.accessToken, expiresAt: renewed.accessExpiresAt })
    },

    async endSession(sessionId: string, params?: EndSessionParams): Promise<AdapterResponse<ClientResource>> {
      const held = share.current?.id === sessionId ? share.current : null
      // Forgotten here and in every tab first: sign-out never waits for the network.
      share.end(typeof sessionId === 'string' ? sessionId : null, held !== null)
      // The user left (no silent sign-in back) only if it was the session held, or none is.
      if (held || !share.current) redirects.ended = true
      // Best effort: offline, the refresh token is forgotten anyway and the provider's idle timeout ends it.
      if (held) await provider.revoke('endSession', held.refreshToken).catch(() => undefined)
      if (params?.reason === 'signed-out') await logoutAtProvider(held?.idToken ?? null).catch(() => undefined)
      return answer(clientResource())
    },

    async signInWithRedirect(params: RedirectSignInParams = {}): Promise<void> {
      const returnTo = checkReturnTo(params?.returnTo)
      await leaveForProvider('signInWithRedirect', returnTo, false)
    },
  }
}
