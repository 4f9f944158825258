import type {
  AdapterResponse,
  CreateTokenParams,
  PasswordSessionAdapter,
  SessionAdapter,
  SignInParams,
  VerificationParams,
} from '../../core/adapter'
import { SessionKitError } from '../../core/errors'
import type { ActorResource, ClientResource, SessionResource } from '../../core/resources'
import type { AdapterMethod, FailOptions, FailureMode } from './failures'
import { impersonationMethods, ownSessionOf } from './impersonation'
import { type MemoryAdapterOptions, resolveMemoryOptions } from './options'
import { type SessionRecord, SessionStore } from './sessions'
import { TokenSigner, tokenClaims } from './tokens'
import { SimulatedNetwork } from './transport'
import { findMembership, UserDirectory } from './users'

/** A SessionAdapter backed by memory, plus the controls tests and stories need. */
export interface MemoryAdapter extends PasswordSessionAdapter {
  /** Support staff (a user with `canImpersonate`) start acting as another user; see `SessionAdapter`. */
  startImpersonation: NonNullable<SessionAdapter['startImpersonation']>
  /** Ends an impersonated session; the impersonator's own session is active again. */
  stopImpersonation: NonNullable<SessionAdapter['stopImpersonation']>
  /**
   * Makes calls reject as if the network or server failed, until `fail(null)`
   * or until `times` calls have failed. Failing calls change nothing on the server.
   */
  fail(mode: FailureMode | null, options?: FailOptions): void
  /** Ends a session with status `revoked`, as if signed out from another device. */
  revokeSession(sessionId: string): void
  /** Sets (or clears, with null) who is impersonating the session's user; tokens carry it as `act`. */
  setActor(sessionId: string, actor: ActorResource | null): void
  /** Sets when each factor was last proven (server time), to make reverification fresh or stale. */
  setFactorVerifiedAt(sessionId: string, at: { first?: number; second?: number }): void
  /** How many times each method was called, failed calls included (a snapshot). */
  readonly calls: Readonly<Record<AdapterMethod, number>>
  /** Sets every count in `calls` back to 0. */
  resetCalls(): void
  /** The server's copy of a session (server times, lifetimes enforced), removed ones included; null if unknown. */
  peek(sessionId: string): SessionResource | null
  /** Signs in without a password, at once and uncounted (for stories); the new session becomes active. */
  signInAs(identifier: string): SessionResource
  /** Makes the next call of `method` resolve with `raw` as the whole response, unchecked, to test response validation. */
  respondWith(method: AdapterMethod, raw: unknown): void
  /** The server's clock: `clock.now() + serverSkewMs`. */
  serverNow(): number
  /**
   * Test-only: the HS256 key tokens are signed with, to verify them (e.g. with
   * `jose`'s `jwtVerify`). It also signs, which is harmless here: nothing in
   * this adapter is secret.
   */
  verificationKey(): Uint8Array
}

/**
 * Creates an in-process backend with Clerk's session semantics: both
 * lifetimes enforced, multi-session, organizations, reverification and real
 * HS256 JWTs.
 *
 * NOT FOR PRODUCTION. Passwords are plain text, the signing key lives in the
 * page, and all state belongs to one simulated browser that forgets
 * everything on reload. Use it for tests, stories and prototypes.
 */
