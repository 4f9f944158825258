import type { AdapterResponse } from './adapter'
import type { Clock } from './clock'
import { toSessionKitError, type SessionKitError } from './errors'
import { judgeFailure, type FailureVerdict } from './failurePolicy'
import { createRetryQueue } from './retryQueue'
import type { ServerLink } from './serverLink'
import type { SessionStore } from './store'

/** An adapter call that tells the server a session is over. */
export type SignOutCall = () => Promise<AdapterResponse<unknown>>

/** Sign-outs of this tab that the server has not heard yet. */
export type PendingSignOuts = ReturnType<typeof createPendingSignOuts>

/** Any answer will do: only that the server heard it matters. */
const anyAnswer = (data: unknown) => data

/** How many times in all a sign-out is sent while it is refused for another reason than the server's absence (a 403, a bare 404). */
const MAX_REFUSED_ATTEMPTS = 3

/**
 * Sign-outs the server could not be told about (offline, 5xx, 429): the
 * session ended here at once, but until the server hears it, a reload, or the
 * next person at a shared computer, would find it still signed in. Each is
 * sent again with backoff (Retry-After honoured), and at once when the tab
 * wakes or another request gets through, until the server answers: done, or
 * a definite answer that the session is over already. One refused for another
 * reason (a captive portal's page, a WAF's 403, a backend without the route)
 * is sent `MAX_REFUSED_ATTEMPTS` times in all, then dropped: a refusal that
 * lasts will not change. While one cannot reach the server, connectivity
 * stays offline or degraded; once none waits, or another request is
 * answered, it is online again. Kept in memory only (no storage: a tab closed
 * during the outage forgets them; the other tabs tell the server too, see
 * expiryCheck.ts and sessionState.ts), through the local sign-out; after
 * `clear` (destroyed) nothing is sent or kept again.
 */
export function createPendingSignOuts(clock: Clock, link: ServerLink, store: SessionStore) {
  const retries = createRetryQueue(clock)
  /** Each waiting sign-out's retry, with its attempt in flight (none yet while it waits for its first turn). */
  const pending = new Map<() => void, Promise<void> | undefined>()
  /** The session each waiting sign-out of `send` ends (by its retry): the server is still to hear it (`waits`). */
  const ending = new Map<() => void, string>()
  /** Sessions this tab told the server are over, or tells (`send`; the user's own sign-out): not told again (`told`). */
  const told = new Set<string>()

  /** Set by `clear` (destroyed): nothing is sent, kept or written again. */
  let closed = false

  /**
   * Judges failure `e` of a sign-out. Only the server's absence (offline, 5xx, 429) shows in connectivity:
   * a refusal came from something that answered, as it does for any other request.
   */
  const judge = (e: SessionKitError): FailureVerdict['action'] => {
    const verdict = judgeFailure(e, null, clock.now())
    if (verdict.action === 'retry') store.patch({ connectivity: verdict.connectivity })
    return verdict.action
  }

  /** The server answered (`retry`'s sign-out, if any), or it was given up: with none left waiting, requests may flow again. */
  const heard = (retry?: () => void) => {
    if (retry) ending.delete(retry)
    // A retry no longer there was forgotten meanwhile (destroyed).
    if ((retry && !pending.delete(retry)) || pending.size) return
    retries.succeeded()
    store.patch({ connectivity: 'online' })
  }

  /**
   * Sends `call` until the server answers it: now, or after backoff from `failure` (the attempt that
   * failed); `refusals`: how many attempts so far were refused for another reason than the server's absence;
   * `sessionId`: the session it ends, if one.
   */
  const keep = (call: SignOutCall, failure?: SessionKitError, refusals = 0, sessionId?: string) => {
    if (closed) return
    const retry = () => {
      const attempt = link.request(call, anyAnswer).then(
        () => heard(retry),
        (error) => {
          const e = toSessionKitError(error)
          if (!pending.has(retry)) return
          const action = judge(e)
          // Unreachable: again, until it hears it. Refused: again a few times (a captive portal's page goes
          // once the user signs in to it); a refusal that lasts, or the answer that it is over: done.
          if (action === 'retry' || (action !== 'sign-out' && ++refusals < MAX_REFUSED_ATTEMPTS)) retries.schedule(retry, e.retryAfterMs)
          else heard(retry)
        },
      )
      pending.set(retry, attempt)
    }
    pending.set(retry, undefined)
    if (sessionId) ending.set(retry, sessionId)
    if (failure) retries.schedule(retry, failure.retryAfterMs)
    else retry()
  }

  return {
    /** Tells the server that `sessionId` is over by `call`, now and until it hears it: nobody awaits it (the deadline's sign-out). */
    send(call: SignOutCall, sessionId: string): void {
      told.add(sessionId)
      keep(call, undefined, 0, sessionId)
    },

    /** Whether a sign-out of `sessionId` (by `send`) waits for the server to hear it. */
    waits: (sessionId: string) => [...ending.values()].includes(sessionId),

    told,

    /**
     * The caller's own attempt at a sign-out failed with `error`: unless the
     * server answered that the session is over, `calls` are sent until it
     * does. Returns whether that is all (the server could not be reached, or
     * answered so); false when the caller should report `error` too.
     */
    failed(calls: SignOutCall[], error: unknown): boolean {
      // Destroyed meanwhile: a destroyed client does nothing, and has nothing to report.
      if (closed) return true
      const e = toSessionKitError(error)
      const action = judge(e)
      if (action === 'sign-out') heard()
      else for (const call of calls) keep(call, e, action === 'retry' ? 0 : 1)
      return action === 'sign-out' || action === 'retry'
    },

    /** Sends every sign-out waiting for its turn now (the tab woke, the server answered); returns how many (not those already on their way). */
    flush: retries.flush,

    /** Runs `next` once each waiting sign-out has been tried once more (at once when none waits): a load then no longer finds them. */
    settle: <T>(next: () => Promise<T>): Promise<T> => (pending.size ? (retries.flush(), Promise.all(pending.values())).then(next) : next()),

    /** Forgets every waiting sign-out, and sends or keeps none again (the client is destroyed). */
    clear(): void {
      closed = true
      retries.clear()
      pending.clear()
      ending.clear()
    },
  }
}
