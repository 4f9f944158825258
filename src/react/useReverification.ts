'use client'
import { useCallback, useRef } from 'react'
import { isSessionKitError, SessionKitError } from '../core/errors'
import { authorize } from '../core/authorization'
import type { SessionClient, SessionClientState } from '../core/types'
import { useClientFor, type SessionHookOptions } from './context'
import {
  cancelled,
  requirementFrom,
  reverificationQueue,
  sessionChanged,
  signedOut,
  verificationSteps,
  type PendingReverification,
} from './reverificationContext'
import { useIsomorphicLayoutEffect } from './useIsomorphicLayoutEffect'

/** Options of `useReverification`. */
export interface UseReverificationOptions extends SessionHookOptions {
  /**
   * Your own UI instead of `<ReverificationDialog />`: called with the level
   * asked for, the steps to show, the session to verify, and `complete` /
   * `cancel`. Verify with `client.verify(proof, { sessionId })`, then call
   * `complete()` (the action is retried once) or `cancel()` (it rejects with
   * `reverification_cancelled`, as it does when another session becomes
   * active meanwhile).
   * Default: none (the mounted `<ReverificationDialog />` asks).
   */
  onNeedsReverification?: (params: PendingReverification) => void
}

/**
 * Wraps an action the server may refuse until the user proves who they are
 * again (step-up). The returned function takes the same arguments and calls
 * `fetcher`. When the answer is "reverification required" — a rejection with
 * a `SessionKitError` of code `reverification_required` (what the http
 * adapter throws), or a resolved `Response` with status 403 whose JSON body
 * has that code (`{ errors: [{ code, meta }] }` or `{ code, meta }`) — it asks
 * the user (the mounted `<ReverificationDialog />`, or
 * `onNeedsReverification`) at the level in the answer's meta (default
 * `strict`), then calls `fetcher` once more and returns what that returns.
 * When the session did not pass that level as the action started but does
 * now (a proof given meanwhile, after the server decided), it retries
 * without asking.
 * A second "reverification required" is passed on as is, never looped.
 * Cancelling rejects with `reverification_cancelled`, and so does a switch
 * to another session meanwhile (multi-session: the action never runs as the
 * other account); a session that ends meanwhile rejects with `signed_out`.
 * The returned function keeps its identity.
 */
export function useReverification<Args extends unknown[], Result>(
  fetcher: (...args: Args) => Result | Promise<Result>,
  options?: UseReverificationOptions,
): (...args: Args) => Promise<Result> {
  const client = useClientFor('useReverification', options)
  // The latest fetcher and callback, so the returned function never changes identity.
  const latest = useRef({ fetcher, onNeedsReverification: options?.onNeedsReverification })
  useIsomorphicLayoutEffect(() => {
    latest.current = { fetcher, onNeedsReverification: options?.onNeedsReverification }
  })
  // Started on first render, so arrivals of session state are timed from the start.
  reverificationQueue(client)

  return useCallback(
    async (...args: Args): Promise<Result> => {
      // The proof asked for, and the retry, are for this session: the one whose token the refusal answered.
      const started: ActionStart = { state: client.getState(), at: client.options.clock.now() }
      const startedUnder = started.state.session?.id ?? null
      const first = await settle(() => latest.current.fetcher(...args))
      const needed = await reverificationNeeded(first)
      if (needed === NOT_NEEDED) return unwrap(first)
      await askUser(client, started, needed, startedUnder, latest.current.onNeedsReverification)
      // Checked again: a switch may land between the proof and this retry.
      if (client.getState().session?.id !== startedUnder) throw sessionChanged()
      return latest.current.fetcher(...args)
    },
    [client],
  )
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown }

async function settle<T>(run: () => T | Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await run() }
  } catch (error) {
    return { ok: false, error }
  }
}

function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value
  throw outcome.error
}

const NOT_NEEDED = Symbol('not needed')

