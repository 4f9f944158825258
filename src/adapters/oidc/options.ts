import { systemClock, type Clock } from '../../core/clock'
import { SessionKitError } from '../../core/errors'
import { MAX_LIFETIME_MS } from '../../core/lifetimes'
import { browserTabTransport, type TabTransport } from '../../core/tabs/transport'

/** The `fetch` the adapter calls: the standard signature, or anything shaped like it. */
export type OidcFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>

/** Options of `createOidcAdapter`. Durations are milliseconds. */
export interface OidcAdapterOptions {
  /** The provider's issuer, exactly as its discovery document says it (Auth0's ends with `/`). Required; https, or http on a loopback address. */
  issuer: string
  /** The public client's id at the provider (no secret: the browser cannot keep one). Required. */
  clientId: string
  /** Where the provider sends the browser back after sign-in: an absolute URL on this origin, registered at the provider. Required. */
  redirectUri: string
  /** Where RP-initiated logout returns (registered at the provider). Default: none, so sign-out only revokes and never leaves the page. */
  postLogoutRedirectUri?: string
  /** The scopes to ask for; must include `openid`. Default 'openid profile email offline_access' (drop offline_access for Keycloak, whose idle timeout then applies). */
  scope?: string
  /**
   * The inactivity timeout; `null` = off. When the provider reports its own idle lifetime
   * (`refresh_expires_in`, Keycloak's "SSO Session Idle"): a value set here caps it (the
   * shorter of the two applies); left out, the provider's applies. Default (left out, and the
   * provider reports none): 30 minutes.
   */
  inactivityTimeout?: number | null
  /** The session ends this long after the provider signed the user in (`auth_time`); `null` = off. Default null. */
  maxLifetime?: number | null
  /** Whether a tab with no session tries a `prompt=none` redirect once before answering signed out. Default true. */
  silentSignIn?: boolean
  /** Source of time and timers (pass the client's `createVirtualClock()` in tests). Default: the system clock. */
  clock?: Clock
  /** How tabs share the session (BroadcastChannel + Web Locks); `null` = this tab works alone. Default: the browser's, or null where either is missing. */
  tabTransport?: TabTransport | null
  /** Sends the requests. Default: `globalThis.fetch`, looked up at each request. */
  fetch?: OidcFetch
  /** A provider request that takes longer is aborted and fails with `timeout`. Default 10,000. */
  timeoutMs?: number
  /** Leaves the page for the provider (sign-in, silent sign-in, logout). Default: `location.assign(url)`. */
  navigate?: (url: string) => void
  /**
   * Whether RP-initiated logout sends the ID token as `id_token_hint` (Okta requires it; Keycloak
   * and Auth0 then skip their "sign out?" question). It travels in the logout URL, which the
   * provider's logs and the browser's history may keep, so it is off unless you turn it on. Default false.
   */
  logoutIdTokenHint?: boolean
  /**
   * More parameters for every authorization request (sign-in and silent sign-in), e.g. Auth0's
   * `{ audience: 'https://api.example.com' }` for an access token your API accepts, or
   * `organization`, `login_hint`, `ui_locales`. Strings only; the parameters sessionkit sets itself
   * (`scope`, `prompt`, `max_age`, `state`, PKCE, ...) are refused. Default: none.
   */
  authorizationParams?: Record<string, string>
}

/** The options with defaults applied and checked. */
export interface ResolvedOidcOptions {
  issuer: string
  issuerUrl: URL
  clientId: string
  redirectUri: string
  postLogoutRedirectUri: string | null
  scope: string
  inactivityTimeout: number | null
  /** Whether the app set `inactivityTimeout` (then it caps the provider's idle lifetime; else the default only stands in for it). */
  inactivityTimeoutSet: boolean
  maxLifetime: number | null
  silentSignIn: boolean
  clock: Clock
  tabTransport: TabTransport | null
  getFetch: () => OidcFetch
  timeoutMs: number
  navigate: (url: string) => void
  logoutIdTokenHint: boolean
  /** Added to every authorization request; never one of the parameters the adapter sets. */
  authorizationParams: Readonly<Record<string, string>>
  /** http is allowed only for a provider on this machine (127.0.0.0/8, ::1, localhost). */
  allowInsecureRequests: boolean
}

/** Default scopes: what Auth0, Okta, Entra ID and oidc-provider need for a refresh token. */
export const DEFAULT_OIDC_SCOPE = 'openid profile email offline_access'
/** Default inactivity timeout when the provider reports none (ms): 30 minutes. */
export const DEFAULT_OIDC_INACTIVITY_TIMEOUT = 30 * 60_000
/** Default timeout of one provider request (ms). */
export const DEFAULT_OIDC_TIMEOUT_MS = 10_000

