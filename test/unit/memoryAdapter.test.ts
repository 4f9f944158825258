import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import { beforeEach, describe, expect, it } from 'vitest'
import {
  createMemoryAdapter,
  DEMO_PASSWORD,
  DEMO_TOTP_CODE,
  DEMO_USERS,
  type MemoryAdapter,
  type MemoryAdapterOptions,
} from '../../src/adapters/memory'
import type { SessionKitErrorCode } from '../../src/core/errors'
import { DAY_MS, DEFAULT_POLICY } from '../../src/core/lifetimes'
import { createVirtualClock, type VirtualClock } from '../../src/core/virtualClock'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const ADA = 'ada@example.com'
const GRACE = 'grace@example.com'
const ALAN = 'alan@example.com'

let clock: VirtualClock

beforeEach(() => {
  clock = createVirtualClock()
})

function adapterWith(options: MemoryAdapterOptions = {}): MemoryAdapter {
  return createMemoryAdapter({ clock, ...options })
}

async function expectCode(promise: Promise<unknown>, code: SessionKitErrorCode) {
  await expect(promise).rejects.toMatchObject({ name: 'SessionKitError', code })
}

function expectThrowsCode(run: () => unknown, code: SessionKitErrorCode) {
  expect(run).toThrow(expect.objectContaining({ code }))
}

async function activeSessionId(adapter: MemoryAdapter): Promise<string> {
  const { data } = await adapter.getClient()
  if (!data.lastActiveSessionId) throw new Error('no active session')
  return data.lastActiveSessionId
}

async function claimsOf(adapter: MemoryAdapter, jwt: string) {
  const { payload } = await jwtVerify(jwt, adapter.verificationKey(), {
    currentDate: new Date(adapter.serverNow()),
  })
  return payload
}

describe('createMemoryAdapter options', () => {
  it('rejects a policy with both limits off as invalid_policy', () => {
    expectThrowsCode(
      () => createMemoryAdapter({ policy: { inactivityTimeoutMs: null, maxLifetimeMs: null } }),
      'invalid_policy',
    )
    expectThrowsCode(() => createMemoryAdapter({ policy: { inactivityTimeoutMs: -1, maxLifetimeMs: null } }), 'invalid_policy')
  })

  it('rejects absurd options as invalid_option', () => {
    expectThrowsCode(() => createMemoryAdapter({ latencyMs: -5 }), 'invalid_option')
    expectThrowsCode(() => createMemoryAdapter({ tokenLifetimeMs: 10 }), 'invalid_option')
    expectThrowsCode(() => createMemoryAdapter({ serverSkewMs: Number.NaN }), 'invalid_option')
    expectThrowsCode(() => createMemoryAdapter({ signedInAs: 'nobody@example.com' }), 'invalid_option')
    expectThrowsCode(() => createMemoryAdapter({ users: [DEMO_USERS[0]!, DEMO_USERS[0]!] }), 'invalid_option')
  })

  it('defaults to the key "memory", the default policy and 60 s tokens', async () => {
    const adapter = adapterWith()
    expect(adapter.key).toBe('memory')
    const { data } = await adapter.getClient()
    expect(data.policy).toEqual(DEFAULT_POLICY)
    expect(data.tokenLifetimeMs).toBe(60_000)
    expect(createMemoryAdapter({ key: 'other' }).key).toBe('other')
  })

  it('starts signed in as the given identifiers, the last one active', async () => {
    const adapter = adapterWith({ signedInAs: [ADA, GRACE] })
    const { data } = await adapter.getClient()
    expect(data.sessions.map((session) => session.user.identifier)).toEqual([ADA, GRACE])
    expect(data.sessions.find((session) => session.id === data.lastActiveSessionId)?.user.identifier).toBe(GRACE)
  })
})

