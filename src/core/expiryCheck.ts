import type { EndSessionParams } from './adapter'
import { awaitAtMost } from './beforeSignOut'
import type { Deadline, DeadlineTimeline } from './deadline'
import { isConnectivityError, isSignOutError } from './failurePolicy'
import type { ResolvedOptions } from './options'
import type { PendingSignOuts } from './pendingSignOut'
import type { ServerLink } from './serverLink'
import type { ClientAnswer, StateOrder } from './stateOrder'
import type { SessionStore } from './store'
import type { TabSync } from './tabs/tabSync'
import { parseClientResource } from './validate'

/** How long a renewable deadline waits at most for the server's word before signing out here (ms). */
export const EXPIRY_CHECK_TIMEOUT_MS = 5_000

/**
 * How far a checked deadline must move to carry the session on (ms): less is
 * the skew estimate moving between answers (a few ms), not a renewal, and a
 * fresh countdown for it would only ask the server again.
 */
const DEADLINE_MOVED_MS = 1_000

/** What the check at a deadline reaches (sessionState.ts gives its own parts). */
export interface ExpiryCheckParts {
  store: SessionStore
  link: ServerLink
  timeline: DeadlineTimeline
  tabs: TabSync | null
  /** The touch on its way ("Stay signed in", the schedule's), if any. */
  touching: () => Promise<void> | null
  /** The load of the client on its way, if any: the check waits for its answer rather than ask again. */
  loading?: () => Promise<void> | null
  /** The session state's: applies the client the server answers. */
  applyClient: (answer: ClientAnswer) => void
  /** The session state's: acts on a failed request (the failure policy). */
  fail: (error: unknown) => unknown
  /** The session state's: re-derives deadline and phase. */
  reconcile: () => void
  /** The session state's: ends the session for a reason (after `beforeSignOut`); resolves whether this tab signed it out first. */
  end: (reason: Deadline['reason']) => Promise<boolean>
  /** Sign-outs the server has not heard yet. */
  signOuts: PendingSignOuts
  /** The session versions held, as the server sent them (server time). */
  order: StateOrder
}

/**
 * Whether the time is really up at a renewable deadline. A "Stay signed in"
 * on its way may have renewed the session just in time: its answer is waited
 * for. A tab that cannot hear the others (no tab sync) does not know their
 * activity, so it asks the server: a later deadline there (another tab
 * touched it) is applied, and its later activity counts as input in another
 * tab, so the idle deadline moves too. So does a tab that heard of a "Stay
 * signed in" elsewhere but not of its answer (that tab may have closed
 * first), while it listens for the news. Each waits at most
 * `EXPIRY_CHECK_TIMEOUT_MS`, the warning showing 0:00 meanwhile; with no
 * answer (offline), or no later deadline, the time is up here as before.
 * The maximum lifetime is never checked: nothing can move it.
 */