export function resolveOidcOptions(options: OidcAdapterOptions): ResolvedOidcOptions {
  if (options === null || typeof options !== 'object') {
    throw invalid("pass an options object, e.g. createOidcAdapter({ issuer: 'https://id.example.com', clientId: 'web', redirectUri: `${location.origin}/callback` }).")
  }
  const { issuerUrl, insecure } = checkIssuer(options.issuer)
  const clientId = options.clientId
  if (typeof clientId !== 'string' || clientId.trim() === '') {
    throw invalid(`\`clientId\` is required: the id of the public client registered at the provider; got ${describe(clientId)}.`)
  }
  const redirectUri = checkAppUrl({ name: 'redirectUri', value: options.redirectUri, sameOrigin: true, example: 'callback', required: true })
  const postLogoutRedirectUri =
    options.postLogoutRedirectUri === undefined
      ? null
      : checkAppUrl({ name: 'postLogoutRedirectUri', value: options.postLogoutRedirectUri, sameOrigin: false, example: 'signed-out', required: false })
  const scope = options.scope ?? DEFAULT_OIDC_SCOPE
  if (typeof scope !== 'string' || !scope.split(/\s+/).includes('openid')) {
    throw invalid(`\`scope\` must be a space-separated string that includes "openid"; got ${typeof scope === 'string' ? `"${scope}"` : describe(scope)}.`)
  }
  const inactivityTimeout = duration('inactivityTimeout', options.inactivityTimeout, DEFAULT_OIDC_INACTIVITY_TIMEOUT)
  const maxLifetime = duration('maxLifetime', options.maxLifetime, null)
  if (inactivityTimeout === null && maxLifetime === null) {
    throw new SessionKitError(
      'invalid_policy',
      'createOidcAdapter: set `inactivityTimeout`, `maxLifetime`, or both: with both off (and no refresh_expires_in known before sign-in) a session would live forever.',
    )
  }
  const { silentSignIn = true, clock = systemClock, fetch, timeoutMs = DEFAULT_OIDC_TIMEOUT_MS, navigate } = options
  if (typeof silentSignIn !== 'boolean') throw invalid(`\`silentSignIn\` must be true or false; got ${describe(silentSignIn)}.`)
  if (typeof clock?.now !== 'function' || typeof clock.setTimeout !== 'function' || typeof clock.clearTimeout !== 'function') {
    throw invalid('`clock` must be a Clock (now, setTimeout, clearTimeout), such as `createVirtualClock()`.')
  }
  if (fetch !== undefined && typeof fetch !== 'function') throw invalid('`fetch` must be a function like `globalThis.fetch`, or left out.')
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0)) {
    throw invalid(`\`timeoutMs\` must be a positive number of milliseconds (or Infinity); got ${String(timeoutMs)}.`)
  }
  if (navigate !== undefined && typeof navigate !== 'function') throw invalid('`navigate` must be a function taking a URL, or left out.')
  const { logoutIdTokenHint = false } = options
  if (typeof logoutIdTokenHint !== 'boolean') throw invalid(`\`logoutIdTokenHint\` must be true or false; got ${describe(logoutIdTokenHint)}.`)
  const tabTransport = options.tabTransport === undefined ? browserTabTransport() : options.tabTransport
  if (tabTransport !== null && (typeof tabTransport?.channel !== 'function' || typeof tabTransport.locks?.request !== 'function')) {
    throw invalid('`tabTransport` must be a TabTransport (channel, locks) or null.')
  }
  return {
    issuer: options.issuer,
    issuerUrl,
    clientId,
    redirectUri,
    postLogoutRedirectUri,
    scope,
    inactivityTimeout,
    inactivityTimeoutSet: options.inactivityTimeout !== undefined,
    maxLifetime,
    silentSignIn,
    clock,
    tabTransport,
    // Called through globalThis: some browsers reject a detached `fetch` ("Illegal invocation").
    getFetch: () => fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeoutMs,
    navigate: navigate ?? ((url) => globalThis.location.assign(url)),
    logoutIdTokenHint,
    authorizationParams: checkAuthorizationParams(options.authorizationParams),
    allowInsecureRequests: insecure,
  }
}

/**
 * The authorization request's parameters the adapter sets itself, and what to use instead: a
 * second value would make the request ambiguous, or break the checks of its answer.
 */