describe('DEMO_USERS', () => {
  it('has three users, one without a second factor, and is frozen', () => {
    expect(DEMO_USERS).toHaveLength(3)
    expect(DEMO_USERS.filter((user) => user.totpCode === null)).toHaveLength(1)
    expect(Object.isFrozen(DEMO_USERS[0]!.organizationMemberships)).toBe(true)
  })

  it.each(DEMO_USERS.map((user) => user.identifier))('signs in %s with the demo password', async (identifier) => {
    const adapter = adapterWith()
    const { data } = await adapter.signIn({ identifier, password: DEMO_PASSWORD })
    expect(data.sessions).toHaveLength(1)
    expect(data.sessions[0]!.user.identifier).toBe(identifier)
  })

  it('gives Ada admin of Acme with permissions and Alan no organization', async () => {
    const adapter = adapterWith({ signedInAs: [ALAN, ADA] })
    const { data } = await adapter.getClient()
    const [alan, ada] = data.sessions
    expect(alan!.lastActiveOrganizationId).toBeNull()
    expect(ada!.lastActiveOrganizationId).toBe('org_acme')
    expect(ada!.user.organizationMemberships[0]).toMatchObject({
      role: 'org:admin',
      permissions: expect.arrayContaining(['org:invoices:read', 'org:invoices:delete']),
    })
  })
})

describe('getClient and signIn', () => {
  it('reports a signed-out client with the server time, skew included', async () => {
    const adapter = adapterWith({ serverSkewMs: 5_000 })
    const response = await adapter.getClient()
    expect(response.data.sessions).toEqual([])
    expect(response.data.lastActiveSessionId).toBeNull()
    expect(response.serverNow).toBe(clock.now() + 5_000)
  })

  it('creates an active session with both deadlines set from server time', async () => {
    const adapter = adapterWith({ serverSkewMs: -2_000 })
    const { data, serverNow } = await adapter.signIn({ identifier: ADA, password: DEMO_PASSWORD })
    const session = data.sessions[0]!
    expect(data.lastActiveSessionId).toBe(session.id)
    expect(session).toMatchObject({
      status: 'active',
      userId: 'user_ada',
      createdAt: serverNow,
      lastActiveAt: serverNow,
      expireAt: serverNow + 7 * DAY_MS,
      abandonAt: serverNow + 7 * DAY_MS,
      actor: null,
      publicUserData: { firstName: 'Ada', lastName: 'Lovelace', identifier: ADA, imageUrl: null },
    })
    expect(serverNow).toBe(clock.now() - 2_000)
    expect(session.user).not.toHaveProperty('password')
    expect(session.user).not.toHaveProperty('totpCode')
  })

  it('matches the identifier case-insensitively', async () => {
    const adapter = adapterWith()
    await expect(adapter.signIn({ identifier: 'ADA@Example.com', password: DEMO_PASSWORD })).resolves.toBeDefined()
  })

  it('answers invalid_credentials for a wrong password or an unknown user', async () => {
    const adapter = adapterWith()
    await expectCode(adapter.signIn({ identifier: ADA, password: 'nope' }), 'invalid_credentials')
    await expectCode(adapter.signIn({ identifier: 'eve@example.com', password: DEMO_PASSWORD }), 'invalid_credentials')
    expect((await adapter.getClient()).data.sessions).toEqual([])
  })

  it('answers invalid_request for a malformed sign-in', async () => {
    const adapter = adapterWith()
    await expectCode(adapter.signIn({ identifier: ADA } as never), 'invalid_request')
  })

  it('keeps other sessions when signing in again (multi-session)', async () => {
    const adapter = adapterWith()
    const first = await adapter.signIn({ identifier: ADA, password: DEMO_PASSWORD })
    const second = await adapter.signIn({ identifier: GRACE, password: DEMO_PASSWORD })
    expect(second.data.sessions.map((session) => session.status)).toEqual(['active', 'active'])
    expect(second.data.lastActiveSessionId).not.toBe(first.data.lastActiveSessionId)
    expect(second.data.lastActiveSessionId).toBe(second.data.sessions[1]!.id)
  })

  it('answers with copies that callers cannot use to change the server', async () => {
    const adapter = adapterWith({ signedInAs: ADA })
    const { data } = await adapter.getClient()
    data.sessions[0]!.status = 'ended'
    data.sessions[0]!.user.organizationMemberships[0]!.permissions.push('org:everything')
    data.policy.inactivityTimeoutMs = 1
    const again = (await adapter.getClient()).data
    expect(again.sessions[0]!.status).toBe('active')
    expect(again.sessions[0]!.user.organizationMemberships[0]!.permissions).not.toContain('org:everything')
    expect(again.policy).toEqual(DEFAULT_POLICY)
  })
})