/** The answer's reverification meta when it asks for reverification; `NOT_NEEDED` otherwise. */
async function reverificationNeeded(outcome: Outcome<unknown>): Promise<unknown> {
  if (!outcome.ok) {
    const { error } = outcome
    if (isSessionKitError(error, 'reverification_required')) return error.reverification
    // An HTTP error thrown by a fetch helper (sessionkit/react-query's
    // HttpError, say): judged by its shape, so this file imports no fetch library.
    const http = error as { status?: unknown; body?: unknown } | null
    return http && typeof http === 'object' && http.status === 403 ? requirementIn(http.body) : NOT_NEEDED
  }
  const response = outcome.value
  if (typeof Response === 'undefined' || !(response instanceof Response) || response.status !== 403) return NOT_NEEDED
  // A clone, so the caller can still read the body of any other 403.
  return requirementIn(await response.clone().json().catch(() => null))
}

/** The reverification a 403 body asks for (`{ errors: [{ code, meta }] }` or `{ code, meta }`), or NOT_NEEDED. */
function requirementIn(body: unknown): unknown {
  if (!body || typeof body !== 'object') return NOT_NEEDED
  const record = body as Record<string, unknown>
  const entry = Array.isArray(record.errors) ? (record.errors[0] as Record<string, unknown> | undefined) : record
  if (entry?.code !== 'reverification_required') return NOT_NEEDED
  return entry.meta ?? entry.reverification ?? null
}

/** The client's state when an action started, and the client time then. */
interface ActionStart {
  state: SessionClientState
  at: number
}

function askUser(
  client: SessionClient,
  started: ActionStart,
  meta: unknown,
  sessionId: string | null,
  onNeedsReverification: ((params: PendingReverification) => void) | undefined,
): Promise<void> {
  const { level, afterMinutes } = requirementFrom(meta)
  const reverification = { level, afterMinutes }
  // Not verified enough when the action started, verified now: a proof given meanwhile (another
  // action's dialog) came after the server decided, and covers it. Retry without asking again,
  // which the one-time code just used could not answer. Verified already at the start: the
  // server knows better than this client's view, so ask.
  if (!authorize(started.state, { reverification }, started.at) && client.checkAuthorization({ reverification })) return Promise.resolve()
  if (!client.capabilities.reverification) {
    // Asking for a password the backend cannot check would only fail later, in the dialog.
    return Promise.reject(
      new SessionKitError(
        'not_supported',
        process.env.NODE_ENV !== 'production'
          ? 'The server asked for reverification, but the adapter has no verifySession(): add verifySession to it, or have the server ask the user to sign in again.'
          : 'Reverification not supported.',
      ),
    )
  }
  if (onNeedsReverification) return askWithOwnUi(client, level, afterMinutes, sessionId, onNeedsReverification)
  const queue = reverificationQueue(client)
  if (!queue.hasHost) {
    return Promise.reject(
      new SessionKitError(
        'missing_provider',
        process.env.NODE_ENV !== 'production'
          ? '`useReverification` needs `<ReverificationDialog />` rendered under `SessionProvider` (next to `<InactivityWarning />`), or an `onNeedsReverification` option.'
          : 'No ReverificationDialog.',
      ),
    )
  }
  return queue.request(level, afterMinutes, sessionId)
}

/** One request shown by the app's own UI: settles once, on sign-out, and when another session becomes active. */
function askWithOwnUi(
  client: SessionClient,
  level: PendingReverification['level'],
  afterMinutes: number,
  sessionId: string | null,
  present: (params: PendingReverification) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const state = client.getState()
    if (state.status !== 'signed-in' || !state.session) return reject(signedOut())
    if (state.session.id !== sessionId) return reject(sessionChanged())
    let done = false
    const finish = (error?: SessionKitError) => {
      if (done) return
      done = true
      unsubscribe()
      if (error) reject(error)
      else resolve()
    }
    const unsubscribe = client.subscribe((state) => {
      if (state.status !== 'signed-in') finish(signedOut())
      else if (state.session?.id !== sessionId) finish(sessionChanged())
    })
    try {
      present({
        level,
        afterMinutes,
        steps: verificationSteps(level, state.session.factorVerificationAge),
        sessionId: state.session.id,
        complete: () => finish(),
        cancel: () => finish(cancelled()),
      })
    } catch (error) {
      done = true
      unsubscribe()
      reject(error)
    }
  })
}
