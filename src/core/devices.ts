import type { AdapterMethod, AdapterResponse, SessionAdapter, UserSessionResource } from './adapter'
import { isSessionKitError } from './errors'
import type { ClientResource } from './resources'
import type { ServerLink } from './serverLink'
import type { SessionState } from './sessionState'
import type { UserSession } from './types'
import { parseUserSessions } from './validate'

/** What the device commands reach (client.ts makes them). */
export interface DeviceParts {
  link: ServerLink
  clientState: SessionState
  /** The adapter's method, once the client is known alive (`not_supported` names it otherwise). */
  command: <M extends AdapterMethod>(method: M) => NonNullable<SessionAdapter[M]>
  /** Sends a call and applies the client it answers; failures go through the failure policy. */
  applyAnswer: (call: () => Promise<AdapterResponse<ClientResource>>) => Promise<void>
}

/** The user's sessions on every device: list, revoke one or the others, sign out everywhere. */
export interface DeviceCommands {
  getUserSessions(): Promise<UserSession[]>
  revokeUserSession(sessionId: string): Promise<UserSession[]>
  revokeOtherUserSessions(): Promise<UserSession[]>
  signOutEverywhere(): Promise<void>
}

/**
 * The device commands of a client. Each needs the adapter's capability; the
 * lists come back in client time, converted once here.
 */
export function deviceCommands({ link, clientState, command, applyAnswer }: DeviceParts): DeviceCommands {
  const list = async (call: () => Promise<AdapterResponse<UserSessionResource[]>>, about?: string): Promise<UserSession[]> => {
    // Signed in: an active session (signed out or loading: none).
    if (!clientState.activeId()) return []
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
      return list(command('getUserSessions'))
    },
    async revokeUserSession(sessionId) {
      const revoke = command('revokeUserSession')
      return list(() => revoke(sessionId), sessionId)
    },
    async revokeOtherUserSessions() {
      return list(command('revokeOtherUserSessions'))
    },
    async signOutEverywhere() {
      const everywhere = command('signOutEverywhere')
      // As with signOut: this browser leaves at once, even if the server cannot be told.
      clientState.signOut('signed-out')
      // Unlike signOut, a server that cannot be told is reported: the other devices are still signed in.
      await applyAnswer(everywhere)
    },
  }
}