describe('touchSession and the lifetimes', () => {
  const policy = { inactivityTimeoutMs: 30 * MINUTE, maxLifetimeMs: 2 * HOUR }

  it('moves expireAt to now + the inactivity timeout and records lastActiveAt', async () => {
    const adapter = adapterWith({ policy, signedInAs: ADA })
    const id = await activeSessionId(adapter)
    clock.advance(10 * MINUTE)
    const { data, serverNow } = await adapter.touchSession(id)
    expect(data.expireAt).toBe(serverNow + 30 * MINUTE)
    expect(data.lastActiveAt).toBe(serverNow)
    expect(adapter.peek(id)!.expireAt).toBe(serverNow + 30 * MINUTE)
  })

  it('never moves expireAt past abandonAt', async () => {
    const adapter = adapterWith({ policy, signedInAs: ADA })
    const id = await activeSessionId(adapter)
    const { abandonAt } = adapter.peek(id)!
    for (let i = 0; i < 4; i++) {
      clock.advance(25 * MINUTE)
      const { data } = await adapter.touchSession(id)
      expect(data.expireAt).toBeLessThanOrEqual(abandonAt!)
      expect(data.abandonAt).toBe(abandonAt)
    }
    expect(adapter.peek(id)!.expireAt).toBe(abandonAt)
  })

  it('expires a session nobody touched, observed on the next read', async () => {
    const adapter = adapterWith({ policy, signedInAs: ADA })
    const id = await activeSessionId(adapter)
    const { expireAt } = adapter.peek(id)!
    clock.advance(30 * MINUTE - 1)
    expect((await adapter.getClient()).data.sessions[0]!.status).toBe('active')
    clock.advance(1)
    const { data } = await adapter.getClient()
    expect(data.sessions[0]).toMatchObject({ status: 'expired', updatedAt: expireAt })
    expect(data.lastActiveSessionId).toBeNull()
    await expectCode(adapter.touchSession(id), 'session_expired')
  })

  it('abandons a session at its maximum lifetime however often it is touched', async () => {
    const adapter = adapterWith({ policy, signedInAs: ADA })
    const id = await activeSessionId(adapter)
    for (let elapsed = 0; elapsed < 2 * HOUR; elapsed += 20 * MINUTE) {
      clock.advance(20 * MINUTE)
      if (elapsed + 20 * MINUTE < 2 * HOUR) await adapter.touchSession(id)
    }
    expect(adapter.peek(id)!.status).toBe('abandoned')
    await expectCode(adapter.touchSession(id), 'session_expired')
    expect((await adapter.getClient()).data.lastActiveSessionId).toBeNull()
  })

  it('reports a null deadline for a limit that is off', async () => {
    const adapter = adapterWith({ policy: { inactivityTimeoutMs: null, maxLifetimeMs: HOUR }, signedInAs: ADA })
    const id = await activeSessionId(adapter)
    expect((await adapter.touchSession(id)).data).toMatchObject({ expireAt: null, abandonAt: clock.now() + HOUR })
    const noMax = adapterWith({ policy: { inactivityTimeoutMs: HOUR, maxLifetimeMs: null }, signedInAs: ADA })
    const noMaxId = await activeSessionId(noMax)
    for (let i = 0; i < 20; i++) {
      clock.advance(50 * MINUTE)
      const { data, serverNow } = await noMax.touchSession(noMaxId)
      expect(data).toMatchObject({ expireAt: serverNow + HOUR, abandonAt: null, status: 'active' })
    }
  })

  it('answers session_not_found for unknown, ended or removed sessions', async () => {
    const adapter = adapterWith({ signedInAs: [ADA, GRACE] })
    const [ada, grace] = (await adapter.getClient()).data.sessions
    await expectCode(adapter.touchSession('sess_unknown'), 'session_not_found')
    await adapter.endSession(ada!.id)
    await expectCode(adapter.touchSession(ada!.id), 'session_not_found')
    await adapter.removeSession(grace!.id)
    await expectCode(adapter.touchSession(grace!.id), 'session_not_found')
  })
})

