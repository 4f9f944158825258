import type { AdapterResponse, SessionAdapter } from './adapter'
import { runBeforeSignOut } from './beforeSignOut'
import { scheduleAt, type Clock } from './clock'
import type { DeadlineReason, DeadlineTimeline } from './deadline'
import { toSessionKitError, type SessionKitError } from './errors'
import { isConnectivityError, isSignOutError, judgeFailure } from './failurePolicy'
import type { ClientResource, SessionResource } from './resources'
import type { RetryQueue } from './retryQueue'
import type { ServerLink } from './serverLink'
import { activeSessionOf, sameUser, shiftSession, signOutReasonFor, toClientSession, type SessionStore } from './store'
import type { TabSync } from './tabs/tabSync'
import type { TokenCache } from './tokenCache'
import type { TouchScheduler } from './touchScheduler'
import type { BeforeSignOut, SignOutReason } from './types'
import { parseClientResource } from './validate'
import type { WakeKind } from './wakeEvents'

/** How far the skew estimate must move before converted session times follow it (ms). */
const SKEW_FOLLOW_THRESHOLD_MS = 250


/** A tab that comes back into view asks the server at most this often whether its session still stands (ms). */
export const WAKE_CHECK_INTERVAL_MS = 30_000

/** What the session state writes to or stops. */
export interface SessionStateParts {
  store: SessionStore
  clock: Clock
  adapter: SessionAdapter
  link: ServerLink
  timeline: DeadlineTimeline
  tokens: TokenCache
  retries: RetryQueue
  touches: TouchScheduler
  tabs: TabSync | null
  /** Whether this tab leads (runs `beforeSignOut` for all). */
  leads: () => boolean
  /** The app's last chance to save work before a deadline or a remote sign-out ends the session. */
  beforeSignOut: BeforeSignOut | null
  /** How long `beforeSignOut` may hold the sign-out back (ms). */
  beforeSignOutTimeout: number
}

/**
 * What this tab knows of the client and its sessions, and the one place that
 * changes it: server answers (this tab's or another's) come in here, in
 * client time, and the deadline timer re-derives the phase from the clock.
 * Signing out, for whatever reason, also goes through here.
 */
export class SessionState {
  readonly #deps: SessionStateParts
  #cancelTimer: (() => void) | null = null
  /** The skew the sessions in the store were converted with. */
  #skewApplied = 0
  /** Set while starting from a server snapshot: nothing ends then (no server call, no hook during a server render). */
  starting = false
  /** A sign-out waiting for `beforeSignOut`: later reasons to end join it. */
  #ending: Promise<void> | null = null
  /** When a focus or visibility check last asked the server. */
  #checkedAt = -Infinity
  /** When the newest server state this tab applied was current (own answers and other tabs' news). */
  stateAt = -Infinity
  /** The latest client resource, in server time, to hand to a tab that opens. */
  lastClientResource: ClientResource | null = null
  /** Sessions that ended: news about them from a slower tab never brings them back. */
  readonly endedSessions = new Set<string>()

  constructor(parts: SessionStateParts) {
    this.#deps = parts
  }

  /** Ends the local session at once: tokens dropped, timers stopped, state signed out. */
  signOut(reason: SignOutReason | null, share = true): void {
    const { store, clock, tabs, tokens, retries, touches } = this.#deps
    const { session, sessions } = store.getState()
    if (session) {
      this.endedSessions.add(session.id)
      if (share && reason) tabs?.post({ type: 'signed-out', at: clock.now(), reason, sessionId: session.id })
    }
    tokens.clear()
    retries.clear()
    touches.cancel()
    this.stopTimer()
    const endedStatus = reason === 'max-lifetime' ? 'abandoned' : reason === 'inactivity' || reason === 'idle' ? 'expired' : reason === 'replaced' ? 'replaced' : 'ended'
    store.patch({
      status: 'signed-out',
      session: null,
      user: null,
      sessions: session ? sessions.map((s) => (s.id === session.id ? { ...s, status: endedStatus } : s)) : sessions,
      deadline: null,
      deadlineReason: null,
      renewable: false,
      renewal: 'idle',
      phase: reason === null || reason === 'signed-out' ? 'active' : 'expired',
      signOutReason: reason,
    })
  }

