import { requireMethod, type AdapterResponse, type SessionAdapter } from './adapter'
import { SessionKitError, isSessionKitError } from './errors'
import type { ClientResource } from './resources'
import type { ServerLink } from './serverLink'
import type { SessionState } from './sessionState'
import type { SessionStore } from './store'
import { parseClientResource } from './validate'

/** What the impersonation commands reach. */
export interface ImpersonationParts {
  adapter: SessionAdapter
  store: SessionStore
  link: ServerLink
  clientState: SessionState
  /** Throws `client_destroyed` once the client is gone. */
  assertAlive: () => void
}

/** Acting as another user (support staff): start, and stop to return to one's own session. */
export interface ImpersonationCommands {
  startImpersonation(userId: string): Promise<void>
  stopImpersonation(): Promise<void>
}

/**
 * The impersonation commands of a client. The server decides who may act as
 * whom; the answer is a whole client (the new active session), applied like
 * a switch of the active session, so every tab follows and the previous
 * session's tokens are dropped.
 */
export function impersonationCommands({ adapter, store, link, clientState, assertAlive }: ImpersonationParts): ImpersonationCommands {
  const apply = async (call: () => Promise<AdapterResponse<ClientResource>>) => {
    try {
      clientState.applyClient(await link.request(call, parseClientResource), true)
    } catch (error) {
      // A refusal (no permission, no such user) belongs to the control that asked, not to the session's state.
      throw isSessionKitError(error, 'forbidden', 'invalid_request') ? error : clientState.fail(error)
    }
  }
  const activeSession = (call: string) => {
    const { status, session } = store.getState()
    if (status !== 'signed-in' || !session) {
      throw new SessionKitError('signed_out', `${call}() needs a signed-in session: sign in first.`)
    }
    return session
  }

  return {
    async startImpersonation(userId) {
      assertAlive()
      const start = requireMethod(adapter, 'startImpersonation', 'startImpersonation')
      if (typeof userId !== 'string' || userId === '') {
        throw new SessionKitError('invalid_option', `startImpersonation(userId) needs the id of the user to act as; got ${JSON.stringify(userId)}.`)
      }
      const session = activeSession('startImpersonation')
      if (session.actor) {
        throw new SessionKitError('invalid_request', 'This session is already acting as someone else: call stopImpersonation() first.')
      }
      await apply(() => start(session.id, userId))
    },

    async stopImpersonation() {
      assertAlive()
      const stop = requireMethod(adapter, 'stopImpersonation', 'stopImpersonation')
      const session = activeSession('stopImpersonation')
      if (!session.actor) {
        throw new SessionKitError('invalid_request', 'The active session has no actor (nobody is acting as someone else): there is no impersonation to stop.')
      }
      await apply(() => stop(session.id))
    },
  }
}