describe('createToken', () => {
  it('mints an HS256 JWT that verifies, with Clerk claims in server time', async () => {
    const adapter = adapterWith({ signedInAs: ADA, serverSkewMs: 90_000 })
    const id = await activeSessionId(adapter)
    const { data, serverNow } = await adapter.createToken(id, {})
    expect(decodeProtectedHeader(data.jwt)).toMatchObject({ alg: 'HS256', typ: 'JWT' })
    const claims = await claimsOf(adapter, data.jwt)
    expect(claims).toMatchObject({
      sid: id,
      sub: 'user_ada',
      iat: Math.floor(serverNow / 1000),
      exp: Math.floor(serverNow / 1000) + 60,
      org_id: 'org_acme',
      org_role: 'org:admin',
      org_slug: 'acme',
    })
    expect(claims.org_permissions).toContain('org:invoices:delete')
    expect(claims).not.toHaveProperty('act')
  })

  it('rejects a token signed by another adapter', async () => {
    const adapter = adapterWith({ signedInAs: ADA })
    const other = adapterWith({ signedInAs: ADA })
    const { data } = await adapter.createToken(await activeSessionId(adapter), {})
    await expect(claimsOf(other, data.jwt)).rejects.toThrow()
  })

  it('honours tokenLifetimeMs', async () => {
    const adapter = adapterWith({ signedInAs: ADA, tokenLifetimeMs: 300_000 })
    const claims = decodeJwt((await adapter.createToken(await activeSessionId(adapter), {})).data.jwt)
    expect(claims.exp! - claims.iat!).toBe(300)
  })

  it('mints for another organization of the user, or for none', async () => {
    const adapter = adapterWith({ signedInAs: ADA })
    const id = await activeSessionId(adapter)
    const globex = decodeJwt((await adapter.createToken(id, { organizationId: 'org_globex' })).data.jwt)
    expect(globex).toMatchObject({ org_id: 'org_globex', org_role: 'org:member', org_permissions: ['org:invoices:read'] })
    const personal = decodeJwt((await adapter.createToken(id, { organizationId: null })).data.jwt)
    expect(personal).not.toHaveProperty('org_id')
    expect(personal).not.toHaveProperty('org_permissions')
  })

  it('answers forbidden for an organization the user is not in', async () => {
    const adapter = adapterWith({ signedInAs: GRACE })
    await expectCode(adapter.createToken(await activeSessionId(adapter), { organizationId: 'org_globex' }), 'forbidden')
  })

  it('adds template claims, built-in and custom, without letting them forge reserved claims', async () => {
    const adapter = adapterWith({
      signedInAs: ADA,
      templates: { hasura: (user) => ({ role: 'user', user_id: user.id, sid: 'forged', sub: 'forged' }) },
    })
    const id = await activeSessionId(adapter)
    const profile = decodeJwt((await adapter.createToken(id, { template: 'profile' })).data.jwt)
    expect(profile).toMatchObject({ email: ADA, name: 'Ada Lovelace', sid: id })
    const hasura = decodeJwt((await adapter.createToken(id, { template: 'hasura' })).data.jwt)
    expect(hasura).toMatchObject({ role: 'user', user_id: 'user_ada', sid: id, sub: 'user_ada' })
  })

  it('answers invalid_request for an unknown template', async () => {
    const adapter = adapterWith({ signedInAs: ADA })
    const id = await activeSessionId(adapter)
    await expectCode(adapter.createToken(id, { template: 'nope' }), 'invalid_request')
    await expectCode(adapter.createToken(id, { template: 'toString' }), 'invalid_request')
  })

  it('carries the actor as act', async () => {
    const adapter = adapterWith({ signedInAs: ADA })
    const id = await activeSessionId(adapter)
    adapter.setActor(id, { sub: 'user_support', iss: 'support' })
    expect(adapter.peek(id)!.actor).toEqual({ sub: 'user_support', iss: 'support' })
    const claims = decodeJwt((await adapter.createToken(id, {})).data.jwt)
    expect(claims.act).toEqual({ sub: 'user_support', iss: 'support' })
    adapter.setActor(id, null)
    expect(decodeJwt((await adapter.createToken(id, {})).data.jwt)).not.toHaveProperty('act')
  })

  it('is not activity: minting never moves expireAt or lastActiveAt', async () => {
    const adapter = adapterWith({ policy: { inactivityTimeoutMs: 30 * MINUTE, maxLifetimeMs: null }, signedInAs: ADA })
    const id = await activeSessionId(adapter)
    const before = adapter.peek(id)!
    for (let i = 0; i < 29; i++) {
      clock.advance(MINUTE)
      await adapter.createToken(id, {})
    }
    expect(adapter.peek(id)).toMatchObject({ expireAt: before.expireAt, lastActiveAt: before.lastActiveAt })
    clock.advance(MINUTE)
    await expectCode(adapter.createToken(id, {}), 'session_expired')
  })
})