  /** Replaces what we know of the client with the server's answer (`ownAction`: this tab asked for the change). */
  applyClient(resource: ClientResource, ownAction = false, fromTab = false): void {
    const { store, clock, tabs, tokens, timeline, touches, link } = this.#deps
    const previous = store.getState()
    const now = clock.now()
    this.stateAt = Math.max(this.stateAt, now)
    this.lastClientResource = resource
    this.#skewApplied = link.skewMs
    if (!fromTab) tabs?.post({ type: 'client', at: now, client: resource })
    const sessions = resource.sessions
      .map((s) => toClientSession(s, link.skewMs, now))
      .map((s) => (this.endedSessions.has(s.id) && s.status === 'active' ? { ...s, status: 'ended' as const } : s))
    const active = activeSessionOf(resource, sessions)
    if (previous.session && previous.session.id !== active?.id) tokens.clear(previous.session.id)
    if (!active) {
      store.patch({ sessions, policy: resource.policy })
      if (previous.status !== 'signed-out') {
        const before = previous.session && sessions.find((s) => s.id === previous.session?.id)
        void this.end(previous.session && !ownAction ? signOutReasonFor(before?.status) : ownAction ? 'signed-out' : null, !fromTab)
      }
      return
    }
    if (previous.session?.id !== active.id) {
      timeline.restart(now)
      touches.reset(active.lastActiveAt)
    }
    store.patch({
      status: 'signed-in',
      sessions,
      session: active,
      user: sameUser(previous.user, active.user),
      policy: resource.policy,
      signOutReason: null,
      error: null,
    })
    this.reconcile()
  }

  /** Updates one session after a touch or a verification. */
  applySession(resource: SessionResource, fromTab = false): void {
    const { store, clock, tabs, link } = this.#deps
    if (this.endedSessions.has(resource.id)) return
    this.stateAt = Math.max(this.stateAt, clock.now())
    if (!fromTab) tabs?.post({ type: 'session', at: clock.now(), session: resource })
    const session = toClientSession(resource, link.skewMs, clock.now())
    const state = store.getState()
    const sessions = state.sessions.map((s) => (s.id === session.id ? session : s))
    if (state.session?.id !== session.id) return store.patch({ sessions })
    if (session.status !== 'active') return void this.end(signOutReasonFor(session.status), !fromTab)
    store.patch({ sessions, session, user: sameUser(state.user, session.user) })
    this.reconcile()
  }

  /**
   * Re-derives deadline and phase from the clock, and arms a timer for the
   * next change. Called on every event that could matter, so a late timer or a
   * sleeping laptop can never leave a stale phase behind.
   */
  readonly reconcile = (): void => {
    const { store, clock, timeline } = this.#deps
    this.stopTimer()
    const state = store.getState()
    if (state.status !== 'signed-in' || !state.session) return
    const { deadline, phase, nextChangeAt } = timeline.derive(state.session, clock.now())
    if (phase === 'expired' && deadline) return this.starting ? undefined : this.#expire(deadline.reason)
    store.patch({
      deadline: deadline?.at ?? null,
      deadlineReason: deadline?.reason ?? null,
      renewable: deadline?.renewable ?? false,
      phase,
    })
    if (nextChangeAt !== null) this.#cancelTimer = scheduleAt(clock, nextChangeAt, this.reconcile)
  }

  /**
   * Session times are converted once, with the skew known then. When a
   * faster answer improves the estimate by a quarter second or more, the
   * sessions in the store move by the difference and the deadline follows,
   * so one slow first answer does not leave an idle tab's warning late.
   */
  followSkew(): void {
    const { store, link } = this.#deps
    const shift = link.skewMs - this.#skewApplied
    if (Math.abs(shift) < SKEW_FOLLOW_THRESHOLD_MS) return
    this.#skewApplied = link.skewMs
    const state = store.getState()
    if (state.sessions.length === 0) return
    const sessions = state.sessions.map((session) => shiftSession(session, shift))
    store.patch({ sessions, session: state.session && (sessions.find((s) => s.id === state.session!.id) ?? null) })
    this.reconcile()
  }

