import type { AdapterCapabilities, RedirectSignInParams, SessionAdapter, SignInParams, UserSessionResource, VerificationParams } from './adapter'
import type { Clock } from './clock'
import type { SessionEventListener, SessionEventName } from './events'
import type { SessionKitError } from './errors'
import type { DeadlineReason, Phase } from './deadline'
import type { LifetimePolicy } from './lifetimes'
import type { ReverificationCheck } from './authorization'
import type { ActorResource, ClientResource, SessionResource, UserResource } from './resources'
import type { TabTransport } from './tabs/transport'

/**
 * A session as the app sees it: the server's resource with every time
 * converted to client time (ms since the epoch on this machine's clock).
 */
export interface Session extends SessionResource {
  /**
   * When each factor ([first, second]) was last verified, in client time:
   * `factorVerificationAge` turned into stamps once, counted from the server
   * time the answer was produced (not when it arrived or was handed over by
   * another tab), so ages are derived from `now` instead of aged by hand. `null`
   * for a factor not enrolled; the whole field null when unknown.
   */
  factorVerifiedAt: readonly [number | null, number | null] | null
}

/** The signed-in user. */
export type User = UserResource

/** One of the user's sessions on some device, with its times in client time. */
export type UserSession = UserSessionResource

/** Where an explicit renewal ("Stay signed in") stands. */
export type Renewal = 'idle' | 'pending' | 'retrying' | 'failed'

/** Whether the server can be reached: `degraded` = it answers with errors (5xx, 429). */
export type Connectivity = 'online' | 'offline' | 'degraded'

/** Why the user is signed out. */
export type SignOutReason =
  /** The user (or the app) signed out. */
  | 'signed-out'
  /** Nobody renewed the session in time (server inactivity timeout). */
  | 'inactivity'
  /** The client-side idle limit passed. */
  | 'idle'
  /** The maximum lifetime was reached. */
  | 'max-lifetime'
  /** The server ended the session (revoked, removed elsewhere, unknown). */
  | 'revoked'
  /** A sign-in on another device replaced it (a one-device policy). */
  | 'replaced'

/** Where the client stands. Read it with `client.getState()` or a selector. */
export interface SessionClientState {
  /** `loading` until the first answer from the adapter. */
  readonly status: 'loading' | 'signed-out' | 'signed-in'
  /** Every session this client knows, active or not. */
  readonly sessions: readonly Session[]
  /** The active session, or null. */
  readonly session: Session | null
  /** The active session's user, or null. */
  readonly user: User | null
  /** When the active session ends (client time), or null. */
  readonly deadline: number | null
  /** Which limit sets the deadline. */
  readonly deadlineReason: DeadlineReason | null
  /** Whether "Stay signed in" can move the deadline. */
  readonly renewable: boolean
  /** `warning` from `warnBefore` ahead of the deadline; `expired` once it passed (until the next sign-in). */
  readonly phase: Phase
  /** Why the user was signed out, while signed out. */
  readonly signOutReason: SignOutReason | null
  /** Whether the server can be reached. */
  readonly connectivity: Connectivity
  /**
   * "Stay signed in" on its way: `pending` until the server confirms the new
   * deadline, `retrying` while it cannot be reached (the warning says so and
   * stays open), `failed` when it was refused by something other than a
   * sign-out (a bad answer, a 403: not retried; the warning says so and
   * "Stay signed in" may be pressed again) until the next touch lands or the
   * session ends, `idle` otherwise.
   */
  readonly renewal: Renewal
  /** The last error worth showing (failed renewal, bad response), or null. */
  readonly error: SessionKitError | null
  /** The server's lifetime policy, once loaded. */
  readonly policy: LifetimePolicy | null
  /** Whether this tab touches the server and refreshes tokens for all tabs (true for a tab alone). */
  readonly isLeader: boolean
}

/** Options of `getToken`. */
export interface GetTokenOptions {
  /** A named token template (extra claims). Default: the session token. */
  template?: string
  /** Mint for this organization. Default: the session's active organization. */
  organizationId?: string | null
  /** Serve a cached token only while it has more than this left (seconds). Default 10. Does not lengthen a token's life. */
  leewayInSeconds?: number
  /** Fetch a new token even if a cached one is fresh. Default false. */
  skipCache?: boolean
  /** Reject on failure (true, default) or resolve to null (false). Bad options reject either way (`invalid_option`): they are a bug in the call. */
  throwOnError?: boolean
  /** Token for this session instead of the active one. */
  sessionId?: string
}

