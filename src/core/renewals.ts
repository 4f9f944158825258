import type { ActivityTracker } from './activity'
import type { TimerHandle } from './clock'
import type { DeadlineTimeline } from './deadline'
import type { SessionKitError } from './errors'
import { isConnectivityError, isSignOutError } from './failurePolicy'
import type { ResolvedOptions } from './options'
import type { ServerLink } from './serverLink'
import type { SessionVersion } from './stateOrder'
import type { SessionStore } from './store'
import type { TabSync } from './tabs/tabSync'
import { parseSessionResource } from './validate'

/** What renewing the session reaches (sessionState.ts gives its own parts). */
export interface RenewalParts {
  store: SessionStore
  link: ServerLink
  timeline: DeadlineTimeline
  activity: ActivityTracker
  tabs: TabSync | null
  /** Whether this tab touches the server for all tabs. */
  leads: () => boolean
  /** The session state's: re-derives deadline and phase. */
  reconcile: () => void
  /** The session state's: applies the session a touch answers. */
  applySession: (version: SessionVersion) => void
  /** The session state's: acts on a failed touch (the failure policy). */
  fail: (error: unknown, retry: () => void) => SessionKitError
}

/**
 * Renewing the session: input moves the idle deadline and, in the leading
 * tab, touches the server on its schedule; "Stay signed in" touches at once
 * and is done only when the server confirms the new deadline. Minting a
 * token never comes through here: it is not activity.
 *
 * The touch schedule: at most one touch per interval while the user is active
 * here or in another tab, never while the warning shows — leading (the first
 * input after a quiet interval touches at once) and trailing (input inside an
 * interval is reported when it ends) — so the server's inactivity deadline
 * follows real input without a request per event.
 */
export type Renewals = ReturnType<typeof createRenewals>