export function createMemoryAdapter(options?: MemoryAdapterOptions): MemoryAdapter {
  const { clock, serverSkewMs, policy, tokenLifetimeMs, templates, latencyMs, key, ...rest } =
    resolveMemoryOptions(options)
  const users = new UserDirectory(rest.users)
  const store = new SessionStore(users, policy, tokenLifetimeMs)
  const signer = new TokenSigner()
  const network = new SimulatedNetwork(clock, latencyMs)

  const serverNow = () => clock.now() + serverSkewMs
  /** Server time with every lifetime enforced: what each read sees. */
  const observe = () => {
    const now = serverNow()
    store.observe(now)
    return now
  }
  const request = <T>(method: AdapterMethod, handle: (now: number) => T | Promise<T>) =>
    network.request(method, () => {
      const now = observe()
      return Promise.resolve(handle(now)).then((data) => ({ data, serverNow: now }))
    })

  const signInUser = (identifier: string, now: number): SessionRecord => {
    const user = users.byIdentifier(identifier)
    if (!user) throw new SessionKitError('invalid_option', `createMemoryAdapter: no user "${identifier}" to sign in as.`)
    return store.create(user, now)
  }
  for (const identifier of rest.signedInAs) signInUser(identifier, serverNow())

  const checkOrganization = (session: SessionRecord, organizationId: unknown) => {
    if (organizationId === null || organizationId === undefined) return null
    if (typeof organizationId !== 'string') {
      throw new SessionKitError('invalid_request', 'organizationId must be a string, null or left out.', { status: 400 })
    }
    const membership = findMembership(store.user(session), organizationId)
    if (!membership) {
      throw new SessionKitError(
        'forbidden',
        `The user of session "${session.id}" is not a member of organization "${organizationId}".`,
        { status: 403 },
      )
    }
    return membership
  }

  const control = (sessionId: string): SessionRecord => {
    observe()
    const session = store.find(sessionId)
    if (!session) throw new SessionKitError('session_not_found', `The memory adapter has no session "${sessionId}".`)
    return session
  }

  return {
    key,

    getClient: () => request('getClient', (now) => store.clientResource(now)),

    signIn: (params: SignInParams) =>
      request('signIn', (now): ClientResource => {
        const { identifier, password } = params ?? ({} as Partial<SignInParams>)
        if (typeof identifier !== 'string' || typeof password !== 'string') {
          throw new SessionKitError('invalid_request', 'Sign in with a string identifier and password.', {
            status: 400,
          })
        }
        const user = users.byIdentifier(identifier)
        // One answer for an unknown user and a wrong password: do not reveal which.
        if (!user || user.password !== password) {
          throw new SessionKitError('invalid_credentials', 'That identifier and password do not match: try again.', {
            status: 422,
          })
        }
        store.create(user, now)
        return store.clientResource(now)
      }),

    touchSession: (sessionId: string) =>
      request('touchSession', (now) => {
        const session = store.usable(sessionId)
        store.touch(session, now)
        // The impersonator is the one at the keyboard: their own session, to return to, stays alive too.
        const own = session.actor === null ? undefined : ownSessionOf(store, session.actor.sub)
        if (own) store.touch(own, now)
        return store.sessionResource(session, now)
      }),

    createToken: (sessionId: string, params: CreateTokenParams) =>
      request('createToken', async (now) => {
        const session = store.usable(sessionId)
        const { template, organizationId } = params ?? {}
        const membership = checkOrganization(
          session,
          organizationId === undefined ? session.lastActiveOrganizationId : organizationId,
        )
        const resource = store.sessionResource(session, now)
        let templateClaims: Record<string, unknown> = {}
        if (template !== undefined) {
          const build = typeof template === 'string' && Object.hasOwn(templates, template) ? templates[template] : undefined
          if (!build) {
            throw new SessionKitError('invalid_request', `No token template "${String(template)}" on this server.`, {
              status: 400,
            })
          }
          templateClaims = build(resource.user, resource)
        }
        // Minting is not activity: expireAt and lastActiveAt stay where they are.
        const claims = tokenClaims({ session: resource, issuedAt: now, lifetimeMs: tokenLifetimeMs, membership, templateClaims })
        return { jwt: signer.sign(claims) }
      }),

    endSession: (sessionId: string) =>
      request('endSession', (now) => {
        store.end(store.listed(sessionId), 'ended', now)
        return store.clientResource(now)
      }),

    removeSession: (sessionId: string) =>
      request('removeSession', (now) => {
        store.end(store.listed(sessionId), 'removed', now)
        return store.clientResource(now)
      }),

    endAllSessions: () =>
      request('endAllSessions', (now) => {
        for (const session of store.listedSessions()) store.end(session, 'ended', now)
        return store.clientResource(now)
      }),

    setActiveSession: (sessionId: string | null, params?: { organizationId?: string | null }) =>
      request('setActiveSession', (now) => {
        if (sessionId === null) {
          store.setActive(null)
          return store.clientResource(now)
        }
        const session = store.usable(sessionId)
        const organizationId = params?.organizationId
        if (organizationId !== undefined) {
          checkOrganization(session, organizationId)
          session.lastActiveOrganizationId = organizationId
          session.updatedAt = now
        }
        store.setActive(session)
        return store.clientResource(now)
      }),

    verifySession: (sessionId: string, params: VerificationParams) =>
      request('verifySession', (now) => {
        const session = store.usable(sessionId)
        const user = store.user(session)
        if (params?.strategy === 'password' && typeof params.password === 'string') {
          if (params.password !== user.password) throw wrongProof('password')
          session.firstFactorVerifiedAt = now
        } else if (params?.strategy === 'totp' && typeof params.code === 'string') {
          if (user.totpCode === null) {
            throw new SessionKitError('invalid_request', `${user.identifier} has no second factor enrolled.`, {
              status: 400,
            })
          }
          if (params.code !== user.totpCode) throw wrongProof('code')
          session.secondFactorVerifiedAt = now
        } else {
          throw new SessionKitError(
            'invalid_request',
            'Verify with { strategy: "password", password } or { strategy: "totp", code }.',
            { status: 400 },
          )
        }
        session.updatedAt = now
        return store.sessionResource(session, now)
      }),

    ...impersonationMethods(store, users, request),

    fail: (mode, failOptions) => network.failures.set(mode, failOptions),

    revokeSession(sessionId) {
      store.end(control(sessionId), 'revoked', serverNow())
    },

    setActor(sessionId, actor) {
      const session = control(sessionId)
      if (actor !== null && typeof actor?.sub !== 'string') {
        throw new SessionKitError('invalid_option', 'An actor needs a string `sub` (who is acting), or null to clear it.')
      }
      session.actor = actor === null ? null : { ...actor }
    },

    setFactorVerifiedAt(sessionId, at) {
      const session = control(sessionId)
      for (const value of [at.first, at.second]) {
        if (value !== undefined && !Number.isFinite(value)) {
          throw new SessionKitError('invalid_option', `setFactorVerifiedAt takes server timestamps (ms); got ${String(value)}.`)
        }
      }
      if (at.first !== undefined) session.firstFactorVerifiedAt = at.first
      if (at.second !== undefined) session.secondFactorVerifiedAt = at.second
    },

    get calls() {
      return network.calls()
    },

    resetCalls: () => network.resetCalls(),

    peek(sessionId) {
      const now = observe()
      const session = store.find(sessionId)
      return session ? store.sessionResource(session, now) : null
    },

    signInAs(identifier) {
      const now = observe()
      return store.sessionResource(signInUser(identifier, now), now)
    },

    respondWith: (method, raw) => network.respondWith(method, raw),

    serverNow,

    verificationKey: () => signer.key(),
  }
}

function wrongProof(what: 'password' | 'code'): SessionKitError {
  return new SessionKitError('invalid_credentials', `That ${what} is not right: try again.`, { status: 422 })
}
