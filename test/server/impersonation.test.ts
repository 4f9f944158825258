import { createLocalJWKSet, jwtVerify } from 'jose'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ADA, makeServer, type Browser, type TestServer } from './helpers'

// Support staff acting as a user: POST /v1/client/sessions/:id/impersonate
// and /stop_impersonating on the reference server.

const SUPPORT = { identifier: 'support@example.com', password: 'password' }
const MINUTE = 60_000

let server: TestServer
afterEach(() => server.close())

interface WireSession {
  id: string
  userId: string
  status: string
  actor: Record<string, unknown> | null
  abandonAt: number | null
  expireAt: number | null
  factorVerificationAge: [number, number]
}

const impersonate = (browser: Browser, sessionId: string, body: unknown, call: { noCsrf?: boolean } = {}) =>
  browser.call('POST', `/v1/client/sessions/${sessionId}/impersonate`, { body, ...call })
const stopImpersonating = (browser: Browser, sessionId: string) => browser.call('POST', `/v1/client/sessions/${sessionId}/stop_impersonating`)
const sessionOf = (client: { sessions: WireSession[] }, id: string) => client.sessions.find((s) => s.id === id)!

async function verifiedClaims(browser: Browser, jwt: string) {
  const jwks = (await browser.call('GET', '/.well-known/jwks.json')).json
  const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks), { issuer: 'sessionkit', currentDate: new Date(server.clock.time) })
  return payload
}

describe('starting to act as a user', () => {
  let support: Browser
  let own: string
  beforeEach(async () => {
    server = makeServer()
    support = server.browser()
    own = await support.signedInSessionId(SUPPORT)
  })

  it("makes a new session of the user active, whose actor names the impersonator, with the user's own session kept", async () => {
    const res = await impersonate(support, own, { userId: 'user_ada' })
    expect(res.status).toBe(200)
    const client = res.json.data
    const acting = client.lastActiveSessionId
    expect(acting).not.toBe(own)
    expect(sessionOf(client, acting)).toMatchObject({
      userId: 'user_ada',
      status: 'active',
      actor: { sub: 'user_support', identifier: 'support@example.com', name: 'Sam Support' },
      // The impersonator proved who *they* are, not Ada: no reverification passes.
      factorVerificationAge: [100_000, 100_000],
    })
    expect(sessionOf(client, own)).toMatchObject({ userId: 'user_support', status: 'active', actor: null })
  })

  it('mints tokens that carry act: { sub } of the impersonator, and /api/me shows the actor', async () => {
    const acting = (await impersonate(support, own, { userId: 'user_ada' })).json.data.lastActiveSessionId
    const jwt = (await support.token(acting)).json.data.jwt
    const claims = await verifiedClaims(support, jwt)
    expect(claims).toMatchObject({ sub: 'user_ada', sid: acting, act: { sub: 'user_support' } })
    // Only who acts goes into the token: an API looks the rest up.
    expect(claims.act).toEqual({ sub: 'user_support' })

    const me = await support.call('GET', '/api/me', { headers: { authorization: `Bearer ${jwt}` } })
    expect(me.status).toBe(200)
    expect(me.json.data).toMatchObject({
      userId: 'user_ada',
      sessionId: acting,
      actor: { sub: 'user_support', identifier: 'support@example.com' },
      claims: { act: { sub: 'user_support' } },
    })
  })

  it('shows no actor on /api/me for a session of the user themself', async () => {
    const jwt = (await support.token(own)).json.data.jwt
    const me = await support.call('GET', '/api/me', { headers: { authorization: `Bearer ${jwt}` } })
    expect(me.json.data).toMatchObject({ userId: 'user_support', actor: null })
    expect(me.json.data.claims.act).toBeUndefined()
  })

  it('refuses a user without can_impersonate with 403 forbidden, creating nothing', async () => {
    const ada = server.browser()
    const adaSession = await ada.signedInSessionId(ADA)
    const res = await impersonate(ada, adaSession, { userId: 'user_alan' })
    expect(res.status).toBe(403)
    expect(res.json.errors[0].code).toBe('forbidden')
    const client = (await ada.call('GET', '/v1/client')).json.data
    expect(client.sessions).toHaveLength(1)
    expect(client.lastActiveSessionId).toBe(adaSession)
  })

  it('answers an unknown user with 404 (not a sign-out code), and a bad body with 400', async () => {
    const unknown = await impersonate(support, own, { userId: 'user_nobody' })
    expect(unknown.status).toBe(404)
    expect(unknown.json.errors[0].code).toBe('invalid_request')
    expect((await impersonate(support, own, {})).status).toBe(400)
    expect((await impersonate(support, own, { userId: 'user_support' })).status).toBe(400)
    expect((await support.call('GET', '/v1/client')).json.data.lastActiveSessionId).toBe(own)
  })

  it('needs the CSRF header', async () => {
    const res = await impersonate(support, own, { userId: 'user_ada' }, { noCsrf: true })
    expect(res.status).toBe(403)
    expect((await support.call('GET', '/v1/client')).json.data.sessions).toHaveLength(1)
  })

  it('refuses to act from an acting session (no chains), and from a session of another browser', async () => {
    const acting = (await impersonate(support, own, { userId: 'user_ada' })).json.data.lastActiveSessionId
    expect((await impersonate(support, acting, { userId: 'user_alan' })).json.errors[0].code).toBe('forbidden')
    const otherBrowser = server.browser()
    await otherBrowser.signedInSessionId(ADA)
    expect((await impersonate(otherBrowser, own, { userId: 'user_alan' })).json.errors[0].code).toBe('session_not_found')
  })

  it("never outlives the impersonator's own session, and acting again as the same user replaces the earlier acting session", async () => {
    server.close()
    server = makeServer({ SESSIONKIT_MAX_LIFETIME: '30m', SESSIONKIT_INACTIVITY_TIMEOUT: '10m' })
    support = server.browser()
    own = await support.signedInSessionId(SUPPORT)
    const ownEnd = sessionOf((await support.call('GET', '/v1/client')).json.data, own).abandonAt
    // 20 minutes of use: acting from now, the acting session would otherwise last 30 more.
    for (let i = 0; i < 4; i++) {
      server.clock.advance(5 * MINUTE)
      await support.call('POST', `/v1/client/sessions/${own}/touch`)
    }
    const first = (await impersonate(support, own, { userId: 'user_ada' })).json.data
    expect(first.errors).toBeUndefined()
    const acting = first.lastActiveSessionId
    expect(sessionOf(first, acting).abandonAt).toBe(ownEnd)
    await support.call('POST', '/v1/client/active', { body: { sessionId: own } })
    const second = (await impersonate(support, own, { userId: 'user_ada' })).json.data
    expect(sessionOf(second, acting).status).toBe('ended')
    expect(sessionOf(second, second.lastActiveSessionId)).toMatchObject({ userId: 'user_ada', status: 'active' })
  })
})

