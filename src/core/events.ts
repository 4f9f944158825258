import type { DeadlineReason } from './deadline'
import type { SessionClientState, SignOutReason, Connectivity } from './types'

/** Every event a client emits, with its payload. No payload ever holds a token. */
export interface SessionEventMap {
  /** Signed in (from signed out or loading): a new active session. */
  signedIn: { sessionId: string; userId: string }
  /** Signed out, and why (`signed-out` = the user or app asked). */
  signedOut: { reason: SignOutReason; sessionId: string | null }
  /** The warning phase began: the session ends at `deadline` (client time). */
  warning: { deadline: number; reason: DeadlineReason; renewable: boolean }
  /** The session was renewed: its deadline moved to `deadline`. */
  renewed: { deadline: number; reason: DeadlineReason }
  /** Another session became the active one (multi-session switch). */
  sessionChanged: { sessionId: string; previousSessionId: string }
  /** A new token is in this tab's cache (fetched here or shared by another tab); never the token itself. */
  tokenRefreshed: { sessionId: string; template: string | null; organizationId: string | null; expiresAt: number }
  /** The server became reachable, unreachable or degraded. */
  connectivity: { connectivity: Connectivity; previous: Connectivity }
}

/** The name of one client event. */
export type SessionEventName = keyof SessionEventMap

/** A listener of one event. */
export type SessionEventListener<E extends SessionEventName> = (payload: SessionEventMap[E]) => void

const activeSession = (state: SessionClientState) => (state.status === 'signed-in' ? state.session : null)

/**
 * A client's listeners. A listener that throws is reported (in development)
 * and never stops the others or the client.
 *
 * Its state lives in the constructor's closure (a minifier renames local
 * variables, not properties); the constructor returns the object.
 */
export class SessionEvents {
  /** Adds a listener; returns the function that removes it. */
  declare readonly on: <E extends SessionEventName>(event: E, listener: SessionEventListener<E>) => () => void
  declare readonly emit: <E extends SessionEventName>(event: E, payload: SessionEventMap[E]) => void
  /** Emits what changed from `previous` to `state`: each event once per real change, never for an unchanged state. */
  declare readonly transition: (state: SessionClientState, previous: SessionClientState) => void

  constructor() {
    // One subscription per entry, in subscription order: adding the same function twice gives
    // two independent subscriptions. Each entry hears every event and passes on its own.
    const entries = new Set<(event: SessionEventName, payload: never) => void>()

    const emit: SessionEvents['emit'] = (event, payload) => {
      // A copy: a listener added while emitting hears the next event, one removed still hears this one.
      for (const entry of [...entries]) {
        try {
          entry(event, payload as never)
        } catch (error) {
          if (process.env.NODE_ENV !== 'production') console.error(`[sessionkit] a "${event}" listener threw; the other listeners and the client carry on.`, error)
        }
      }
    }

    return {
      on(event, listener) {
        const entry = (name: SessionEventName, payload: never) => name === event && listener(payload)
        entries.add(entry)
        return () => void entries.delete(entry)
      },
      emit,
      transition(state, previous) {
        const { connectivity, deadline, deadlineReason: reason, phase } = state
        const session = activeSession(state)
        const before = activeSession(previous)
        const same = !!session && before?.id === session.id
        if (connectivity !== previous.connectivity) emit('connectivity', { connectivity, previous: previous.connectivity })
        if (session && !before) emit('signedIn', { sessionId: session.id, userId: session.userId })
        if (session && before && !same) emit('sessionChanged', { sessionId: session.id, previousSessionId: before.id })
        if (!session && before && state.status === 'signed-out') emit('signedOut', { reason: state.signOutReason ?? 'signed-out', sessionId: before.id })
        if (!session || deadline === null || reason === null) return
        if (phase === 'warning' && (previous.phase !== 'warning' || !same)) emit('warning', { deadline, reason, renewable: state.renewable })
        // Renewed: the same session's deadline moved later because the server renewed it, or the warning was answered.
        if (
          same &&
          deadline > (previous.deadline ?? Infinity) &&
          ((previous.phase === 'warning' && phase === 'active') || before.expireAt !== session.expireAt)
        ) {
          emit('renewed', { deadline, reason })
        }
      },
    }
  }
}
