import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ALAN, makeServer, type TestServer } from './helpers'

let server: TestServer
beforeEach(() => {
  server = makeServer()
})
afterEach(() => server.close())

describe('client and envelope', () => {
  it('answers an empty client to a new browser, and creates it with a first-party HttpOnly cookie at sign-in', async () => {
    const browser = server.browser()
    const res = await browser.call('GET', '/v1/client')
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.json).toEqual({
      data: {
        id: expect.stringMatching(/^client_/),
        sessions: [],
        lastActiveSessionId: null,
        policy: { inactivityTimeoutMs: 7 * 86_400_000, maxLifetimeMs: 7 * 86_400_000, multiSession: true, singleDevice: false },
        tokenLifetimeMs: 60_000,
      },
      serverNow: server.clock.time,
    })
    // Reading writes nothing: the client and its cookie come with the first sign-in.
    expect(res.setCookie).toBeUndefined()
    const signIn = await browser.signIn(ALAN)
    expect(signIn.setCookie).toMatch(/^sessionkit_client=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=604800; HttpOnly; SameSite=Lax$/)

    const again = await browser.call('GET', '/v1/client')
    expect(again.json.data.id).toBe(signIn.json.data.id)
  })

  it('uses a __Host- Secure cookie on https', async () => {
    const res = await server.browser('https://app.example').signIn(ALAN)
    expect(res.setCookie).toMatch(/^__Host-sessionkit_client=.+; Path=\/; Max-Age=604800; HttpOnly; SameSite=Lax; Secure$/)
  })

  it('reads the __Host- cookie on a plain-http request too: a server render behind TLS forwards it over http', async () => {
    const browser = server.browser('https://app.example')
    const sessionId = await browser.signedInSessionId()
    expect(browser.cookie).toMatch(/^__Host-sessionkit_client=/)
    // The app's server asks for the snapshot over plain http, forwarding only the browser's cookie header.
    const response = await server.handler(new Request('http://localhost/v1/client', { headers: { cookie: browser.cookie! } }), { remoteAddress: '10.0.0.1' })
    const { data } = await response.json()
    expect(data.lastActiveSessionId).toBe(sessionId)
  })

  it('re-sends a __Host- cookie read over plain http as the same __Host- Secure cookie, never as a plain one', async () => {
    const browser = server.browser('https://app.example')
    await browser.signedInSessionId()
    const hostCookie = browser.cookie!
    const response = await server.handler(new Request('http://localhost/v1/client', { headers: { cookie: hostCookie } }), { remoteAddress: '10.0.0.1' })
    const setCookie = response.headers.getSetCookie()
    expect(setCookie).toEqual([`${hostCookie}; Path=/; Max-Age=604800; HttpOnly; SameSite=Lax; Secure`])
  })

  it('over plain http, skips a stale __Host- cookie for the valid plain one (Chrome sends Secure cookies to http://localhost)', async () => {
    const browser = server.browser()
    const sessionId = await browser.signedInSessionId()
    const plainCookie = browser.cookie!
    browser.cookie = `__Host-sessionkit_client=${'A'.repeat(43)}; ${plainCookie}`
    const res = await browser.call('GET', '/v1/client')
    expect(res.json.data.lastActiveSessionId).toBe(sessionId)
    expect(res.setCookie).toMatch(new RegExp(`^${plainCookie}; Path=/; Max-Age=604800; HttpOnly; SameSite=Lax$`))
  })

  it('bases Max-Age on the inactivity timeout when the maximum lifetime is off', async () => {
    const other = makeServer({ SESSIONKIT_MAX_LIFETIME: 'off', SESSIONKIT_INACTIVITY_TIMEOUT: '2m' })
    try {
      const res = await other.browser().signIn(ALAN)
      expect(res.setCookie).toContain('Max-Age=120;')
    } finally {
      other.close()
    }
  })

  it('answers an unknown or forged cookie with an empty client, and a new cookie at sign-in', async () => {
    const browser = server.browser()
    browser.cookie = 'sessionkit_client=' + 'A'.repeat(43)
    const res = await browser.call('GET', '/v1/client')
    expect(res.json.data.sessions).toEqual([])
    await browser.signIn(ALAN)
    expect(browser.cookie).not.toBe('sessionkit_client=' + 'A'.repeat(43))
  })

  it('answers unknown endpoints and wrong methods with the error envelope', async () => {
    const browser = server.browser()
    const missing = await browser.call('GET', '/v1/nope')
    expect(missing.status).toBe(404)
    expect(missing.json).toEqual({ errors: [{ code: 'invalid_request', message: expect.any(String) }], serverNow: server.clock.time })
    const wrong = await browser.call('PUT', '/v1/client')
    expect(wrong.status).toBe(405)
    expect(wrong.headers.get('allow')).toBe('GET')
    expect((await browser.call('GET', '/__test/clock')).status).toBe(404)
  })

  it('rejects malformed bodies with 400 invalid_request', async () => {
    const browser = server.browser()
    const res = await browser.call('POST', '/v1/client/sign_ins', { body: { identifier: 42 } })
    expect(res.status).toBe(400)
    expect(res.json.errors[0].code).toBe('invalid_request')
    const notJson = await server.handler(
      new Request('http://localhost/v1/client/sign_ins', { method: 'POST', headers: { 'x-sessionkit-client': '1' }, body: '{' }),
    )
    expect(notJson.status).toBe(400)
  })
})