/** What `checkAuthorization` / `has` can check; every given check must pass. */
export interface AuthorizationParams {
  /** Role in the active organization, e.g. `org:admin`. */
  role?: string
  /** Permission in the active organization, e.g. `org:invoices:delete`. */
  permission?: string
  /** A recent proof of identity: a preset or `{ level, afterMinutes }`. */
  reverification?: ReverificationCheck
}

/** What `beforeSignOut` is told: why the session is ending, and which. */
export interface BeforeSignOutInfo {
  reason: SignOutReason
  sessionId: string
}

/** The app's last chance to save work before a deadline or a remote sign-out ends the session. */
export type BeforeSignOut = (info: BeforeSignOutInfo) => Promise<void> | void

/**
 * What the server knew when it rendered the page: `GET /v1/client`'s answer
 * (`{ client, serverNow }`, from `getClientSnapshot` in `sessionkit/server`),
 * which may be signed out with other accounts still listed; or null for
 * "signed out, no account listed".
 */
export interface ClientSnapshot {
  client: ClientResource
  serverNow: number
}

/** Options of `createSessionClient`. Durations are milliseconds. */
export interface SessionClientOptions {
  /** The backend: `createMemoryAdapter()` or `createHttpAdapter()`. Required. */
  adapter: SessionAdapter
  /**
   * Start from the server's snapshot: the first render (on the server and on
   * the client) is already signed in or out, and mounting asks the server
   * again only when the snapshot is stale (older than 60 s, or its session
   * already past its deadline). `null` = known to be signed out, with no account listed. Default: none (load on mount).
   */
  initialClient?: ClientSnapshot | null
  /** Source of time and timers. Default: the system clock. */
  clock?: Clock
  /** Client-side idle limit: sign out this long after the last input. Default null (off). */
  idleTimeout?: number | null
  /** How long before the deadline the warning shows. Default 60,000 (60 s). */
  warnBefore?: number
  /** Touch the server at most this often while the user is active. Default: a tenth of the inactivity timeout, from 5,000 to 60,000 (so a session revoked elsewhere is noticed within a minute of use). */
  touchInterval?: number
  /** Input events that count as activity. Default: pointerdown, pointermove, keydown, wheel, touchstart, focus, visibilitychange (not scroll: code scrolls too). */
  activityEvents?: readonly string[]
  /** How often the client learns of activity at most, and how long high-frequency listeners stay detached after an event. Default 1,000. */
  activityThrottle?: number
  /**
   * Awaited before the client ends the session at a deadline or on a remote
   * sign-out (revoked, replaced), at most `beforeSignOutTimeout`: save work
   * here. Runs in every tab that has one (each saves its own work), also when
   * another tab signed out first; never for the user's own sign-out. An error
   * in it never blocks the sign-out. Default none.
   */
  beforeSignOut?: BeforeSignOut | null
  /** How long `beforeSignOut` may hold the sign-out back. Default 2,000. */
  beforeSignOutTimeout?: number
  /** Default `leewayInSeconds` of `getToken`. Default 10. */
  leewayInSeconds?: number
  /** Where input events are listened for. Default: `window` in a browser, none elsewhere. */
  eventTarget?: EventTarget | null
  /**
   * Tabs as one user (BroadcastChannel + Web Locks): shared activity, one tab
   * touching and refreshing for all, sign-out everywhere. `false` = this tab
   * alone; a `TabTransport` = your own (tests). Default true (when the browser
   * has both features).
   */
  crossTab?: boolean | TabTransport
}

