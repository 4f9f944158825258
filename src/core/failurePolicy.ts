import { SessionKitError, type SessionKitErrorCode } from './errors'
import type { Session, SignOutReason } from './types'

// The failure policy: only the server's definite answer signs out. A network
// error, a timeout, a 5xx or a 429 keeps the session, marks the client
// offline or degraded, and is retried with backoff; the local deadline still
// applies meanwhile, so an idle user is signed out on time even offline.
// The session state (sessionState.ts) acts on what `judgeFailure` says.
// (No prototype in the tables: a code an adapter made up, such as "constructor", never reads as an entry;
// `satisfies` keeps tsc checking their keys.)

/** The server's definite answers that the session is gone, the only errors that sign out, and the reason each reads as. */
const SIGN_OUT_REASONS: Partial<Record<SessionKitErrorCode, SignOutReason>> = Object.assign(Object.create(null), {
  unauthenticated: 'revoked',
  session_not_found: 'revoked',
  session_replaced: 'replaced',
  // Or `max-lifetime`, past the maximum lifetime (judgeFailure).
  session_expired: 'inactivity',
} satisfies Partial<Record<SessionKitErrorCode, SignOutReason>>)

/** Failures to reach the server (the client is offline) and server faults (degraded): keep the session and retry. */
const CONNECTIVITY: Partial<Record<SessionKitErrorCode, 'offline' | 'degraded'>> = Object.assign(Object.create(null), {
  network_error: 'offline',
  timeout: 'offline',
  server_error: 'degraded',
  rate_limited: 'degraded',
} satisfies Partial<Record<SessionKitErrorCode, 'offline' | 'degraded'>>)

/**
 * A sign-in attempt that came back without a session: cancelled or refused at the provider,
 * or an answer this tab did not ask for (another tab's, a stale link). A definite answer that
 * nobody is signed in through it, not a session ending: a tab still loading shows signed out.
 */
const NO_SESSION: ReadonlySet<SessionKitErrorCode> = new Set(['oidc_callback_error', 'oidc_state_mismatch', 'oidc_missing_verifier'])

/** The server's definite answer that the session is gone: the only errors that sign out. */
export function isSignOutError(error: unknown): boolean {
  return error instanceof SessionKitError && !!SIGN_OUT_REASONS[error.code]
}

/** A failure to reach the server or a server fault: keep the session and retry. */
export function isConnectivityError(error: unknown): boolean {
  // Anything that is not a SessionKitError (a TypeError from fetch, say) is
  // treated as a network failure: never as a sign-out.
  return !(error instanceof SessionKitError) || !!CONNECTIVITY[error.code]
}

/** What the client does about one failed request. */
export type FailureVerdict =
  /** The server said the session is gone: sign out, for this reason. */
  | { action: 'sign-out'; reason: SignOutReason }
  /** The server could not be reached or is failing: keep the session, retry. */
  | { action: 'retry'; connectivity: 'offline' | 'degraded' }
  /** A sign-in came back without a session: nobody is signed in (a loading tab shows signed out), and the error is reported. */
  | { action: 'no-session' }
  /** Anything else (a bad answer, a refused request): report it to the caller and in the state. */
  | { action: 'report' }

/**
 * Judges a failure of a request about the active `session` at `now`. An
 * expired answer past the maximum lifetime reads as `max-lifetime`, other
 * expiries as `inactivity`; "not found" or "unauthenticated" as `revoked`.
 */
export function judgeFailure({ code }: SessionKitError, session: Session | null, now: number): FailureVerdict {
  const reason = SIGN_OUT_REASONS[code]
  if (reason) {
    const maxLifetimeOver = reason === 'inactivity' && session?.abandonAt != null && session.abandonAt <= now
    return { action: 'sign-out', reason: maxLifetimeOver ? 'max-lifetime' : reason }
  }
  if (NO_SESSION.has(code)) return { action: 'no-session' }
  const connectivity = CONNECTIVITY[code]
  return connectivity ? { action: 'retry', connectivity } : { action: 'report' }
}
