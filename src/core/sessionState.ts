import type { ActivityTracker } from './activity'
import type { AdapterResponse, EndSessionParams } from './adapter'
import { createEnding } from './beforeSignOut'
import { scheduleAt, type Clock } from './clock'
import type { DeadlineTimeline } from './deadline'
import { createExpiryCheck, type ExpiryCheckParts } from './expiryCheck'
import type { ResolvedOptions } from './options'
import { toSessionKitError, type SessionKitError } from './errors'
import { judgeFailure } from './failurePolicy'
import type { ClientResource, SessionResource } from './resources'
import { createPendingSignOuts } from './pendingSignOut'
import { createRenewals } from './renewals'
import { createRetryQueue } from './retryQueue'
import type { ServerLink } from './serverLink'
import { createStateOrder, type ClientAnswer, type SessionVersion } from './stateOrder'
import { ENDED_STATUS, activeSessionOf, byUser, endedReasonFor, sameUser, shiftSession, signOutReasonFor, toClientSession, withSession, type SessionStore } from './store'
import type { TabSync } from './tabs/tabSync'
import type { TokenCache } from './tokenCache'
import type { WakeKind } from './wakeEvents'
import type { ClientSnapshot, SignOutReason } from './types'

/** How far the skew estimate must move before converted session times follow it (ms). */
const SKEW_FOLLOW_THRESHOLD_MS = 250

/** A server snapshot older than this is checked with the server on mount (ms). */
export const SNAPSHOT_MAX_AGE_MS = 60_000

/** An adapter call that answers the whole client. */
export type ClientCall = () => Promise<AdapterResponse<ClientResource>>

/** A tab that comes back into view asks the server at most this often whether its session still stands (ms). */
export const WAKE_CHECK_INTERVAL_MS = 30_000

/** What the server is told of a session that ended here: the deadline's reason, else a sign-out. */
const toldReason = (reason: SignOutReason | null): EndSessionParams['reason'] => (reason === 'inactivity' || reason === 'idle' || reason === 'max-lifetime' ? reason : 'signed-out')

/** What the session state writes to or stops (the rest comes from the client's options). */
export interface SessionStateParts extends Pick<ExpiryCheckParts, 'loading'> {
  store: SessionStore
  link: ServerLink
  timeline: DeadlineTimeline
  tokens: TokenCache
  activity: ActivityTracker
  tabs: TabSync | null
  /** Whether this tab touches the server for all. */
  leads: () => boolean
}

/**
 * What this tab knows of the client and its sessions, and the one place that
 * changes it: server answers (this tab's or another's) come in here, in
 * client time, and the deadline timer re-derives the phase from the clock.
 * Signing out, for whatever reason, also goes through here.
 */
export type SessionState = ReturnType<typeof createSessionState>

