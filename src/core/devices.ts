import { requireMethod, type AdapterResponse, type SessionAdapter, type UserSessionResource } from './adapter'
import { isSessionKitError } from './errors'
import type { ServerLink } from './serverLink'
import type { SessionState } from './sessionState'
import type { SessionStore } from './store'
import type { UserSession } from './types'
import { parseClientResource, parseUserSessions } from './validate'

/** What the device commands reach. */
export interface DeviceParts {
  adapter: SessionAdapter
  store: SessionStore
  link: ServerLink
  clientState: SessionState
  /** Throws `client_destroyed` once the client is gone. */
  assertAlive: () => void
}

/** The user's sessions on every device: list, revoke one or the others, sign out everywhere. */
export interface DeviceCommands {
  getUserSessions(): Promise<UserSession[]>
  revokeUserSession(sessionId: string): Promise<UserSession[]>
  revokeOtherUserSessions(): Promise<UserSession[]>
  signOutEverywhere(): Promise<void>
}

/**
 * The device commands of a client. Each needs the adapter's capability
 * (`not_supported` names the method otherwise); the lists come back in
 * client time, converted once here.
 */
export function deviceCommands({ adapter, store, link, clientState, assertAlive }: DeviceParts): DeviceCommands {
  const list = async (call: () => Promise<AdapterResponse<UserSessionResource[]>>, about?: string): Promise<UserSession[]> => {
    assertAlive()
    if (store.getState().status !== 'signed-in') return []
    try {
      const sessions = await link.request(call, parseUserSessions)
      return sessions.map((s) => ({ ...s, createdAt: s.createdAt - link.skewMs, lastActiveAt: s.lastActiveAt - link.skewMs }))
    } catch (error) {
      // "No such session" about another device's id says nothing about this browser's session.
      if (about !== undefined && isSessionKitError(error, 'session_not_found')) throw error
      throw clientState.fail(error)
    }
  }
  return {
    async getUserSessions() {
      const get = requireMethod(adapter, 'getUserSessions', 'getUserSessions')
      return list(() => get())
    },
    async revokeUserSession(sessionId) {
      const revoke = requireMethod(adapter, 'revokeUserSession', 'revokeUserSession')
      return list(() => revoke(sessionId), sessionId)
    },
    async revokeOtherUserSessions() {
      const revoke = requireMethod(adapter, 'revokeOtherUserSessions', 'revokeOtherUserSessions')
      return list(() => revoke())
    },
    async signOutEverywhere() {
      assertAlive()
      const everywhere = requireMethod(adapter, 'signOutEverywhere', 'signOutEverywhere')
      // As with signOut: this browser leaves at once, even if the server cannot be told.
      clientState.signOut('signed-out')
      try {
        clientState.applyClient(await link.request(() => everywhere(), parseClientResource), true)
      } catch (error) {
        // Unlike signOut, a server that cannot be told is reported: the other devices are still signed in.
        throw clientState.fail(error)
      }
    },
  }
}