describe('CSRF guard', () => {
  it('rejects every POST and DELETE without X-SessionKit-Client: 1 with 403 forbidden', async () => {
    const browser = server.browser()
    const sessionId = await browser.signedInSessionId()
    for (const [method, route] of [
      ['POST', '/v1/client/sign_ins'],
      ['POST', `/v1/client/sessions/${sessionId}/touch`],
      ['POST', `/v1/client/sessions/${sessionId}/tokens`],
      ['POST', `/v1/client/sessions/${sessionId}/end`],
      ['POST', '/v1/client/active'],
      ['DELETE', '/v1/client/sessions'],
    ] as const) {
      const res = await browser.call(method, route, { noCsrf: true, body: {} })
      expect(res.status, route).toBe(403)
      expect(res.json.errors[0].code).toBe('forbidden')
    }
    const wrongValue = await browser.call('DELETE', '/v1/client/sessions', { noCsrf: true, headers: { 'x-sessionkit-client': 'yes' } })
    expect(wrongValue.status).toBe(403)
    // Nothing happened.
    expect((await browser.call('GET', '/v1/client')).json.data.sessions[0].status).toBe('active')
  })
})

describe('sign-in and multi-session', () => {
  it('signs in with a new active session and the full user', async () => {
    const res = await server.browser().signIn()
    expect(res.status).toBe(200)
    const { data } = res.json
    const [session] = data.sessions
    expect(data.lastActiveSessionId).toBe(session.id)
    const now = server.clock.time
    expect(session).toMatchObject({
      id: expect.stringMatching(/^sess_/),
      userId: 'user_ada',
      status: 'active',
      createdAt: now,
      updatedAt: now,
      lastActiveAt: now,
      expireAt: now + 7 * 86_400_000,
      abandonAt: now + 7 * 86_400_000,
      // Ada has a second factor she did not give at sign-in.
      factorVerificationAge: [0, 100_000],
      actor: null,
      lastActiveOrganizationId: 'org_acme',
      publicUserData: { firstName: 'Ada', lastName: 'Lovelace', identifier: 'ada@example.com', imageUrl: null },
    })
    expect(session.user.organizationMemberships).toContainEqual({
      organization: { id: 'org_acme', name: 'Acme Inc.', slug: 'acme' },
      role: 'org:admin',
      permissions: expect.arrayContaining(['org:invoices:read', 'org:invoices:delete']),
    })
  })

  it('verifies the second factor at sign-in when a code is given', async () => {
    const res = await server.browser().signIn(undefined, { code: '424242' })
    expect(res.json.data.sessions[0].factorVerificationAge).toEqual([0, 0])
    const wrong = await server.browser().signIn(undefined, { code: '000000' })
    expect(wrong.status).toBe(422)
  })

  it('rejects a wrong password or unknown user with 422 invalid_credentials (not 401: that would sign out)', async () => {
    for (const who of [{ identifier: 'ada@example.com', password: 'nope' }, { identifier: 'nobody@example.com', password: 'password' }]) {
      const res = await server.browser().signIn(who)
      expect(res.status).toBe(422)
      expect(res.json.errors[0]).toEqual({ code: 'invalid_credentials', message: 'The email or password is incorrect.' })
    }
  })

  it('keeps other users’ sessions and replaces the same user’s', async () => {
    const browser = server.browser()
    const ada1 = await browser.signedInSessionId()
    const alan = await browser.signedInSessionId(ALAN)
    const ada2 = await browser.signedInSessionId()
    const { data } = (await browser.call('GET', '/v1/client')).json
    expect(data.lastActiveSessionId).toBe(ada2)
    expect(data.sessions.map((s: { id: string; status: string }) => [s.id, s.status])).toEqual([
      [ada1, 'replaced'],
      [alan, 'active'],
      [ada2, 'active'],
    ])
  })

  it('lets support staff impersonate, visible as actor', async () => {
    const res = await server.browser().signIn({ identifier: 'grace@example.com', password: 'password' }, { actAs: 'alan@example.com' })
    expect(res.json.data.sessions[0]).toMatchObject({ userId: 'user_alan', actor: { sub: 'user_grace' } })
    const denied = await server.browser().signIn(ALAN, { actAs: 'ada@example.com' })
    expect(denied.status).toBe(403)
  })
})