describe('stopping', () => {
  let support: Browser
  let own: string
  let acting: string
  beforeEach(async () => {
    server = makeServer({ SESSIONKIT_INACTIVITY_TIMEOUT: '10m' })
    support = server.browser()
    own = await support.signedInSessionId(SUPPORT)
    acting = (await impersonate(support, own, { userId: 'user_ada' })).json.data.lastActiveSessionId
  })

  it("ends the acting session and makes the impersonator's own session active again", async () => {
    const res = await stopImpersonating(support, acting)
    expect(res.status).toBe(200)
    const client = res.json.data
    expect(client.lastActiveSessionId).toBe(own)
    expect(sessionOf(client, acting).status).toBe('ended')
    expect(sessionOf(client, own)).toMatchObject({ status: 'active', actor: null })
    // The ended acting session mints nothing any more.
    expect((await support.token(acting)).status).toBe(404)
  })

  it('is idempotent: a repeat answers the same client', async () => {
    await stopImpersonating(support, acting)
    const again = await stopImpersonating(support, acting)
    expect(again.status).toBe(200)
    expect(again.json.data.lastActiveSessionId).toBe(own)
  })

  it("keeps the impersonator's own session alive while they act: activity as the user renews it", async () => {
    for (let i = 0; i < 4; i++) {
      server.clock.advance(5 * MINUTE)
      expect((await support.call('POST', `/v1/client/sessions/${acting}/touch`)).status).toBe(200)
    }
    const client = (await stopImpersonating(support, acting)).json.data
    expect(client.lastActiveSessionId).toBe(own)
    expect(sessionOf(client, own).status).toBe('active')
  })

  it("keeps the impersonator's own session alive when they switch to the acting session, until the expireAt it reports", async () => {
    await support.call('POST', '/v1/client/active', { body: { sessionId: own } })
    server.clock.advance(8 * MINUTE)
    const switched = await support.call('POST', '/v1/client/active', { body: { sessionId: acting } })
    const reportedExpireAt = sessionOf(switched.json.data, acting).expireAt!
    server.clock.advance(3 * MINUTE)
    expect(server.clock.time).toBeLessThan(reportedExpireAt)
    expect((await support.call('POST', `/v1/client/sessions/${acting}/touch`)).status).toBe(200)
    expect(sessionOf((await support.call('GET', '/v1/client')).json.data, own).status).toBe('active')
  })

  it('renews and returns to the own session acting started from, not a newer own session of the impersonator', async () => {
    // The API keeps one own session per user and client (a sign-in replaces the earlier); planted so the two differ.
    server.db.run(
      `INSERT INTO sessions (id, client_id, user_id, status, created_at, updated_at, last_active_at, expire_at, abandon_at)
       SELECT 'sess_newer', client_id, user_id, 'active', created_at + 1, updated_at, last_active_at, expire_at, abandon_at
       FROM sessions WHERE id = ?`,
      [own],
    )
    for (let i = 0; i < 2; i++) {
      server.clock.advance(6 * MINUTE)
      expect((await support.call('POST', `/v1/client/sessions/${acting}/touch`)).status).toBe(200)
    }
    const client = (await stopImpersonating(support, acting)).json.data
    expect(client.lastActiveSessionId).toBe(own)
    expect(sessionOf(client, own).status).toBe('active')
  })

  it('refuses a session nobody acts in with 400', async () => {
    const res = await stopImpersonating(support, own)
    expect(res.status).toBe(400)
    expect(res.json.errors[0].code).toBe('invalid_request')
  })
})

describe('an existing data dir from before the support user', () => {
  it('gets the support user on the next start, and keeps its other users as they are', async () => {
    server = makeServer()
    server.db.run("DELETE FROM users WHERE id = 'user_support'")
    server.db.run("UPDATE users SET first_name = 'Augusta' WHERE id = 'user_ada'")
    server.restart()
    expect((await server.browser().signIn(SUPPORT)).status).toBe(200)
    const ada = (await server.browser().signIn(ADA)).json.data.sessions[0]
    expect(ada.user.firstName).toBe('Augusta')
  })
})
