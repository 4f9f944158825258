import type { ActivityTracker } from './activity'
import type { SessionAdapter } from './adapter'
import type { Clock } from './clock'
import type { DeadlineTimeline } from './deadline'
import { isConnectivityError } from './failurePolicy'
import type { ServerLink } from './serverLink'
import type { SessionState } from './sessionState'
import type { SessionStore } from './store'
import type { TabSync } from './tabs/tabSync'
import { TouchScheduler } from './touchScheduler'
import { parseSessionResource } from './validate'

/** What renewing the session reaches. */
export interface RenewalParts {
  store: SessionStore
  clock: Clock
  adapter: SessionAdapter
  request: ServerLink['request']
  timeline: DeadlineTimeline
  clientState: SessionState
  touches: TouchScheduler
  activity: ActivityTracker
  tabs: TabSync | null
  /** Whether this tab touches the server for all tabs. */
  leads: () => boolean
}

/**
 * Renewing the session: input moves the idle deadline and, in the leading
 * tab, touches the server on its schedule; "Stay signed in" touches at once
 * and is done only when the server confirms the new deadline. Minting a
 * token never comes through here: it is not activity.
 */
export type Renewals = ReturnType<typeof createRenewals>

export function createRenewals({ store, clock, adapter, request, timeline, clientState, touches, activity, tabs, leads }: RenewalParts) {
  /** Retried with backoff (and at once on `online`) while the server cannot be reached. */
  const retry = () => void touches.now().catch(() => undefined)
  return {
    /**
     * Input in this tab (at most once per throttle window) or another. While
     * the warning shows, only an explicit "Stay signed in" renews.
     */
    onInput(at: number, local: boolean): void {
      if (local) tabs?.post({ type: 'activity', at })
      const { status, phase } = store.getState()
      const renewing = status === 'signed-in' && phase === 'active'
      if (local) {
        if (timeline.input(at, renewing)) clientState.reconcile()
      } else {
        // Older news than this tab has: nothing to do.
        if (!timeline.remoteInput(at, renewing)) return
        if (renewing) clientState.reconcile()
      }
      if (renewing && leads()) touches.onActivity()
    },

    /** "Stay signed in": the user is here now, whatever the server says next; renews at the server at once. */
    async stay(): Promise<void> {
      if (store.getState().status !== 'signed-in') return
      const now = clock.now()
      timeline.stay(now)
      activity.record()
      tabs?.post({ type: 'stay', at: now })
      store.patch({ renewal: 'pending' })
      clientState.reconcile()
      await touches.now()
    },

    /** One touch to the server (the scheduler decides when). */
    send(): Promise<void> {
      const sessionId = store.getState().session?.id
      if (!sessionId) return Promise.resolve()
      // Two handlers, not one try/catch: only a failed request goes through the failure
      // policy, never an exception thrown while applying the answer (an app's listener, say).
      return request(() => adapter.touchSession(sessionId), parseSessionResource).then(
        (session) => {
          clientState.applySession(session)
          // The server confirmed the new deadline: only now is "Stay signed in" done.
          store.patch({ renewal: 'idle' })
        },
        (error) => {
          const e = clientState.fail(error, retry)
          if (store.getState().renewal !== 'idle') store.patch({ renewal: isConnectivityError(e) ? 'retrying' : 'idle' })
          throw e
        },
      )
    },
  }
}

/** What the touch schedule reads. */
export interface TouchScheduleParts {
  clock: Clock
  store: SessionStore
  activity: ActivityTracker
  timeline: DeadlineTimeline
  /** The `touchInterval` option; null = a tenth of the server's inactivity timeout, from 5 s to 60 s. */
  touchInterval: number | null
  send: () => Promise<void>
}

/** Touches at most once per interval while the user is active here or in another tab, never while the warning shows. */
export function scheduleTouches({ clock, store, activity, timeline, touchInterval, send }: TouchScheduleParts): TouchScheduler {
  return new TouchScheduler({
    clock,
    interval: () => {
      if (touchInterval !== null) return touchInterval
      const inactivity = store.getState().policy?.inactivityTimeoutMs
      // At most a minute apart, so a session revoked elsewhere is noticed within a minute of use.
      return inactivity ? Math.min(60_000, Math.max(5_000, inactivity / 10)) : null
    },
    lastActivityAt: () => Math.max(activity.lastActivityAt, timeline.remoteInputAt),
    mayRenew: () => store.getState().status === 'signed-in' && store.getState().phase === 'active',
    send,
  })
}
