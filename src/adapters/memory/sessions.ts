import { SessionKitError } from '../../core/errors'
import type { LifetimePolicy } from '../../core/lifetimes'
import type { ClientResource, SessionResource, SessionStatus } from '../../core/resources'
import { type MemoryUser, toPublicUserData, toUserResource, type UserDirectory } from './users'

/**
 * A session as the server stores it: the resource's own fields (user data is
 * joined in when it is reported) plus when each factor was last proven.
 */
export interface SessionRecord
  extends Pick<
    SessionResource,
    'id' | 'userId' | 'status' | 'createdAt' | 'updatedAt' | 'lastActiveAt' | 'expireAt' | 'abandonAt' | 'actor' | 'lastActiveOrganizationId'
  > {
  /** Server time the password was last proven (sign-in counts). */
  firstFactorVerifiedAt: number
  /** Server time the second factor was last proven (sign-in counts); ignored when none is enrolled. */
  secondFactorVerifiedAt: number
}

const MINUTE_MS = 60_000

/**
 * The server side of one simulated browser: its sessions (removed ones
 * included, so `peek` can still see them) and which one is active. Every
 * method takes the server time; lifetimes are enforced when `observe` runs.
 */
export class SessionStore {
  readonly clientId = 'client_memory'
  readonly #sessions = new Map<string, SessionRecord>()
  readonly #users: UserDirectory
  readonly #policy: LifetimePolicy
  readonly #tokenLifetimeMs: number
  #lastActiveSessionId: string | null = null
  #nextId = 1

  constructor(users: UserDirectory, policy: LifetimePolicy, tokenLifetimeMs: number) {
    this.#users = users
    this.#policy = policy
    this.#tokenLifetimeMs = tokenLifetimeMs
  }

  /**
   * Turns every session whose deadline has passed into `expired` or
   * `abandoned`. On a tie the maximum lifetime wins: touching never moves
   * `expireAt` past `abandonAt`, so that tie is a session that ran its course.
   */
  observe(now: number): void {
    for (const session of this.#sessions.values()) {
      if (session.status !== 'active' && session.status !== 'pending') continue
      const { expireAt, abandonAt } = session
      if (abandonAt !== null && now >= abandonAt && (expireAt === null || abandonAt <= expireAt)) {
        this.#finish(session, 'abandoned', abandonAt)
      } else if (expireAt !== null && now >= expireAt) {
        this.#finish(session, 'expired', expireAt)
      }
    }
  }

  /** Creates an active session for the user and makes it the client's active one. */
  create(user: MemoryUser, now: number): SessionRecord {
    const { maxLifetimeMs } = this.#policy
    const abandonAt = maxLifetimeMs === null ? null : now + maxLifetimeMs
    const session: SessionRecord = {
      id: `sess_${this.#nextId++}`,
      userId: user.id,
      status: 'active',
      createdAt: now,
      updatedAt: now,
      lastActiveAt: now,
      expireAt: this.#renewedExpireAt(now, abandonAt),
      abandonAt,
      firstFactorVerifiedAt: now,
      // Clerk asks an enrolled user for the second factor at sign-in, so it is fresh too.
      secondFactorVerifiedAt: now,
      actor: null,
      lastActiveOrganizationId: user.organizationMemberships?.[0]?.organization.id ?? null,
    }
    this.#sessions.set(session.id, session)
    this.#lastActiveSessionId = session.id
    return session
  }

  /** Records activity: `expireAt` moves to now + the inactivity timeout, never past `abandonAt`. */
  touch(session: SessionRecord, now: number): void {
    session.expireAt = this.#renewedExpireAt(now, session.abandonAt)
    session.lastActiveAt = now
    session.updatedAt = now
  }

  /** Any session the server knows (removed ones too), or undefined. */
  find(sessionId: string): SessionRecord | undefined {
    return this.#sessions.get(sessionId)
  }