describe('endSession, removeSession, endAllSessions', () => {
  it('ends a session: it stays listed as ended and is no longer active', async () => {
    const adapter = adapterWith({ signedInAs: [ADA, GRACE] })
    const id = await activeSessionId(adapter)
    const { data } = await adapter.endSession(id)
    expect(data.sessions.find((session) => session.id === id)?.status).toBe('ended')
    expect(data.sessions.filter((session) => session.status === 'active')).toHaveLength(1)
    expect(data.lastActiveSessionId).toBeNull()
    await expectCode(adapter.createToken(id, {}), 'session_not_found')
  })

  it('keeps the active session when another one ends', async () => {
    const adapter = adapterWith({ signedInAs: [ADA, GRACE] })
    const [ada, grace] = (await adapter.getClient()).data.sessions
    const { data } = await adapter.endSession(ada!.id)
    expect(data.lastActiveSessionId).toBe(grace!.id)
  })

  it('ends a session that already expired without changing its status', async () => {
    const adapter = adapterWith({ policy: { inactivityTimeoutMs: MINUTE, maxLifetimeMs: null }, signedInAs: ADA })
    const id = await activeSessionId(adapter)
    clock.advance(MINUTE)
    expect((await adapter.endSession(id)).data.sessions[0]!.status).toBe('expired')
  })

  it('removes a session: it leaves the client list, the server remembers it as removed', async () => {
    const adapter = adapterWith({ signedInAs: [ADA, GRACE] })
    const id = await activeSessionId(adapter)
    const { data } = await adapter.removeSession(id)
    expect(data.sessions.map((session) => session.id)).not.toContain(id)
    expect(data.lastActiveSessionId).toBeNull()
    expect(adapter.peek(id)!.status).toBe('removed')
    await expectCode(adapter.removeSession(id), 'session_not_found')
  })

  it('answers session_not_found when ending or removing an unknown session', async () => {
    const adapter = adapterWith()
    await expectCode(adapter.endSession('sess_unknown'), 'session_not_found')
    await expectCode(adapter.removeSession('sess_unknown'), 'session_not_found')
  })

  it('ends every session on the client', async () => {
    const adapter = adapterWith({ signedInAs: [ADA, GRACE, ALAN] })
    const { data } = await adapter.endAllSessions()
    expect(data.sessions.map((session) => session.status)).toEqual(['ended', 'ended', 'ended'])
    expect(data.lastActiveSessionId).toBeNull()
  })
})

