import type { DeadlineTimeline } from '../deadline'
import type { SessionState } from '../sessionState'
import type { SessionStore } from '../store'
import type { TokenCache } from '../tokenCache'
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
 * The tab bridge: the parts of a client that `handleTabMessage` acts on
 * (tabNews.ts says what each kind of news does to this tab). The parts are
 * used as they are: an object of one-line wrappers around them would only
 * add names to the bundle.
 */
export function tabNewsHandlers(parts: TabBridgeParts): TabNewsHandlers {
  return parts
}
