import { SessionKitError, toSessionKitError, type SessionKitErrorCode } from './errors'
import type { Clock } from './clock'
import type { RetryQueue } from './retryQueue'
import type { SessionStore } from './store'
import type { Session, SignOutReason } from './types'

// The failure policy: only the server's definite answer signs out. A network
// error, a timeout, a 5xx or a 429 keeps the session, marks the client
// offline or degraded, and is retried with backoff; the local deadline still
// applies meanwhile, so an idle user is signed out on time even offline.
// (No prototype in the tables: a code an adapter made up never reads as an entry.)

/** The server's definite answers that the session is gone, the only errors that sign out, and the reason each reads as. */
const SIGN_OUT_REASONS: Partial<Record<SessionKitErrorCode, SignOutReason>> = {
  __proto__: null,
  unauthenticated: 'revoked',
  session_not_found: 'revoked',
  session_replaced: 'replaced',
  // Or `max-lifetime`, past the maximum lifetime (judgeFailure).
  session_expired: 'inactivity',
} as Partial<Record<SessionKitErrorCode, SignOutReason>>

/** Failures to reach the server (the client is offline) and server faults (degraded): keep the session and retry. */
const CONNECTIVITY: Partial<Record<SessionKitErrorCode, 'offline' | 'degraded'>> = {
  __proto__: null,
  network_error: 'offline',
  timeout: 'offline',
  server_error: 'degraded',
  rate_limited: 'degraded',
} as Partial<Record<SessionKitErrorCode, 'offline' | 'degraded'>>

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
  const connectivity = CONNECTIVITY[code]
  return connectivity ? { action: 'retry', connectivity } : { action: 'report' }
}

/** What acting on a failure reaches (sessionState.ts gives its own parts). */
export interface FailureParts {
  store: SessionStore
  clock: Clock
  retries: RetryQueue
  /** Ends the signed-in session for a reason (after the app's `beforeSignOut`). */
  end: (reason: SignOutReason) => Promise<void>
  /** Signs out at once; `null`: no session was known yet (the first load failed). */
  signOut: (reason: null) => void
  /** Refreshes the client from the server (see failAbout). */
  reload: () => Promise<void>
}

/** How the client acts on a failed request, as `judgeFailure` judges it. */
export function failureActions({ store, clock, retries, end, signOut, reload }: FailureParts) {
  /** Acts on a failure; `retry` is queued when the verdict is to retry. Returns the error to throw. */
  function fail(error: unknown, retry?: () => void): SessionKitError {
    const e = toSessionKitError(error)
    const { status, session } = store.getState()
    const verdict = judgeFailure(e, session, clock.now())
    if (verdict.action === 'sign-out') {
      if (status === 'signed-in') void end(verdict.reason)
      else if (status === 'loading') signOut(null)
    } else if (verdict.action === 'retry') {
      store.patch({ connectivity: verdict.connectivity, error: e })
      if (retry) retries.schedule(retry, e.retryAfterMs)
    } else {
      store.patch({ error: e })
    }
    return e
  }

  /**
   * A failure of a request about `sessionId`. The server's definite answer
   * about another session than the active one (switching to a session that
   * ended elsewhere) refreshes the list (`reload`) instead of signing this one out.
   */
  async function failAbout(sessionId: string | null | undefined, error: unknown): Promise<SessionKitError> {
    if (isSignOutError(error) && sessionId && sessionId !== store.getState().session?.id) {
      await reload().catch(() => undefined)
      return toSessionKitError(error)
    }
    return fail(error)
  }

  return { fail, failAbout }
}
