import { SessionKitError, type SessionKitErrorCode } from './errors'
import type { Session, SignOutReason } from './types'

// The failure policy: only the server's definite answer signs out. A network
// error, a timeout, a 5xx or a 429 keeps the session, marks the client
// offline or degraded, and is retried with backoff; the local deadline still
// applies meanwhile, so an idle user is signed out on time even offline.

const SIGN_OUT_CODES: readonly SessionKitErrorCode[] = ['unauthenticated', 'session_expired', 'session_not_found', 'session_replaced']
const CONNECTIVITY_CODES: readonly SessionKitErrorCode[] = ['network_error', 'timeout', 'server_error', 'rate_limited']

/** The server's definite answer that the session is gone: the only errors that sign out. */
export function isSignOutError(error: unknown): boolean {
  return error instanceof SessionKitError && SIGN_OUT_CODES.includes(error.code)
}

/** A failure to reach the server or a server fault: keep the session and retry. */
export function isConnectivityError(error: unknown): boolean {
  // Anything that is not a SessionKitError (a TypeError from fetch, say) is
  // treated as a network failure: never as a sign-out.
  return !(error instanceof SessionKitError) || CONNECTIVITY_CODES.includes(error.code)
}

/** What the client does about one failed request. */
export type FailureVerdict =
  /** The server said the session is gone: sign out, for this reason. */
  | { action: 'sign-out'; reason: SignOutReason }
  /** The server could not be reached or is failing: keep the session, retry. */
  | { action: 'retry'; connectivity: 'offline' | 'degraded' }
  /** Anything else (a bad answer, a refused request): report it to the caller and in the state. */
  | { action: 'report' }

/**
 * Judges a failure of a request about the active `session` at `now`. An
 * expired answer past the maximum lifetime reads as `max-lifetime`, other
 * expiries as `inactivity`; "not found" or "unauthenticated" as `revoked`.
 */
export function judgeFailure(error: SessionKitError, session: Session | null, now: number): FailureVerdict {
  if (isSignOutError(error)) {
    if (error.code === 'session_replaced') return { action: 'sign-out', reason: 'replaced' }
    if (error.code !== 'session_expired') return { action: 'sign-out', reason: 'revoked' }
    const maxLifetimeOver = session?.abandonAt != null && session.abandonAt <= now
    return { action: 'sign-out', reason: maxLifetimeOver ? 'max-lifetime' : 'inactivity' }
  }
  if (isConnectivityError(error)) {
    return { action: 'retry', connectivity: error.code === 'network_error' || error.code === 'timeout' ? 'offline' : 'degraded' }
  }
  return { action: 'report' }
}
