import { SessionKitError } from './errors'
import type { ClientResource, SessionResource, SessionStatus } from './resources'

/**
 * Every adapter answer carries the server's clock, so the client can measure
 * skew and convert server times. An adapter whose "server" times are already
 * in this browser's clock (OIDC, a cookie session that reports relative
 * lifetimes) answers `serverNow: Date.now()`.
 */
export interface AdapterResponse<T> {
  data: T
  /** The server's `Date.now()` when it answered. */
  serverNow: number
}

/** Credentials for `signIn`. */
export interface SignInParams {
  /** Email or username. */
  identifier: string
  password: string
}

/**
 * Why the client ends a session: `signed-out` = the user or app asked (an
 * adapter may leave the page for the provider's logout); a deadline reason =
 * the client already signed out locally and only tells the server.
 */
export interface EndSessionParams {
  reason: 'signed-out' | 'inactivity' | 'idle' | 'max-lifetime'
}

/** Options of a redirect sign-in (`signInWithRedirect`). */
export interface RedirectSignInParams {
  /** Where the app returns after signing in (a path on this origin). Default: the current page. */
  returnTo?: string
}

/** Options for minting a token. */
export interface CreateTokenParams {
  /** A named template adding claims; omitted = the default session token. */
  template?: string
  /** Mint for this organization instead of the session's active one. */
  organizationId?: string | null
}

/**
 * A minted token. `expiresAt` (server ms) is for tokens that are not JWTs
 * (opaque OAuth access tokens); without it the client reads the JWT's `exp`.
 */
export interface TokenResource {
  jwt: string
  expiresAt?: number
}

/** One step of reverification: a password (first factor) or a one-time code (second factor). */
export type VerificationParams = { strategy: 'password'; password: string } | { strategy: 'totp'; code: string }

/**
 * A backend for sessionkit (contract v2). Four members are required; the
 * rest are capabilities: the client, hooks and components follow what the
 * adapter has, and a call that needs a missing one rejects `not_supported`
 * naming the method to add.
 *
 * Contract:
 * - Resolve with the server's answer and its clock; never with partial data.
 * - Reject with a `SessionKitError`. The code decides what the client does:
 *   `network_error`, `timeout`, `server_error`, `rate_limited` keep the session
 *   and retry; `unauthenticated`, `session_expired`, `session_not_found` sign
 *   out; anything else is reported to the caller.
 * - Minting a token is not activity: only `touchSession` may renew `expireAt`.
 */
export interface SessionAdapter {
  /**
   * Names the backend (e.g. its base URL). Tabs of one origin that talk to the
   * same backend share state through a channel derived from it.
   */
  readonly key: string
  /** Required. The client (this browser) and its sessions. */
  getClient(): Promise<AdapterResponse<ClientResource>>
  /** Required. Records activity: renews `expireAt` (never past `abandonAt`). */
  touchSession(sessionId: string): Promise<AdapterResponse<SessionResource>>
  /** Required. Signs out of one session; it stays listed as `ended` (or is gone). `params.reason` says why (the user, or a deadline). */
  endSession(sessionId: string, params?: EndSessionParams): Promise<AdapterResponse<ClientResource>>
  /** Optional. Mints a short-lived token for the session. Without it `getToken` rejects `not_supported` (cookie-authenticated apps need none). */
  createToken?(sessionId: string, params: CreateTokenParams): Promise<AdapterResponse<TokenResource>>
  /** Optional. Signs in with a password and makes the new session active. */
  signIn?(params: SignInParams): Promise<AdapterResponse<ClientResource>>
  /** Optional. Leaves the page for the identity provider's sign-in; the answer is read by `getClient` when the app loads again. */
  signInWithRedirect?(params: RedirectSignInParams): Promise<void>
  /** Optional (multi-session). Signs out of one session and forgets it on this client. */
  removeSession?(sessionId: string): Promise<AdapterResponse<ClientResource>>
  /** Optional (multi-session). Signs out of every session on this client. */
  endAllSessions?(): Promise<AdapterResponse<ClientResource>>
  /** Optional (multi-session). Makes a session active (and optionally an organization within it); `null` = none. */
  setActiveSession?(
    sessionId: string | null,
    params?: { organizationId?: string | null },
  ): Promise<AdapterResponse<ClientResource>>
  /** Optional. Reverification: proves the user again; updates `factorVerificationAge`. */
  verifySession?(sessionId: string, params: VerificationParams): Promise<AdapterResponse<SessionResource>>
  /** Optional (devices). The signed-in user's sessions on every device. */
  getUserSessions?(): Promise<AdapterResponse<UserSessionResource[]>>
  /** Optional (devices). Ends one of the user's sessions on another device; answers the new list. Another user's id is `session_not_found`. */
  revokeUserSession?(sessionId: string): Promise<AdapterResponse<UserSessionResource[]>>
  /** Optional (devices). Ends every session of the user but this browser's; answers the new list. */
  revokeOtherUserSessions?(): Promise<AdapterResponse<UserSessionResource[]>>
  /** Optional. Ends every session of the user on every device, this one included. */
  signOutEverywhere?(): Promise<AdapterResponse<ClientResource>>
  /**
   * Optional (impersonation). The user of `sessionId` (support staff with the
   * permission) starts acting as `userId`: a new session on this client whose
   * `actor` names the impersonator becomes active. No permission is
   * `forbidden`; an unknown user is `invalid_request` (status 404).
   */
  startImpersonation?(sessionId: string, userId: string): Promise<AdapterResponse<ClientResource>>
  /** Optional (impersonation). Ends the impersonated session `sessionId` and makes the impersonator's own session on this client active again. */
  stopImpersonation?(sessionId: string): Promise<AdapterResponse<ClientResource>>
}