  /** A listed session, or `session_not_found`. */
  listed(sessionId: unknown): SessionRecord {
    if (typeof sessionId !== 'string') {
      throw new SessionKitError('invalid_request', `A session id must be a string; got ${typeof sessionId}.`, {
        status: 400,
      })
    }
    const session = this.#sessions.get(sessionId)
    if (!session || session.status === 'removed') {
      throw new SessionKitError('session_not_found', `No session "${sessionId}" on this client: sign in again.`, {
        status: 404,
      })
    }
    return session
  }

  /** A session that is still signed in; otherwise the definite answer that signs the client out. */
  usable(sessionId: unknown): SessionRecord {
    const session = this.listed(sessionId)
    switch (session.status) {
      case 'active':
      case 'pending':
        return session
      case 'expired':
      case 'abandoned':
        throw new SessionKitError(
          'session_expired',
          `Session "${session.id}" has ${session.status === 'expired' ? 'expired after inactivity' : 'reached its maximum lifetime'}: sign in again.`,
          { status: 401 },
        )
      default:
        throw new SessionKitError('session_not_found', `Session "${session.id}" was ${session.status}: sign in again.`, {
          status: 404,
        })
    }
  }

  /**
   * Signs a session out with the given status. A session that already ended
   * (expired, say) keeps its status, except that `removed` always applies.
   */
  end(session: SessionRecord, status: 'ended' | 'revoked' | 'removed', now: number): void {
    if (status === 'removed' || session.status === 'active' || session.status === 'pending') {
      this.#finish(session, status, now)
    }
  }

  /** Every session still listed on this client. */
  listedSessions(): SessionRecord[] {
    return [...this.#sessions.values()].filter((session) => session.status !== 'removed')
  }

  setActive(session: SessionRecord | null): void {
    this.#lastActiveSessionId = session?.id ?? null
  }

  clientResource(now: number): ClientResource {
    return {
      id: this.clientId,
      sessions: this.listedSessions().map((session) => this.sessionResource(session, now)),
      lastActiveSessionId: this.#lastActiveSessionId,
      policy: { ...this.#policy },
      tokenLifetimeMs: this.#tokenLifetimeMs,
    }
  }

  /** A fresh copy of a session as the server reports it. */
  sessionResource(session: SessionRecord, now: number): SessionResource {
    const user = this.user(session)
    const minutesSince = (at: number) => Math.max(0, Math.floor((now - at) / MINUTE_MS))
    return {
      id: session.id,
      userId: session.userId,
      status: session.status,
      createdAt: session.createdAt,
      updatedAt: session.updatedAt,
      lastActiveAt: session.lastActiveAt,
      expireAt: session.expireAt,
      abandonAt: session.abandonAt,
      factorVerificationAge: [
        minutesSince(session.firstFactorVerifiedAt),
        user.totpCode === null ? -1 : minutesSince(session.secondFactorVerifiedAt),
      ],
      actor: session.actor === null ? null : { ...session.actor },
      lastActiveOrganizationId: session.lastActiveOrganizationId,
      publicUserData: toPublicUserData(user),
      user: toUserResource(user),
    }
  }

  user(session: SessionRecord): MemoryUser {
    const user = this.#users.byId(session.userId)
    if (!user) throw new SessionKitError('server_error', `Session "${session.id}" belongs to an unknown user.`)
    return user
  }

  #finish(session: SessionRecord, status: SessionStatus, at: number): void {
    session.status = status
    session.updatedAt = at
    if (this.#lastActiveSessionId === session.id) this.#lastActiveSessionId = null
  }

  #renewedExpireAt(now: number, abandonAt: number | null): number | null {
    const { inactivityTimeoutMs } = this.#policy
    if (inactivityTimeoutMs === null) return null
    const renewed = now + inactivityTimeoutMs
    return abandonAt === null ? renewed : Math.min(renewed, abandonAt)
  }
}