export function createSessionState(options: ResolvedOptions, parts: SessionStateParts) {
  const { store, link, timeline, tokens, tabs } = parts
  const { clock } = options
  const { getState, patch } = store
  /** Requests that failed for lack of a server, waiting to be tried again. */
  const retries = createRetryQueue(clock)
  /** Sign-outs the server has not heard yet: unlike `retries`, they outlive the local sign-out. */
  const signOuts = createPendingSignOuts(clock, link, store)
  /** Stops the deadline timer: `scheduleAt`'s cancel, which may run again when the timer is done. */
  let stopTimer: () => void = () => undefined
  /** The skew the sessions in the store were converted with. */
  let skewApplied = 0
  /** Set while starting from a server snapshot: nothing ends then (no server call, no hook during a server render). */
  let starting = false
  /** The snapshot's session was past its deadline. */
  let expiredAtStart = false
  /** When a focus or visibility check last asked the server. */
  let checkedAt = -Infinity
  /** Which server state is newer, and the newest of each (stateOrder.ts). */
  const order = createStateOrder()
  /** When this tab last applied server state, on its clock: orders client news from tabs of older versions (no stamp). */
  let stateAt = -Infinity
  /** Sessions that ended: news about them from a slower tab never brings them back. */
  const endedSessions = new Set<string>()
  /** Set by `destroy`: an answer that lands later (a touch, a load, a command) applies nothing and arms no timer. */
  let destroyed = false
  const activeId = () => getState().session?.id
  /** Signing out at a deadline or on a remote sign-out, after `beforeSignOut`. */
  const ending = createEnding(options, { store, endedSessions, signOut, reconcile })
  const { end } = ending

  /** Ends the local session at once: tokens dropped, timers stopped, state signed out. */
  function signOut(reason: SignOutReason | null, share = true): void {
    const { session, sessions } = getState()
    if (session) {
      endedSessions.add(session.id)
      // The user's own sign-out here: this tab tells the server itself (client.ts), until heard or refused.
      if (share && reason === 'signed-out') signOuts.told.add(session.id)
      if (share && reason) tabs?.post({ type: 'signed-out', at: clock.now(), reason, sessionId: session.id })
    }
    tokens.clear()
    stop()
    const status = (reason && ENDED_STATUS[reason]) || 'ended'
    // The user's own sign-out, or no session to begin with, is not an expiry.
    patch({
      status: 'signed-out', session: null, user: null, deadline: null, deadlineReason: null, renewable: false, renewal: 'idle',
      sessions: session ? sessions.map((s) => (s.id === session.id ? { ...s, status } : s)) : sessions,
      phase: byUser(reason) ? 'active' : 'expired',
      signOutReason: reason,
    })
  }

  /**
   * Replaces what we know of the client with the server's answer unless newer state came first
   * (`ownAction`: this tab asked for the change); each session as its newest version says. Its
   * own answers (not news) it tells the other tabs, with their stamp.
   */
  function applyClient(answer: ClientAnswer, ownAction = false, fromTab = false): void {
    const { data: resource, sentAt, serverNow, number, unstamped } = answer
    const previous = getState()
    const now = clock.now()
    if (destroyed || !order.takesClient(answer, now, link.sent)) return
    stateAt = Math.max(stateAt, now)
    if (!fromTab) tabs?.post({ type: 'client', at: now, sentAt, serverNow, client: resource })
    skewApplied = link.skewMs
    order.keepOnly(resource)
    const sessions = resource.sessions.map((data) => {
      const version = order.newestOf({ data, serverNow, sentAt: unstamped ? undefined : sentAt, number }, now, link.sent)
      const session = toClientSession(version.data, skewApplied, version.serverNow)
      if (!endedSessions.has(data.id) || session.status !== 'active') return session
      // The server names active a session that ended here, and nobody here tells it (the tab that signed it out
      // closed first, or runs an older version): this tab does. Once heard, the server names it active no more.
      if (!fromTab && !signOuts.told.has(data.id)) expiry.tell(data.id, toldReason(previous.signOutReason))
      return { ...session, status: 'ended' as const }
    })
    const active = activeSessionOf(resource, sessions)
    const before = previous.session
    if (before && before.id !== active?.id) tokens.clear(before.id)
    if (!active) {
      patch({ sessions, policy: resource.policy })
      if (previous.status !== 'signed-out') {
        const ended = before && sessions.find((s) => s.id === before.id)
        void end(before && !ownAction ? endedReasonFor(ended, previous, now) : ownAction ? 'signed-out' : null, !fromTab)
      }
      return
    }
    if (before?.id !== active.id) {
      timeline.restart(now)
      renewals.reset(active.lastActiveAt)
    }
    patch({ status: 'signed-in', sessions, session: active, user: sameUser(previous.user, active.user), policy: resource.policy, signOutReason: null, error: null })
    reconcile()
  }

  /** Updates one session (a touch, a verification) when this version is not older than the one held. */
  function applySession(version: SessionVersion, fromTab = false): void {
    const { data: resource, serverNow, sentAt } = version
    if (destroyed || endedSessions.has(resource.id) || order.newestOf(version, clock.now(), link.sent) !== version) return
    stateAt = Math.max(stateAt, clock.now())
    if (!fromTab) tabs?.post({ type: 'session', at: stateAt, sentAt, serverNow, session: resource })
    const session = toClientSession(resource, link.skewMs, serverNow)
    const state = getState()
    const sessions = withSession(state.sessions, session)
    if (state.session?.id !== session.id) return patch({ sessions })
    if (session.status !== 'active') return void end(signOutReasonFor(session.status), !fromTab)
    patch({ sessions, session, user: sameUser(state.user, session.user) })
    reconcile()
  }

  /**
   * Re-derives deadline and phase from the clock, and arms a timer for the
   * next change. Called on every event that could matter, so a late timer or a
   * sleeping laptop can never leave a stale phase behind.
   */
  function reconcile(): void {
    stopTimer()
    const { status, session, renewal, phase: shown } = getState()
    // Ending (beforeSignOut runs): decided, nothing moves the deadline or closes the warning now.
    if (destroyed || status !== 'signed-in' || !session || ending.busy()) return
    const { deadline, phase, nextChangeAt } = timeline.derive(session, clock.now())
    if (phase === 'expired' && deadline) {
      if (starting) expiredAtStart = true
      else expiry.reached(deadline)
      return
    }
    // The warning closed (another tab's "Stay signed in"): a refusal shown in it is over too.
    const failureOver = renewal === 'failed' && phase === 'active' && shown !== 'active'
    patch({ deadline: deadline?.at ?? null, deadlineReason: deadline?.reason ?? null, renewable: deadline?.renewable ?? false, phase, ...(failureOver && { renewal: 'idle' }) })
    if (nextChangeAt !== null) stopTimer = scheduleAt(clock, nextChangeAt, reconcile)
  }

  /**
   * The server answered: whatever failed before is over. Session times are
   * converted once, with the skew known then; when a faster answer improves
   * the estimate by a quarter second or more, the sessions in the store move
   * by the difference and the deadline follows, so one slow first answer does
   * not leave an idle tab's warning late.
   */
  function answered(): void {
    if (destroyed) return
    retries.succeeded()
    // The server is reached, whatever sign-outs it has not heard yet: they go now (their failure says so again).
    patch({ connectivity: 'online', error: null })
    signOuts.flush()
    const shift = link.skewMs - skewApplied
    if (Math.abs(shift) < SKEW_FOLLOW_THRESHOLD_MS) return
    skewApplied += shift
    const state = getState()
    if (state.sessions.length === 0) return
    const sessions = state.sessions.map((session) => shiftSession(session, shift))
    patch({ sessions, session: state.session && (sessions.find((s) => s.id === state.session!.id) ?? null) })
    reconcile()
  }

  /** Acts on a failed request as the failure policy judges it; `retry` is queued when the verdict is to retry. Returns the error to throw. */
  function fail(error: unknown, retry?: () => void): SessionKitError {
    const e = toSessionKitError(error)
    if (destroyed) return e
    const { status, session } = getState()
    const verdict = judgeFailure(e, session, clock.now())
    if (verdict.action === 'sign-out') {
      if (status === 'signed-in') void end(verdict.reason)
      else if (status === 'loading') signOut(null)
    } else if (verdict.action === 'retry') {
      patch({ connectivity: verdict.connectivity, error: e })
      if (retry) retries.schedule(retry, e.retryAfterMs)
    } else {
      patch({ error: e })
      // Signed out only where nothing was known yet: no session ended, nothing to tell the other tabs.
      if (verdict.action === 'no-session' && status === 'loading') signOut(null, false)
    }
    return e
  }

  // Input, touches and "Stay signed in".
  const renewals = createRenewals(options, { ...parts, reconcile, applySession, fail })
  // Whether the time is really up at a deadline.
  const expiry = createExpiryCheck(options, { ...parts, touching: renewals.touching, applyClient, fail, reconcile, end, signOuts, order })

  /**
   * The tab woke up, came back online or into view: re-derive the phase from
   * the clock and retry what waits. Back online with nothing waiting, `reload`
   * asks the server once, so connectivity (and what changed meanwhile) is known.
   */
  function wake(kind: WakeKind, reload: () => void): void {
    if (kind === 'offline') return patch({ connectivity: 'offline' })
    reconcile()
    if (retries.flush() + signOuts.flush() > 0) return
    const state = getState()
    if (kind === 'online' && state.connectivity !== 'online') return reload()
    // Back to a tab that heard nothing from the server for a while: the session may have been
    // revoked or replaced on another device meanwhile. One cheap check, at most every 30 s.
    const now = clock.now()
    if ((kind === 'visible' || kind === 'focus') && state.status === 'signed-in' && now - Math.max(stateAt, checkedAt) >= WAKE_CHECK_INTERVAL_MS) {
      checkedAt = now
      reload()
    }
  }

  /** Stops every timer and a sign-out waiting for `beforeSignOut`, and drops every queued retry (signed out, destroyed) but the sign-outs the server has not heard yet. */
  function stop(): void {
    ending.cancel()
    retries.clear()
    renewals.cancel()
    expiry.cancel()
    stopTimer()
  }


  /**
   * Starts from the server's snapshot (null: signed out), before anything is mounted: the state a server render
   * shows, and the client's first render too. Nothing ends while starting (no server call, no hook during a server
   * render), and no timer is left armed (a server must keep none). Returns whether the snapshot is stale, taken over
   * a minute ago or its session already past its deadline, so the mount asks the server at once.
   */
  function startFrom(snapshot: ClientSnapshot | null): boolean {
    if (snapshot) {
      link.adoptSnapshot(snapshot.serverNow)
      starting = true
      // Sent before any request of the open tabs (0): their news is ordered against it by server time.
      applyClient({ data: snapshot.client, sentAt: 0, serverNow: snapshot.serverNow }, false, true)
      starting = false
      stopTimer()
    } else signOut(null, false)
    store.settleInitialState()
    return expiredAtStart || (!!snapshot && Math.abs(clock.now() - snapshot.serverNow) > SNAPSHOT_MAX_AGE_MS)
  }

  return {
    signOut, applyClient, applySession, startFrom, reconcile, answered, fail, wake, end, activeId, endedSessions, signOuts,
    /** Stops for good (the client is destroyed): as `stop`, and nothing that lands later is applied. */
    destroy() { destroyed = true; stop() },
    // Input and "Stay signed in" (the touch schedule stays the renewals' own), and a passed deadline's check.
    onInput: renewals.onInput, stay: () => (ending.busy() ? Promise.resolve() : renewals.stay()), leadershipChanged: renewals.leadershipChanged, inputAt: renewals.inputAt, settleDeadline: expiry.settle, tellEnded: expiry.tell,
    get stateAt() { return stateAt },
    order,
  }
}