describe('setActiveSession', () => {
  it('switches between sessions and to none', async () => {
    const adapter = adapterWith({ signedInAs: [ADA, GRACE] })
    const [ada] = (await adapter.getClient()).data.sessions
    expect((await adapter.setActiveSession(ada!.id)).data.lastActiveSessionId).toBe(ada!.id)
    expect((await adapter.setActiveSession(null)).data.lastActiveSessionId).toBeNull()
  })

  it('switches the organization, which later tokens carry', async () => {
    const adapter = adapterWith({ signedInAs: ADA })
    const id = await activeSessionId(adapter)
    const { data } = await adapter.setActiveSession(id, { organizationId: 'org_globex' })
    expect(data.sessions[0]!.lastActiveOrganizationId).toBe('org_globex')
    expect(decodeJwt((await adapter.createToken(id, {})).data.jwt).org_id).toBe('org_globex')
    await adapter.setActiveSession(id, { organizationId: null })
    expect(decodeJwt((await adapter.createToken(id, {})).data.jwt)).not.toHaveProperty('org_id')
  })

  it('is not activity: it leaves expireAt alone', async () => {
    const adapter = adapterWith({ signedInAs: ADA })
    const id = await activeSessionId(adapter)
    const { expireAt } = adapter.peek(id)!
    clock.advance(HOUR)
    await adapter.setActiveSession(id)
    expect(adapter.peek(id)!.expireAt).toBe(expireAt)
  })

  it('answers session_not_found, forbidden or session_expired', async () => {
    const adapter = adapterWith({ policy: { inactivityTimeoutMs: MINUTE, maxLifetimeMs: null }, signedInAs: GRACE })
    const id = await activeSessionId(adapter)
    await expectCode(adapter.setActiveSession('sess_unknown'), 'session_not_found')
    await expectCode(adapter.setActiveSession(id, { organizationId: 'org_globex' }), 'forbidden')
    expect(adapter.peek(id)!.lastActiveOrganizationId).toBe('org_acme')
    clock.advance(MINUTE)
    await expectCode(adapter.setActiveSession(id), 'session_expired')
  })
})

describe('verifySession', () => {
  it('counts sign-in as proof of both factors; -1 when no second factor is enrolled', async () => {
    const adapter = adapterWith({ signedInAs: [ADA, ALAN] })
    const [ada, alan] = (await adapter.getClient()).data.sessions
    expect(ada!.factorVerificationAge).toEqual([0, 0])
    expect(alan!.factorVerificationAge).toEqual([0, -1])
  })

  it('reports whole minutes since each factor and renews each on proof', async () => {
    const adapter = adapterWith({ signedInAs: ADA })
    const id = await activeSessionId(adapter)
    clock.advance(30 * MINUTE + 59_000)
    expect(adapter.peek(id)!.factorVerificationAge).toEqual([30, 30])
    const first = await adapter.verifySession(id, { strategy: 'password', password: DEMO_PASSWORD })
    expect(first.data.factorVerificationAge).toEqual([0, 30])
    clock.advance(2 * MINUTE)
    const second = await adapter.verifySession(id, { strategy: 'totp', code: DEMO_TOTP_CODE })
    expect(second.data.factorVerificationAge).toEqual([2, 0])
  })

  it('answers invalid_credentials for a wrong password or code, and changes nothing', async () => {
    const adapter = adapterWith({ signedInAs: ADA })
    const id = await activeSessionId(adapter)
    clock.advance(10 * MINUTE)
    await expectCode(adapter.verifySession(id, { strategy: 'password', password: 'nope' }), 'invalid_credentials')
    await expectCode(adapter.verifySession(id, { strategy: 'totp', code: '000000' }), 'invalid_credentials')
    expect(adapter.peek(id)!.factorVerificationAge).toEqual([10, 10])
  })

  it('answers invalid_request for a second factor that is not enrolled or a bad strategy', async () => {
    const adapter = adapterWith({ signedInAs: ALAN })
    const id = await activeSessionId(adapter)
    await expectCode(adapter.verifySession(id, { strategy: 'totp', code: DEMO_TOTP_CODE }), 'invalid_request')
    await expectCode(adapter.verifySession(id, { strategy: 'sms' } as never), 'invalid_request')
  })

  it('answers session_expired for an expired session', async () => {
    const adapter = adapterWith({ policy: { inactivityTimeoutMs: MINUTE, maxLifetimeMs: null }, signedInAs: ADA })
    const id = await activeSessionId(adapter)
    clock.advance(MINUTE)
    await expectCode(adapter.verifySession(id, { strategy: 'password', password: DEMO_PASSWORD }), 'session_expired')
  })

  it('lets tests make factors stale with setFactorVerifiedAt', async () => {
    const adapter = adapterWith({ signedInAs: ADA })
    const id = await activeSessionId(adapter)
    const now = adapter.serverNow()
    adapter.setFactorVerifiedAt(id, { first: now - 2 * HOUR, second: now - 15 * MINUTE })
    expect(adapter.peek(id)!.factorVerificationAge).toEqual([120, 15])
  })
})