  /**
   * The user asked to leave `sessionId` (none: every session): leave here at
   * once, then `tell` the server; a server that cannot be told changes nothing.
   */
  async leave(sessionId: string | undefined, tell: (() => Promise<AdapterResponse<ClientResource>>) | null): Promise<void> {
    const { store, tokens, link } = this.#deps
    if (!sessionId || sessionId === store.getState().session?.id) this.signOut('signed-out')
    else tokens.clear(sessionId)
    if (!tell) return
    try {
      this.applyClient(await link.request(tell, parseClientResource), true)
    } catch (error) {
      if (!isConnectivityError(error) && !isSignOutError(error)) throw this.fail(error)
    }
  }

  /** Acts on a failure as the failure policy (failurePolicy.ts) judges it; `retry` is queued when it says retry. */
  fail(error: unknown, retry?: () => void): SessionKitError {
    const { store, clock, retries } = this.#deps
    const e = toSessionKitError(error)
    const state = store.getState()
    const verdict = judgeFailure(e, state.session, clock.now())
    if (verdict.action === 'sign-out') {
      if (state.status === 'signed-in') void this.end(verdict.reason)
      else if (state.status === 'loading') this.signOut(null)
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
  async failAbout(sessionId: string | null | undefined, error: unknown, reload: () => Promise<void>): Promise<SessionKitError> {
    if (isSignOutError(error) && sessionId && sessionId !== this.#deps.store.getState().session?.id) {
      await reload().catch(() => undefined)
      return toSessionKitError(error)
    }
    return this.fail(error)
  }

  /**
   * The tab woke up, came back online or into view: re-derive the phase from
   * the clock and retry what waits. Back online with nothing waiting, `reload`
   * asks the server once, so connectivity (and what changed meanwhile) is known.
   */
  wake(kind: WakeKind, reload: () => void): void {
    const { store, retries, clock } = this.#deps
    if (kind === 'offline') return store.patch({ connectivity: 'offline' })
    this.reconcile()
    if (retries.size > 0) return retries.flush()
    const state = store.getState()
    if (kind === 'online' && state.connectivity !== 'online') return reload()
    // Back to a tab that heard nothing from the server for a while: the session may have been
    // revoked or replaced on another device meanwhile. One cheap check, at most every 30 s.
    const now = clock.now()
    if ((kind === 'visible' || kind === 'focus') && state.status === 'signed-in' && now - Math.max(this.stateAt, this.#checkedAt) >= WAKE_CHECK_INTERVAL_MS) {
      this.#checkedAt = now
      reload()
    }
  }

  /** Stops the deadline timer (signed out, destroyed). */
  stopTimer(): void {
    this.#cancelTimer?.()
    this.#cancelTimer = null
  }

  /** The deadline passed: sign out here, and tell the server (best effort). */
  #expire(reason: DeadlineReason): void {
    const { store, adapter } = this.#deps
    const sessionId = store.getState().session?.id
    if (this.#ending) return
    void this.end(reason).then(() => {
      // The server may already consider it over, or be unreachable: either is fine.
      if (sessionId) adapter.endSession(sessionId, { reason }).catch(() => undefined)
    })
  }

  /**
   * Ends the session for `reason`. A deadline or a remote sign-out first
   * awaits the app's `beforeSignOut`, at most `beforeSignOutTimeout`, in the
   * leading tab only: two tabs that see one deadline save once. The user's
   * own sign-out (`signed-out`) never waits.
   */
  async end(reason: SignOutReason | null, share = true): Promise<void> {
    const { store, beforeSignOut, leads } = this.#deps
    if (this.#ending) return this.#ending
    const session = store.getState().session
    if (!beforeSignOut || !session || reason === null || reason === 'signed-out' || !leads()) return this.signOut(reason, share)
    this.#ending = runBeforeSignOut(beforeSignOut, { reason, sessionId: session.id }, this.#deps.clock, this.#deps.beforeSignOutTimeout).then(() => {
      this.#ending = null
      // Only the session that was ending: another tab's news may have moved on meanwhile.
      if (store.getState().session?.id === session.id) this.signOut(reason, share)
    })
    return this.#ending
  }
}
