import type { DeadlineReason } from './deadline'
import { isDevelopment } from './development'
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

/**
 * A client's listeners. A listener that throws is reported (in development)
 * and never stops the others or the client.
 */
export class SessionEvents {
  readonly #listeners = new Map<SessionEventName, Set<(payload: never) => void>>()

  /** Adds a listener; returns the function that removes it. */
  on<E extends SessionEventName>(event: E, listener: SessionEventListener<E>): () => void {
    let set = this.#listeners.get(event)
    if (!set) this.#listeners.set(event, (set = new Set()))
    // A wrapper per subscription: adding the same function twice gives two independent subscriptions.
    const entry = (payload: never) => listener(payload)
    set.add(entry)
    return () => void set.delete(entry)
  }

  emit<E extends SessionEventName>(event: E, payload: SessionEventMap[E]): void {
    const set = this.#listeners.get(event)
    if (!set) return
    for (const listener of [...set]) {
      try {
        listener(payload as never)
      } catch (error) {
        if (isDevelopment()) console.error(`[sessionkit] a "${event}" listener threw; the other listeners and the client carry on.`, error)
      }
    }
  }

  /** Emits what changed from `previous` to `state`: each event once per real change, never for an unchanged state. */
  transition(state: SessionClientState, previous: SessionClientState): void {
    if (state.connectivity !== previous.connectivity) {
      this.emit('connectivity', { connectivity: state.connectivity, previous: previous.connectivity })
    }
    const session = state.status === 'signed-in' ? state.session : null
    const before = previous.status === 'signed-in' ? previous.session : null
    if (session && !before) this.emit('signedIn', { sessionId: session.id, userId: session.userId })
    if (session && before && session.id !== before.id) this.emit('sessionChanged', { sessionId: session.id, previousSessionId: before.id })
    if (!session && before && state.status === 'signed-out') {
      this.emit('signedOut', { reason: state.signOutReason ?? 'signed-out', sessionId: before.id })
    }
    if (!session || state.deadline === null || state.deadlineReason === null) return
    if (state.phase === 'warning' && (previous.phase !== 'warning' || before?.id !== session.id)) {
      this.emit('warning', { deadline: state.deadline, reason: state.deadlineReason, renewable: state.renewable })
    }
    // Renewed: the same session's deadline moved later because the server renewed it, or the warning was answered.
    const answered = previous.phase === 'warning' && state.phase === 'active'
    const serverRenewed = before?.id === session.id && before.expireAt !== session.expireAt
    if (before?.id === session.id && previous.deadline !== null && state.deadline > previous.deadline && (answered || serverRenewed)) {
      this.emit('renewed', { deadline: state.deadline, reason: state.deadlineReason })
    }
  }
}
