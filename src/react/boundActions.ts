'use client'
import type { AuthorizationParams, GetTokenOptions, SessionClient } from '../core/types'

/** The client's methods as plain functions, bound once per client so their identity never changes. */
export interface BoundActions {
  /** Whether the active session passes every given check (`client.checkAuthorization`). Fails closed. */
  has: (params: AuthorizationParams) => boolean
  /** A token for the active session (`client.getToken`); null when signed out. */
  getToken: (options?: GetTokenOptions) => Promise<string | null>
  /** Signs out of one session, or of all without `sessionId` (`client.signOut`). */
  signOut: (options?: { sessionId?: string }) => Promise<void>
  /** Signs out of every session; ignores its arguments, so it can be an `onClick` handler. */
  signOutAll: () => Promise<void>
  /** Makes another session active (`client.setActive`). */
  setActive: (sessionId: string | null, options?: { organizationId?: string | null }) => Promise<void>
  /** Records activity and renews the session now (`client.touch`). */
  touch: () => Promise<void>
}

const cache = new WeakMap<SessionClient, BoundActions>()

/** The bound actions of `client`; the same object for the client's whole life. */
export function boundActions(client: SessionClient): BoundActions {
  let actions = cache.get(client)
  if (!actions) {
    actions = {
      has: (params) => client.checkAuthorization(params),
      getToken: (options) => client.getToken(options),
      signOut: (options) => client.signOut(options),
      signOutAll: () => client.signOut(),
      setActive: (sessionId, options) => client.setActive(sessionId, options),
      touch: () => client.touch(),
    }
    cache.set(client, actions)
  }
  return actions
}