export function createExpiryCheck({ adapter, clock, warnBefore }: ResolvedOptions, parts: ExpiryCheckParts) {
  const { store: { getState, patch, subscribe }, link, timeline, tabs, touching, loading, applyClient, fail, reconcile, end, signOuts, order } = parts
  /** The check under way: once over or `cancel`led, its answer and its end do nothing. */
  let checking: Promise<void> | null = null
  /** The deadline checked last: still standing once checked (or moved less than `DEADLINE_MOVED_MS`), it ends the session. */
  let checkedAt = -Infinity

  /**
   * The session's last activity as the server recorded it, unconverted: an unchanged one is the same
   * number in every answer, while converted to this tab's clock it moves with each new skew estimate.
   */
  const lastActiveOnServer = (sessionId: string) => order.sessions.get(sessionId)?.data.lastActiveAt ?? -Infinity

  /**
   * Asks the server for the client and applies its answer while `current` (the failure policy judges a failure).
   * `waitOnNetworkError`: a network error is no answer, and the promise never resolves (the check's bound ends it).
   */
  const askServer = (sessionId: string, current: () => boolean, waitOnNetworkError?: boolean) =>
    link.ask(() => adapter.getClient(), parseClientResource).then(
      (answer) => {
        const status = answer.data.sessions.find((s) => s.id === sessionId)?.status
        // Over for time there too (or gone: a backend that lists live sessions only): the deadline's
        // own sign-out follows, with its reason, and tells the server as it always did.
        const overForTime = !status || status === 'expired' || status === 'abandoned'
        if (current() && !overForTime) applyClient(answer)
      },
      (error) => {
        // "No session" (a 401, not found) at the deadline is the deadline's own end too.
        if (current() && !isSignOutError(error)) fail(error)
        if (waitOnNetworkError && isConnectivityError(error)) return new Promise<void>(() => undefined)
      },
    )

  /** Tells the server that `sessionId` is over for `reason`, until it hears it (or answers that it is over already). */
  const tell = (sessionId: string, reason: EndSessionParams['reason'], shareFailure?: boolean) =>
    signOuts.send(() =>
      adapter.endSession(sessionId, { reason }).catch((error: unknown) => {
        // Not heard (offline, a 5xx): should this tab close before the server hears it, the other tabs tell it. Not
        // for a refusal or an answer that it is over: the server is there (and knows), the other tabs need not call.
        if (shareFailure && isConnectivityError(error)) tabs?.post({ type: 'signed-out', at: clock.now(), reason, sessionId, unheard: true })
        shareFailure = false
        throw error
      }),
      sessionId,
    )

  /**
   * The time is up: sign out here, and tell the server; unless another tab signed the session out first (its
   * news came while beforeSignOut ran here): that tab tells the server, and this one only if it says it could not.
   */
  const expire = (reason: Deadline['reason']) => {
    const sessionId = getState().session?.id
    void end(reason).then((first) => first && sessionId && tell(sessionId, reason, true))
  }

  return {
    /** The active session's `deadline` passed: check it once, then (or at once) the time is up. */
    reached(deadline: Deadline): void {
      if (checking) return
      const touch = touching()
      // Another tab's "Stay signed in" since the warning opened (or just before): its touch renewed the session, or is on
      // its way there. Its answer comes as news, unless that tab closed first: then only the server can say.
      const stayedElsewhere = !touch && !!tabs && timeline.remoteStayAt > deadline.at - Math.max(warnBefore, EXPIRY_CHECK_TIMEOUT_MS)
      const checkedAgain = Math.abs(deadline.at - checkedAt) < DEADLINE_MOVED_MS
      // With tab sync and no renewal on its way, the other tabs' activity is known here already.
      if (deadline.reason === 'max-lifetime' || checkedAgain || (!touch && !stayedElsewhere && tabs)) return expire(deadline.reason)
      checkedAt = deadline.at
      const before = getState().session!
      const lastActiveBefore = lastActiveOnServer(before.id)
      /** Whether this check is still wanted: not over, not cancelled (signed out, destroyed), the session still the one checked. */
      const current = (): boolean => checking === check && getState().session?.id === before.id
      // Not signed out before it is decided: the warning stays, at its deadline (0:00).
      patch({ phase: 'warning', deadline: deadline.at, deadlineReason: deadline.reason, renewable: true })
      /** Stops listening for the news of another tab's renewal. */
      let stopNews: () => void = () => undefined
      const news = () =>
        new Promise<void>((resolve) => {
          stopNews = subscribe((state, previous) => {
            if (state.session !== previous.session) resolve()
          })
        })
      // After a stay elsewhere a network error ends nothing: the news may still come, until the bound.
      const ask = () => (stayedElsewhere ? Promise.race([news(), askServer(before.id, current, true)]) : (loading?.() ?? askServer(before.id, current)))
      // A "Stay signed in" clicked meanwhile is waited for too.
      const answered = (touch ?? ask()).then(touching)
      const done = () => {
        stopNews()
        if (checking !== check) return
        checking = null
        const after = getState().session
        // The server's later activity (in its own time), not this tab's own touch: input in another tab.
        if (!touch && after?.id === before.id && lastActiveOnServer(before.id) > lastActiveBefore) timeline.remoteInput(after.lastActiveAt, true)
        reconcile()
      }
      const check = (checking = awaitAtMost(answered, clock, EXPIRY_CHECK_TIMEOUT_MS).then(done, done))
    },

    /** Re-derives the phase, and waits while a deadline that passed is checked: then it is decided whether the time is up. */
    async settle(): Promise<void> {
      reconcile()
      await checking
    },

    /** Another tab that signed `sessionId` out could not tell the server (or closed first): this tab tells it too. */
    tell: (sessionId: string, reason: EndSessionParams['reason']) => tell(sessionId, reason),

    /** Forgets the check under way (signed out, destroyed). */
    cancel(): void {
      checking = null
    },
  }
}
