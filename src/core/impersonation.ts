import type { AdapterMethod, AdapterResponse, SessionAdapter } from './adapter'
import { SessionKitError, type SessionKitErrorCode } from './errors'
import type { ClientResource } from './resources'
import type { SessionStore } from './store'

/** What the impersonation commands reach (client.ts makes them). */
export interface ImpersonationParts {
  store: SessionStore
  /** The adapter's method, once the client is known alive (`not_supported` names it otherwise). */
  command: <M extends AdapterMethod>(method: M) => NonNullable<SessionAdapter[M]>
  /** Sends a call and applies the client it answers; errors of `ownCodes` go to the caller as they are. */
  applyAnswer: (call: () => Promise<AdapterResponse<ClientResource>>, ...ownCodes: SessionKitErrorCode[]) => Promise<void>
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
 * session's tokens are dropped. A refusal (no permission, no such user)
 * belongs to the control that asked, not to the session's state.
 */
export function impersonationCommands({ store, command, applyAnswer }: ImpersonationParts): ImpersonationCommands {
  /**
   * Sends `call` about the active session, which must (to stop) or must not
   * (to start) already act as someone else. A refusal goes to the caller.
   */
  const impersonation = async (goal: 'start' | 'stop', call: (sessionId: string) => Promise<AdapterResponse<ClientResource>>) => {
    const { status, session } = store.getState()
    if (status !== 'signed-in' || !session) {
      throw new SessionKitError(
        'signed_out',
        process.env.NODE_ENV !== 'production'
          ? goal === 'start'
            ? 'startImpersonation() needs a signed-in session: sign in first.'
            : 'stopImpersonation() needs a signed-in session: sign in first.'
          : 'Not signed in.',
      )
    }
    if (goal === 'stop' && !session.actor) {
      throw new SessionKitError('invalid_request', process.env.NODE_ENV !== 'production' ? 'The active session has no actor (nobody is acting as someone else): there is no impersonation to stop.' : 'Not impersonating.')
    }
    if (goal === 'start' && session.actor) {
      throw new SessionKitError('invalid_request', process.env.NODE_ENV !== 'production' ? 'This session is already acting as someone else: call stopImpersonation() first.' : 'Already impersonating.')
    }
    await applyAnswer(() => call(session.id), 'forbidden', 'invalid_request')
  }

  return {
    async startImpersonation(userId) {
      const start = command('startImpersonation')
      if (typeof userId !== 'string' || userId === '') {
        throw new SessionKitError('invalid_option', process.env.NODE_ENV !== 'production' ? `startImpersonation(userId) needs the id of the user to act as; got ${JSON.stringify(userId)}.` : 'Invalid user id.')
      }
      await impersonation('start', (sessionId) => start(sessionId, userId))
    },

    async stopImpersonation() {
      await impersonation('stop', command('stopImpersonation'))
    },
  }
}
