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

/**
 * Sign-outs the server could not be told about (offline, 5xx, 429): the
 * session ended here at once, but until the server hears it, a reload, or the
 * next person at a shared computer, would find it still signed in. Each is
 * sent again with backoff (Retry-After honoured), and at once when the tab
 * wakes or another request gets through, until the server answers: done, or
 * a definite answer that the session is over already. Meanwhile connectivity
 * stays offline or degraded; once none waits, it is online again. Kept in
 * memory in the tab that signed out only (no storage: a tab closed during the
 * outage forgets them), through the local sign-out; after `clear`
 * (destroyed) nothing is sent or kept again.
 */
export function createPendingSignOuts(clock: Clock, link: ServerLink, store: SessionStore) {
  const retries = createRetryQueue(clock)
  /** Each waiting sign-out's retry, with its attempt in flight (none yet while it waits for its first turn). */
  const pending = new Map<() => void, Promise<void> | undefined>()

  /** Set by `clear` (destroyed): nothing is sent, kept or written again. */
  let closed = false

  /**
   * Judges failure `e` of a sign-out. Anything but the server's definite answer that the session is
   * over leaves it unheard, and the client offline or degraded: a captive portal's page, say, told
   * the server nothing.
   */
  const judge = (e: SessionKitError): FailureVerdict['action'] => {
    const verdict = judgeFailure(e, null, clock.now())
    if (verdict.action !== 'sign-out') store.patch({ connectivity: verdict.action === 'retry' ? verdict.connectivity : 'degraded' })
    return verdict.action
  }

  /** The server answered (`retry`'s sign-out, if any): with none left waiting, requests may flow again. */
  const heard = (retry?: () => void) => {
    // A retry no longer there was forgotten meanwhile (destroyed).
    if ((retry && !pending.delete(retry)) || pending.size) return
    retries.succeeded()
    store.patch({ connectivity: 'online' })
  }

  /** Sends `call` until the server answers it: now, or after backoff from `failure` (the attempt that failed). */
  const keep = (call: SignOutCall, failure?: SessionKitError) => {
    if (closed) return
    const retry = () => {
      const attempt = link.request(call, anyAnswer).then(
        () => heard(retry),
        (error) => {
          const e = toSessionKitError(error)
          if (!pending.has(retry)) return
          if (judge(e) === 'sign-out') heard(retry)
          else retries.schedule(retry, e.retryAfterMs)
        },
      )
      pending.set(retry, attempt)
    }
    pending.set(retry, undefined)
    if (failure) retries.schedule(retry, failure.retryAfterMs)
    else retry()
  }

  return {
    /** Tells the server that a session is over, now (or after backoff from a `failure`) and until it hears it: nobody awaits it (the deadline's sign-out). */
    send: keep,

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
      else for (const call of calls) keep(call, e)
      return action === 'sign-out' || action === 'retry'
    },

    /** Sends every waiting sign-out now (the tab woke, the server answered); returns how many are not heard yet. */
    flush(): number {
      retries.flush()
      return pending.size
    },

    /** Runs `next` once each waiting sign-out has been tried once more (at once when none waits): a load then no longer finds them. */
    settle: <T>(next: () => Promise<T>): Promise<T> => (pending.size ? (retries.flush(), Promise.all(pending.values())).then(next) : next()),

    /** Forgets every waiting sign-out, and sends or keeps none again (the client is destroyed). */
    clear(): void {
      closed = true
      retries.clear()
      pending.clear()
    },
  }
}