describe('switching, ending and removing', () => {
  it('sets the active session and organization', async () => {
    const browser = server.browser()
    const ada = await browser.signedInSessionId()
    await browser.signedInSessionId(ALAN)
    server.clock.advance(1000)
    const res = await browser.call('POST', '/v1/client/active', { body: { sessionId: ada, organizationId: 'org_globex' } })
    expect(res.status).toBe(200)
    expect(res.json.data.lastActiveSessionId).toBe(ada)
    const session = res.json.data.sessions.find((s: { id: string }) => s.id === ada)
    expect(session.lastActiveOrganizationId).toBe('org_globex')
    expect(session.lastActiveAt).toBe(server.clock.time)

    const notMember = await browser.call('POST', '/v1/client/active', { body: { sessionId: ada, organizationId: 'org_nope' } })
    expect(notMember.status).toBe(403)
    expect(notMember.json.errors[0].code).toBe('forbidden')
    const unknown = await browser.call('POST', '/v1/client/active', { body: { sessionId: 'sess_nope' } })
    expect(unknown.status).toBe(404)
    expect(unknown.json.errors[0].code).toBe('session_not_found')
    const none = await browser.call('POST', '/v1/client/active', { body: { sessionId: null } })
    expect(none.json.data.lastActiveSessionId).toBeNull()
  })

  it('ends one session (listed as ended, idempotent), then answers 404 for it', async () => {
    const browser = server.browser()
    const id = await browser.signedInSessionId()
    const res = await browser.call('POST', `/v1/client/sessions/${id}/end`)
    expect(res.status).toBe(200)
    expect(res.json.data.lastActiveSessionId).toBeNull()
    expect(res.json.data.sessions[0].status).toBe('ended')
    expect((await browser.call('POST', `/v1/client/sessions/${id}/end`)).status).toBe(200)
    const touch = await browser.call('POST', `/v1/client/sessions/${id}/touch`)
    expect(touch.status).toBe(404)
    expect(touch.json.errors[0].code).toBe('session_not_found')
    expect((await browser.token(id)).status).toBe(404)
  })

  it('removes a session from the client', async () => {
    const browser = server.browser()
    const id = await browser.signedInSessionId()
    const res = await browser.call('POST', `/v1/client/sessions/${id}/remove`)
    expect(res.json.data.sessions).toEqual([])
    expect((await browser.call('POST', `/v1/client/sessions/${id}/remove`)).status).toBe(404)
  })

  it('ends every session with DELETE /v1/client/sessions', async () => {
    const browser = server.browser()
    await browser.signedInSessionId()
    await browser.signedInSessionId(ALAN)
    const res = await browser.call('DELETE', '/v1/client/sessions')
    expect(res.json.data.lastActiveSessionId).toBeNull()
    expect(res.json.data.sessions.map((s: { status: string }) => s.status)).toEqual(['ended', 'ended'])
  })

  it('never shows one browser’s session to another', async () => {
    const id = await server.browser().signedInSessionId()
    const stranger = server.browser()
    expect((await stranger.call('POST', `/v1/client/sessions/${id}/touch`)).status).toBe(404)
    expect((await stranger.call('POST', `/v1/client/sessions/${id}/end`)).status).toBe(404)
  })
})
