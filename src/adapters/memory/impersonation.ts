import type { AdapterResponse } from '../../core/adapter'
import { SessionKitError } from '../../core/errors'
import type { ActorResource, ClientResource } from '../../core/resources'
import type { AdapterMethod } from './failures'
import type { SessionRecord, SessionStore } from './sessions'
import type { MemoryUser, UserDirectory } from './users'

/** A factor "verified" this long ago never passes a reverification check: the impersonator proved who *they* are. */
const NOT_VERIFIED_MS = 100_000 * 60_000

type Request = <T>(method: AdapterMethod, handle: (now: number) => T | Promise<T>) => Promise<AdapterResponse<T>>

/** The actor of a session started by `user`: who they are, for the banner and the tokens' `act`. */
export function actorOf(user: MemoryUser): ActorResource {
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ')
  return { sub: user.id, identifier: user.identifier, ...(name ? { name } : {}) }
}

/**
 * Impersonation as the reference server does it: a user with
 * `canImpersonate` starts a new session as someone else on this client
 * (`actor` names them; it never outlives their own session), and stopping
 * ends it and makes their own session active again.
 */
export function impersonationMethods(store: SessionStore, users: UserDirectory, request: Request) {
  return {
    startImpersonation: (sessionId: string, userId: string) =>
      request('startImpersonation', (now): ClientResource => {
        const own = store.usable(sessionId)
        const impersonator = store.user(own)
        if (own.actor !== null) {
          throw new SessionKitError('forbidden', 'This session is already acting as someone else: stop first.', { status: 403 })
        }
        if (!impersonator.canImpersonate) {
          throw new SessionKitError('forbidden', `${impersonator.identifier} may not act as another user.`, { status: 403 })
        }
        const target = typeof userId === 'string' ? users.byId(userId) : undefined
        if (!target) throw new SessionKitError('invalid_request', `No user "${String(userId)}" to act as.`, { status: 404 })
        if (target.id === impersonator.id) {
          throw new SessionKitError('invalid_request', 'Acting as yourself is just your own session.', { status: 400 })
        }
        const acting = store.create(target, now)
        acting.actor = actorOf(impersonator)
        acting.firstFactorVerifiedAt = acting.secondFactorVerifiedAt = now - NOT_VERIFIED_MS
        if (own.abandonAt !== null && (acting.abandonAt === null || acting.abandonAt > own.abandonAt)) {
          acting.abandonAt = own.abandonAt
          if (acting.expireAt !== null) acting.expireAt = Math.min(acting.expireAt, own.abandonAt)
        }
        return store.clientResource(now)
      }),

    stopImpersonation: (sessionId: string) =>
      request('stopImpersonation', (now): ClientResource => {
        const acting = store.listed(sessionId)
        const actor = acting.actor
        if (actor === null) {
          throw new SessionKitError('invalid_request', `Session "${acting.id}" has no actor: nobody is acting as someone else in it.`, { status: 400 })
        }
        store.end(acting, 'ended', now)
        store.setActive(ownSessionOf(store, actor.sub) ?? null)
        return store.clientResource(now)
      }),
  }
}

/** The impersonator's own (not impersonated) active session on this client, the newest if several. */
export function ownSessionOf(store: SessionStore, userId: string): SessionRecord | undefined {
  return store
    .listedSessions()
    .filter((s) => s.userId === userId && s.actor === null && s.status === 'active')
    .at(-1)
}