/**
 * An adapter with tokens, password sign-in, multi-session and
 * reverification: what the sessionkit protocol (http) and the memory adapter offer.
 */
export type PasswordSessionAdapter = SessionAdapter &
  Required<Pick<SessionAdapter, 'createToken' | 'signIn' | 'removeSession' | 'endAllSessions' | 'setActiveSession' | 'verifySession'>>

/**
 * One of the signed-in user's sessions on some device, as the server lists
 * them (`/v1/me/sessions`). Times are server-clock ms since the epoch.
 */
export interface UserSessionResource {
  id: string
  status: SessionStatus
  /** A label for the device, e.g. "Chrome 156 on Linux". */
  device: string
  /** The address it was last used from; null when unknown. */
  ip: string | null
  createdAt: number
  lastActiveAt: number
  /** Whether this is the session of this browser. */
  isCurrent: boolean
}

/** The name of one SessionAdapter method. */
export type AdapterMethod = Exclude<keyof SessionAdapter, 'key'>

/** The methods every adapter must have: checked when a client is created. */
export const REQUIRED_ADAPTER_METHODS: readonly AdapterMethod[] = ['getClient', 'touchSession', 'endSession']

/** Every method an adapter may have. */
export const ADAPTER_METHODS: readonly AdapterMethod[] = [
  'getClient',
  'signIn',
  'signInWithRedirect',
  'touchSession',
  'createToken',
  'endSession',
  'removeSession',
  'endAllSessions',
  'setActiveSession',
  'verifySession',
  'getUserSessions',
  'revokeUserSession',
  'revokeOtherUserSessions',
  'signOutEverywhere',
  'startImpersonation',
  'stopImpersonation',
]

/** What an adapter can do beyond the required methods; the React layer shows or hides UI by it. */
export interface AdapterCapabilities {
  /** `getToken` works (`createToken`). */
  tokens: boolean
  /** `signIn({ identifier, password })` works. */
  passwordSignIn: boolean
  /** `signInWithRedirect()` works. */
  redirectSignIn: boolean
  /** Several sessions per browser: "Add account", switching, sign out of all (`setActiveSession`, `removeSession`, `endAllSessions`). */
  multiSession: boolean
  /** Step-up reverification (`verifySession`). */
  reverification: boolean
  /** The user's sessions on every device, to list and revoke (`getUserSessions`, `revokeUserSession`, `revokeOtherUserSessions`). */
  devices: boolean
  /** Sign out of every device at once (`signOutEverywhere`). */
  signOutEverywhere: boolean
  /** Acting as another user and back (`startImpersonation`, `stopImpersonation`). */
  impersonation: boolean
}

/** Whether `value` lacks one of the functions `methods` names (an adapter's, a clock's). */
export const lacks = (value: object, methods: readonly string[]): boolean =>
  methods.some((method) => typeof value[method as keyof object] !== 'function')

/** Reads what an adapter can do from the methods it has. */
export const capabilitiesOf = (adapter: SessionAdapter): AdapterCapabilities => {
  const has = (...methods: AdapterMethod[]) => !lacks(adapter, methods)
  return {
    tokens: has('createToken'),
    passwordSignIn: has('signIn'),
    redirectSignIn: has('signInWithRedirect'),
    multiSession: has('setActiveSession', 'removeSession', 'endAllSessions'),
    reverification: has('verifySession'),
    devices: has('getUserSessions', 'revokeUserSession', 'revokeOtherUserSessions'),
    signOutEverywhere: has('signOutEverywhere'),
    impersonation: has('startImpersonation', 'stopImpersonation'),
  }
}

/** The adapter's optional `method`, bound; throws `not_supported` naming the method to add when it has none. */
export const requireMethod = <M extends AdapterMethod>(adapter: SessionAdapter, method: M, call: string): NonNullable<SessionAdapter[M]> => {
  const fn = adapter[method]
  if (typeof fn !== 'function') {
    throw new SessionKitError(
      'not_supported',
      process.env.NODE_ENV !== 'production' ? `${call}() needs an adapter with ${method}(); this adapter (${adapter.key}) has none: add ${method} to it, or do not call ${call}.` : `${call}() is not supported by this adapter.`,
    )
  }
  return fn.bind(adapter) as NonNullable<SessionAdapter[M]>
}