/** A session client: one per app (or per test). */
export interface SessionClient {
  /** Current time on the server's clock: this clock plus the measured skew (this clock before any answer). For showing server times, e.g. a token's `exp`. */
  serverNow(): number
  /** Current state. Read-only: the client alone changes it. */
  getState(): SessionClientState
  /** The state before the first load (what the server renders). */
  getInitialState(): SessionClientState
  /** Calls `listener` after every state change; returns an unsubscribe function. */
  subscribe(listener: (state: SessionClientState, previous: SessionClientState) => void): () => void
  /** The options in force, with defaults applied. */
  readonly options: Readonly<Required<Omit<SessionClientOptions, 'eventTarget' | 'touchInterval' | 'crossTab' | 'beforeSignOut' | 'initialClient'>>> & {
    beforeSignOut: BeforeSignOut | null
    touchInterval: number | null
    /** Where input events are listened for (null: none). */
    eventTarget: EventTarget | null
  }
  /**
   * Listens to one event (`signedIn`, `signedOut`, `warning`, `renewed`,
   * `sessionChanged`, `tokenRefreshed`, `connectivity`); returns the
   * function that stops listening. Each fires once per real change, in the
   * tab where it happens.
   */
  on<E extends SessionEventName>(event: E, listener: SessionEventListener<E>): () => void
  /** What the adapter can do beyond the required methods (tokens, password or redirect sign-in, multi-session, reverification). */
  readonly capabilities: AdapterCapabilities
  /** Whether this tab is the one that touches the server and refreshes tokens for all tabs (always true alone). */
  isLeader(): boolean
  /**
   * Starts the client (listeners, timers, first load); returns a function that
   * stops it. Counted: only the first mount starts and the last unmount stops,
   * so React StrictMode's double effects do no harm.
   */
  mount(): () => void
  /** Loads (or reloads) the client from the adapter. Concurrent calls share one request. */
  load(): Promise<void>
  /** Signs in with a password and makes the new session active. Rejects `not_supported` when the adapter has no `signIn`. */
  signIn(params: SignInParams): Promise<void>
  /** Leaves the page for the identity provider's sign-in (OIDC). Rejects `not_supported` when the adapter has no `signInWithRedirect`. */
  signInWithRedirect(params?: RedirectSignInParams): Promise<void>
  /** Records activity now and renews the session on the server at once ("Stay signed in"). */
  touch(): Promise<void>
  /** A token for the active session, from cache when fresh; null when signed out. */
  getToken(options?: GetTokenOptions): Promise<string | null>
  /** Makes another session active (multi-session). Drops the old session's tokens. */
  setActive(sessionId: string | null, options?: { organizationId?: string | null }): Promise<void>
  /** Signs out of one session (`sessionId`) or, without one, of every session. */
  signOut(options?: { sessionId?: string }): Promise<void>
  /** Ends a session (default: the active one); it stays listed as ended. */
  end(sessionId?: string): Promise<void>
  /** Ends a session (default: the active one) and forgets it on this client. */
  remove(sessionId?: string): Promise<void>
  /**
   * Reverification: proves the user again (password = first factor, one-time
   * code = second factor) for the active session, or `sessionId`. Rejects
   * `invalid_credentials` on a wrong proof.
   */
  verify(params: VerificationParams, options?: { sessionId?: string }): Promise<void>
  /** The signed-in user's sessions on every device (newest first as the server lists them); [] when signed out. Needs the adapter's `getUserSessions`. */
  getUserSessions(): Promise<UserSession[]>
  /** Signs one of the user's other devices out; resolves to the new list. Needs `revokeUserSession`. */
  revokeUserSession(sessionId: string): Promise<UserSession[]>
  /** Signs every other device of the user out; resolves to the new list. Needs `revokeOtherUserSessions`. */
  revokeOtherUserSessions(): Promise<UserSession[]>
  /** Signs the user out on every device, this one at once. Rejects when the server could not be told. Needs `signOutEverywhere`. */
  signOutEverywhere(): Promise<void>
  /**
   * Support staff act as another user: a new session for `userId`, whose
   * `actor` names the signed-in user, becomes active (the server checks the
   * permission: `forbidden` without it). Needs the adapter's `startImpersonation`.
   */
  startImpersonation(userId: string): Promise<void>
  /** Stops acting as another user: that session ends and the impersonator's own session is active again. Needs `stopImpersonation`. */
  stopImpersonation(): Promise<void>
  /** Whether the active session passes every given check. Fails closed. */
  checkAuthorization(params: AuthorizationParams): boolean
  /** Stops everything for good; later calls reject with `client_destroyed`. */
  destroy(): void
}

export type { ActorResource }