const OWN_AUTHORIZATION_PARAMS: Readonly<Record<string, string>> = Object.assign(Object.create(null), {
  client_id: 'use `clientId`',
  redirect_uri: 'use `redirectUri`',
  scope: 'use the `scope` option',
  max_age: 'use `maxLifetime`',
  prompt: '"none" for a silent sign-in, "login" after a sign-out',
  response_type: 'always "code"',
  response_mode: 'the answer must come back in the query',
  state: 'it checks the answer',
  nonce: 'it checks the ID token',
  code_challenge: 'PKCE',
  code_challenge_method: 'PKCE, always S256',
})

/** Parameters that carry a whole request object (JAR, PAR): it could replace the ones the adapter sets and checks. */
const REQUEST_OBJECT_PARAMS = new Set(['request', 'request_uri'])

/** A copy of `authorizationParams`, checked: strings only, none the adapter sets itself. */
function checkAuthorizationParams(params: unknown): Readonly<Record<string, string>> {
  if (params === undefined) return {}
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    throw invalid(`\`authorizationParams\` must be an object of strings, e.g. { audience: 'https://api.example.com' }; got ${describe(params)}.`)
  }
  const checked: Record<string, string> = Object.create(null)
  for (const [name, value] of Object.entries(params)) {
    const own = OWN_AUTHORIZATION_PARAMS[name]
    if (own) throw invalid(`\`authorizationParams\` must not set "${name}": sessionkit sets it (${own}).`)
    if (REQUEST_OBJECT_PARAMS.has(name)) {
      throw invalid(`\`authorizationParams\` must not set "${name}": a request object could replace the state, redirect_uri or nonce that sessionkit sets and checks; pass its parameters one by one instead.`)
    }
    if (name === '') throw invalid('`authorizationParams` must not have an empty key: each key is a parameter name, such as "audience".')
    if (typeof value !== 'string') throw invalid(`\`authorizationParams.${name}\` must be a string; got ${describe(value)}.`)
    checked[name] = value
  }
  return checked
}

/** The issuer as given (discovery compares it exactly), checked to be an absolute https URL or http on loopback. */
function checkIssuer(issuer: unknown): { issuerUrl: URL; insecure: boolean } {
  if (typeof issuer !== 'string' || issuer === '') {
    throw invalid(`\`issuer\` is required: the provider's issuer URL, e.g. 'https://id.example.com/realms/main'; got ${describe(issuer)}.`)
  }
  let url: URL
  try {
    url = new URL(issuer)
  } catch {
    throw invalid(`\`issuer\` must be an absolute URL such as 'https://id.example.com'; got "${issuer}".`)
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw invalid(`\`issuer\` must not have a query, fragment or credentials; got "${issuer}".`)
  }
  if (url.protocol === 'https:') return { issuerUrl: url, insecure: false }
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return { issuerUrl: url, insecure: true }
  throw invalid(`\`issuer\` must use https (http only for a provider on this machine, such as http://127.0.0.1:8080); got "${issuer}".`)
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname)
}

/** An app URL option to check: `sameOrigin` = on this page's origin (the callback must come back here); `example` = a path to suggest. */
interface AppUrlOption {
  name: string
  value: unknown
  sameOrigin: boolean
  example: string
  required: boolean
}

/** An absolute http(s) URL. */
function checkAppUrl({ name, value, sameOrigin, example, required }: AppUrlOption): string {
  const suggestion = `an absolute URL such as \`\${location.origin}/${example}\`${required ? '' : ', or left out'}`
  if (typeof value !== 'string' || value === '') {
    const got = value === '' ? 'an empty string' : describe(value)
    throw invalid(required ? `\`${name}\` is required: ${suggestion}; got ${got}.` : `\`${name}\` must be ${suggestion}; got ${got}.`)
  }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw invalid(`\`${name}\` must be ${suggestion}; got "${value}".`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid(`\`${name}\` must be an http(s) URL; got "${value}".`)
  if (url.hash !== '') throw invalid(`\`${name}\` must not have a fragment; got "${value}".`)
  const origin = globalThis.location?.origin
  if (sameOrigin && origin && origin !== 'null' && url.origin !== origin) {
    throw invalid(`\`${name}\` must be on this page's origin (${origin}), where the adapter can read the provider's answer; got "${value}".`)
  }
  return url.href
}

function duration(name: string, value: unknown, fallback: number | null): number | null {
  if (value === undefined) return fallback
  if (value === null) return null
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1_000 || value > MAX_LIFETIME_MS) {
    throw invalid(`\`${name}\` must be milliseconds from 1,000 up to 400 days, or null to turn it off; got ${String(value)}.`)
  }
  return value
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : value === null ? 'null' : `a ${typeof value}`
}

function invalid(message: string): SessionKitError {
  return new SessionKitError('invalid_option', `createOidcAdapter: ${message}`)
}