describe('test controls', () => {
  it('revokes a session as if from another device', async () => {
    const adapter = adapterWith({ signedInAs: ADA })
    const id = await activeSessionId(adapter)
    adapter.revokeSession(id)
    const { data } = await adapter.getClient()
    expect(data.sessions[0]!.status).toBe('revoked')
    expect(data.lastActiveSessionId).toBeNull()
    await expectCode(adapter.touchSession(id), 'session_not_found')
    expectThrowsCode(() => adapter.revokeSession('sess_unknown'), 'session_not_found')
  })

  it('signs in without a password, at once and uncounted', () => {
    const adapter = adapterWith()
    const session = adapter.signInAs(GRACE)
    expect(session).toMatchObject({ status: 'active', userId: 'user_grace' })
    expect(adapter.calls.signIn).toBe(0)
    expectThrowsCode(() => adapter.signInAs('nobody@example.com'), 'invalid_option')
  })

  it('peeks at a copy of the server session, or null', () => {
    const adapter = adapterWith({ signedInAs: ADA })
    const session = adapter.signInAs(ALAN)
    adapter.peek(session.id)!.status = 'ended'
    expect(adapter.peek(session.id)!.status).toBe('active')
    expect(adapter.peek('sess_unknown')).toBeNull()
  })

  it('counts calls per method, failed ones included, and resets them', async () => {
    const adapter = adapterWith({ signedInAs: ADA })
    const id = await activeSessionId(adapter)
    await adapter.touchSession(id)
    await expectCode(adapter.touchSession('sess_unknown'), 'session_not_found')
    const snapshot = adapter.calls
    expect(snapshot).toMatchObject({ getClient: 1, touchSession: 2, createToken: 0 })
    await adapter.getClient()
    expect(snapshot.getClient).toBe(1)
    expect(Object.isFrozen(snapshot)).toBe(true)
    adapter.resetCalls()
    expect(Object.values(adapter.calls).every((count) => count === 0)).toBe(true)
  })

  it('answers the next call of a method with a raw payload, once', async () => {
    const adapter = adapterWith()
    adapter.respondWith('getClient', { data: { sessions: 'nope' } })
    expect(await adapter.getClient()).toEqual({ data: { sessions: 'nope' } })
    expect((await adapter.getClient()).data.sessions).toEqual([])
  })
})

