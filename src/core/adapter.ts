import type { ClientResource, SessionResource } from './resources'

/**
 * Every adapter answer carries the server's clock, so the client can measure
 * skew (corrected by half the round trip) and convert server times.
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

/** Options for minting a token. */
export interface CreateTokenParams {
  /** A named template adding claims; omitted = the default session token. */
  template?: string
  /** Mint for this organization instead of the session's active one. */
  organizationId?: string | null
}

/** One step of reverification: a password (first factor) or a one-time code (second factor). */
export type VerificationParams = { strategy: 'password'; password: string } | { strategy: 'totp'; code: string }

/**
 * A backend for sessionkit. The memory adapter (tests, stories) and the http
 * adapter (the sessionkit protocol) implement it; so can an app for its own
 * backend.
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
  /** The client (this browser) and its sessions. */
  getClient(): Promise<AdapterResponse<ClientResource>>
  /** Signs in and makes the new session active. */
  signIn(params: SignInParams): Promise<AdapterResponse<ClientResource>>
  /** Records activity: renews `expireAt` (never past `abandonAt`). */
  touchSession(sessionId: string): Promise<AdapterResponse<SessionResource>>
  /** Mints a short-lived JWT for the session. */
  createToken(sessionId: string, params: CreateTokenParams): Promise<AdapterResponse<{ jwt: string }>>
  /** Signs out of one session; it stays listed as `ended`. */
  endSession(sessionId: string): Promise<AdapterResponse<ClientResource>>
  /** Signs out of one session and forgets it on this client. */
  removeSession(sessionId: string): Promise<AdapterResponse<ClientResource>>
  /** Signs out of every session on this client. */
  endAllSessions(): Promise<AdapterResponse<ClientResource>>
  /** Makes a session active (and optionally an organization within it); `null` = none. */
  setActiveSession(
    sessionId: string | null,
    params?: { organizationId?: string | null },
  ): Promise<AdapterResponse<ClientResource>>
  /** Reverification: proves the user again; updates `factorVerificationAge`. */
  verifySession(sessionId: string, params: VerificationParams): Promise<AdapterResponse<SessionResource>>
}

/** The name of one SessionAdapter method. */
export type AdapterMethod = Exclude<keyof SessionAdapter, 'key'>

/** Every method a SessionAdapter must have: checked when a client is created. */
export const ADAPTER_METHODS: readonly AdapterMethod[] = [
  'getClient',
  'signIn',
  'touchSession',
  'createToken',
  'endSession',
  'removeSession',
  'endAllSessions',
  'setActiveSession',
  'verifySession',
]
