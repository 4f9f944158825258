import type { DeadlineTimeline } from '../deadline'
import type { SessionState } from '../sessionState'
import type { SessionStore } from '../store'
import type { TokenCache } from '../tokenCache'
import { parseClientResource, parseSessionResource } from '../validate'
import type { TabNewsHandlers } from './tabNews'
import type { TabSync } from './tabSync'

/** The parts of a client that news from other tabs reaches. */
export interface TabBridgeParts {
  store: SessionStore
  timeline: DeadlineTimeline
  clientState: SessionState
  tokens: TokenCache
  tabs: TabSync | null
  /** Whether this tab touches the server and refreshes tokens for all. */
  leads: () => boolean
  /** The default `leewayInSeconds` of `getToken`. */
  leewayInSeconds: number
  /** Input in another tab. */
  onInput: (at: number) => void
}

/**
 * The tab bridge: what each kind of news from another tab does to this one.
 * Resources from other tabs pass the same parsers as the server's answers.
 */
export function tabNewsHandlers(parts: TabBridgeParts): TabNewsHandlers {
  const { store, timeline, clientState, tokens, tabs } = parts
  const isActive = (sessionId: string) => store.getState().sessions.some((s) => s.id === sessionId && s.status === 'active')
  return {
    leads: parts.leads,
    post: (body) => tabs?.post(body),
    snapshot: () => clientState.lastClientResource && { at: clientState.stateAt, client: clientState.lastClientResource },
    stateAt: () => clientState.stateAt,
    lastInputAt: () => timeline.lastInputAt,
    activity: parts.onInput,
    stay(at) {
      timeline.stay(at, true)
      clientState.reconcile()
    },
    client: (raw) => clientState.applyClient(parseClientResource(raw), false, true),
    session: (raw) => clientState.applySession(parseSessionResource(raw), true),
    signedOut(reason, sessionId) {
      if (sessionId) clientState.endedSessions.add(sessionId)
      const active = store.getState().session
      // A deadline or a remote sign-out seen first by another tab: the leading tab still lets the app save work.
      if (active && (sessionId === null || sessionId === active.id)) void clientState.end(reason, false)
    },
    isActive,
    storeToken: (key, token) => tokens.set(key, token),
    getToken: (key) => tokens.getResource(key, { leewayInSeconds: parts.leewayInSeconds }),
  }
}