describe('fail', () => {
  it.each([
    ['offline', 'network_error', undefined],
    ['server-error', 'server_error', 500],
    ['rate-limited', 'rate_limited', 429],
    ['unauthenticated', 'unauthenticated', 401],
  ] as const)('%s rejects with %s', async (mode, code, status) => {
    const adapter = adapterWith()
    adapter.fail(mode)
    await expect(adapter.getClient()).rejects.toMatchObject({ code, status })
    await expect(adapter.getClient()).rejects.toMatchObject({ code })
    adapter.fail(null)
    await expect(adapter.getClient()).resolves.toBeDefined()
  })

  it('reports the Retry-After of a rate limit', async () => {
    const adapter = adapterWith()
    adapter.fail('rate-limited', { retryAfterMs: 5_000 })
    await expect(adapter.getClient()).rejects.toMatchObject({ retryAfterMs: 5_000 })
  })

  it('stops after `times` failed calls', async () => {
    const adapter = adapterWith()
    adapter.fail('server-error', { times: 2 })
    await expectCode(adapter.getClient(), 'server_error')
    await expectCode(adapter.getClient(), 'server_error')
    await expect(adapter.getClient()).resolves.toBeDefined()
  })

  it('fails only the chosen methods, and only those count toward `times`', async () => {
    const adapter = adapterWith({ signedInAs: ADA })
    adapter.fail('offline', { only: ['touchSession'], times: 1 })
    const id = await activeSessionId(adapter)
    await adapter.createToken(id, {})
    await expectCode(adapter.touchSession(id), 'network_error')
    await expect(adapter.touchSession(id)).resolves.toBeDefined()
  })

  it('changes nothing on the server when a call fails', async () => {
    const adapter = adapterWith()
    adapter.fail('server-error', { times: 1 })
    await expectCode(adapter.signIn({ identifier: ADA, password: DEMO_PASSWORD }), 'server_error')
    expect((await adapter.getClient()).data.sessions).toEqual([])
  })

  it('rejects an unknown mode or a bad `times`', () => {
    const adapter = adapterWith()
    expectThrowsCode(() => adapter.fail('flaky' as never), 'invalid_option')
    expectThrowsCode(() => adapter.fail('offline', { times: 0 }), 'invalid_option')
  })
})

describe('latency on the clock', () => {
  it('answers after latencyMs, with the server time of halfway through', async () => {
    const adapter = adapterWith({ latencyMs: 200, signedInAs: ADA })
    const start = clock.now()
    let response: Awaited<ReturnType<MemoryAdapter['getClient']>> | undefined
    void adapter.getClient().then((value) => {
      response = value
    })
    await clock.advanceAsync(199)
    expect(response).toBeUndefined()
    await clock.advanceAsync(1)
    expect(response?.serverNow).toBe(start + 100)
  })

  it('applies the server change halfway through the request', async () => {
    const adapter = adapterWith({ latencyMs: 1_000 })
    const pending = adapter.signIn({ identifier: ADA, password: DEMO_PASSWORD })
    await clock.advanceAsync(499)
    expect(adapter.peek('sess_1')).toBeNull()
    await clock.advanceAsync(1)
    expect(adapter.peek('sess_1')?.status).toBe('active')
    await clock.advanceAsync(500)
    await expect(pending).resolves.toMatchObject({ serverNow: clock.now() - 500 })
  })

  it('mints tokens under latency although signing takes real time', async () => {
    const adapter = adapterWith({ latencyMs: 300, signedInAs: ADA })
    const id = adapter.peek('sess_1')!.id
    const pending = adapter.createToken(id, {})
    await clock.advanceAsync(300)
    const { data, serverNow } = await pending
    expect(decodeJwt(data.jwt).iat).toBe(Math.floor(serverNow / 1000))
    expect(clock.pendingTimers()).toBe(0)
  })

  it('delivers failures after the latency too', async () => {
    const adapter = adapterWith({ latencyMs: 400 })
    adapter.fail('offline')
    let error: unknown
    adapter.getClient().catch((caught: unknown) => {
      error = caught
    })
    await clock.advanceAsync(399)
    expect(error).toBeUndefined()
    await clock.advanceAsync(1)
    expect(error).toMatchObject({ code: 'network_error' })
  })
})