export function createRenewals(
  // `touchInterval`: null = a tenth of the server's inactivity timeout, from 5 s to 60 s.
  { clock, adapter, touchInterval }: ResolvedOptions,
  { store: { getState, patch }, link, timeline, activity, tabs, leads, reconcile, applySession, fail }: RenewalParts,
) {
  /**
   * Signed in and no warning due: input renews the session. Derived from the clock, not the
   * stored phase: after a sleep, or in a hidden tab whose timer was throttled, input can come
   * before anything re-derived the phase, and must not renew a session whose deadline passed.
   */
  const renewing = () => {
    const { status, session } = getState()
    return status === 'signed-in' && !!session && timeline.derive(session, clock.now()).phase === 'active'
  }
  let lastSentAt = -Infinity
  /** The latest real input that renewed, here or in another tab (not a page opening, not a hello reply's idle base). */
  let inputAt = -Infinity
  let trailing: TimerHandle | undefined
  let inFlight: Promise<void> | null = null

  /** Drops a pending trailing touch. */
  const cancel = () => {
    clock.clearTimeout(trailing)
    trailing = undefined
  }
  /**
   * A new session, last renewed on the server at `lastTouchedAt` (client
   * time): the interval counts from there, so input right after a sign-in
   * does not touch again, while input on a page reopened later does.
   */
  const reset = (lastTouchedAt: number) => {
    cancel()
    lastSentAt = lastTouchedAt
  }
  /** Touches now ("Stay signed in", a retry); shares a touch already on its way. */
  const touchNow = () => {
    if (!inFlight) {
      reset(clock.now())
      inFlight = send().finally(() => {
        inFlight = null
      })
    }
    return inFlight
  }
  // A touch nobody awaits (the schedule's, a retry: with backoff, and at once on `online`
  // while the server cannot be reached): `send` acts on its own failure and rethrows for whoever awaits.
  const touchQuietly = () => void touchNow().catch(() => undefined)

  /** The user gave input, in this tab or another, while renewing: touch now or at the end of the interval. */
  function onActivity(): void {
    const inactivity = getState().policy?.inactivityTimeoutMs
    // At most a minute apart, so a session revoked elsewhere is noticed within a minute of use.
    const every = touchInterval ?? (inactivity ? Math.min(60_000, Math.max(5_000, inactivity / 10)) : null)
    if (every === null || trailing !== undefined) return
    const wait = lastSentAt + every - clock.now()
    if (wait <= 0) return touchQuietly()
    trailing = clock.setTimeout(() => {
      trailing = undefined
      if (Math.max(activity.lastActivityAt, timeline.remoteInputAt) > lastSentAt && renewing()) touchQuietly()
    }, wait)
  }

  /** One touch to the server (the schedule decides when). */
  function send(): Promise<void> {
    const sessionId = getState().session?.id
    if (!sessionId) return Promise.resolve()
    // Two handlers, not one try/catch: only a failed request goes through the failure
    // policy, never an exception thrown while applying the answer (an app's listener, say).
    return link.ask(() => adapter.touchSession(sessionId), parseSessionResource).then(
      (session) => {
        applySession(session)
        // The server confirmed the new deadline: only now is "Stay signed in" done.
        patch({ renewal: 'idle' })
      },
      (error) => {
        const e = fail(error, touchQuietly)
        // A refusal (a captive portal's page, a 403) is not retried: "Stay signed in" says it failed
        // and may be pressed again. A sign-out answer ends the session, and the renewal with it.
        if (getState().renewal !== 'idle') patch({ renewal: isSignOutError(e) ? 'idle' : isConnectivityError(e) ? 'retrying' : 'failed' })
        throw e
      },
    )
  }

  return {
    /**
     * Input in this tab (`local`, at most once per throttle window) or another.
     * While the warning shows, only an explicit "Stay signed in" renews. `idleBase`: no input, a hello
     * reply's idle base (when the user last counted as active there, maybe only the time a tab opened).
     */
    onInput(at: number, local = false, idleBase = false): void {
      const canRenew = renewing()
      // Input that cannot renew here (the warning shows) is no news: the other tabs would take it as renewing.
      if (local && canRenew) tabs?.post({ type: 'activity', at })
      // Not renewing: the warning or the end may be due by now (the stored phase is stale after a sleep).
      if (!canRenew) reconcile()
      if (local) {
        if (timeline.input(at, canRenew)) reconcile()
      } else {
        // Older news than this tab has: nothing to do.
        if (!timeline.remoteInput(at, canRenew)) return
        if (canRenew) reconcile()
      }
      if (!canRenew || idleBase) return
      // Input this tab knows already (its own, replayed by a tab that took the lead while this one still
      // led) was reported: touching for it again would move an idle user's deadline.
      const known = !local && at <= inputAt
      inputAt = Math.max(inputAt, at)
      if (leads() && !known) onActivity()
    },

    /** "Stay signed in": the user is here now, whatever the server says next; renews at the server at once. */
    async stay(): Promise<void> {
      if (getState().status !== 'signed-in') return
      const now = clock.now()
      timeline.stay(now)
      activity.record()
      tabs?.post({ type: 'stay', at: now })
      patch({ renewal: 'pending' })
      reconcile()
      await touchNow()
    },

    /**
     * This tab leads now, or no longer. Taking over from a leader that closed: input it had not reported yet
     * (its trailing touch was still to come), or input here it never heard, is reported on the schedule; else
     * the warning and the server's deadline would come up to a touch interval early. The touches the old
     * leader sent arrived here as session news: the last one the server applied counts as sent. Only real
     * input counts: a tab opening is none, else every takeover by a newer tab would keep an idle user signed in.
     */
    leadershipChanged(isLeader: boolean): void {
      patch({ isLeader })
      const session = getState().session
      if (!isLeader || !session || !renewing()) return
      lastSentAt = Math.max(lastSentAt, session.lastActiveAt)
      if (inputAt > lastSentAt) onActivity()
    },

    /** The touch on its way, if any: a deadline waits for its answer (expiryCheck.ts). */
    touching: () => inFlight,
    /** The latest real input that renewed, here or in another tab (-Infinity: none): a hello reply tells it. */
    inputAt: () => inputAt,
    reset,
    cancel,
  }
}
