import { SignJWT, UnsecuredJWT, createLocalJWKSet, decodeProtectedHeader, generateKeyPair, jwtVerify } from 'jose'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ALAN, makeServer, type Browser, type TestServer } from './helpers'

let server: TestServer
let browser: Browser
let sessionId: string
beforeEach(async () => {
  server = makeServer()
  browser = server.browser()
  sessionId = await browser.signedInSessionId()
})
afterEach(() => server.close())

const bearer = (jwt: string) => ({ headers: { authorization: `Bearer ${jwt}` } })

describe('token minting', () => {
  it('mints an ES256 JWT that verifies against the JWKS', async () => {
    const res = await browser.token(sessionId)
    expect(res.status).toBe(200)
    expect(res.json).toEqual({ data: { jwt: expect.any(String) }, serverNow: server.clock.time })
    const { jwt } = res.json.data

    const jwks = (await browser.call('GET', '/.well-known/jwks.json')).json
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: expect.any(String) })
    expect(jwks.keys[0].d).toBeUndefined()
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'ES256', kid: jwks.keys[0].kid, typ: 'JWT' })

    const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks), {
      issuer: 'sessionkit',
      algorithms: ['ES256'],
      currentDate: new Date(server.clock.time),
    })
    const iat = Math.floor(server.clock.time / 1000)
    expect(payload).toEqual({
      sid: sessionId,
      sub: 'user_ada',
      iss: 'sessionkit',
      iat,
      nbf: iat,
      exp: iat + 60,
      org_id: 'org_acme',
      org_slug: 'acme',
      org_role: 'org:admin',
      org_permissions: expect.arrayContaining(['org:invoices:read', 'org:invoices:delete']),
    })
  })

  it('mints for a requested organization, none, or refuses a foreign one', async () => {
    const globex = await browser.token(sessionId, undefined, { organizationId: 'org_globex' })
    const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString())
    expect(claims(globex.json.data.jwt)).toMatchObject({ org_id: 'org_globex', org_role: 'org:member', org_permissions: ['org:invoices:read', 'org:invoices:create'] })
    const personal = await browser.token(sessionId, undefined, { organizationId: null })
    expect(claims(personal.json.data.jwt).org_id).toBeUndefined()
    const foreign = await browser.token(sessionId, undefined, { organizationId: 'org_nope' })
    expect(foreign.status).toBe(403)
    expect(foreign.json.errors[0].code).toBe('forbidden')
  })

  it('adds template claims, and rejects unknown templates with 422', async () => {
    const res = await browser.token(sessionId, 'profile')
    const payload = JSON.parse(Buffer.from(res.json.data.jwt.split('.')[1], 'base64url').toString())
    expect(payload).toMatchObject({ email: 'ada@example.com', name: 'Ada Lovelace', sid: sessionId })
    const unknown = await browser.token(sessionId, 'nope')
    expect(unknown.status).toBe(422)
    expect(unknown.json.errors[0].code).toBe('invalid_request')
  })

  it('answers 422 for template names that only exist on Object.prototype, never a token of the user row', async () => {
    const unknown = (await browser.token(sessionId, 'nope')).json
    for (const name of ['constructor', '__proto__', 'valueOf', 'toString', 'hasOwnProperty', 'isPrototypeOf', 'toLocaleString']) {
      const res = await browser.token(sessionId, name)
      expect(res.status, name).toBe(422)
      expect(res.json.errors[0].code, name).toBe('invalid_request')
      expect(res.json.errors[0].message, name).toBe(unknown.errors[0].message.replace('"nope"', `"${name}"`))
      expect(res.text, name).not.toMatch(/password_hash|totp_code|can_impersonate|jwt/)
    }
  })

  it('never outlives the session, and carries act when impersonated', async () => {
    const short = makeServer({ SESSIONKIT_INACTIVITY_TIMEOUT: '30s' })
    try {
      const b = short.browser()
      const res = await b.signIn({ identifier: 'grace@example.com', password: 'password' }, { actAs: 'alan@example.com' })
      const id = res.json.data.lastActiveSessionId
      const payload = JSON.parse(Buffer.from((await b.token(id)).json.data.jwt.split('.')[1], 'base64url').toString())
      expect(payload.exp - payload.iat).toBe(30)
      expect(payload).toMatchObject({ sub: 'user_alan', act: { sub: 'user_grace' } })
    } finally {
      short.close()
    }
  })
})

describe('GET /api/me', () => {
  it('answers for a valid token of a live session', async () => {
    const jwt = (await browser.token(sessionId)).json.data.jwt
    const res = await browser.call('GET', '/api/me', bearer(jwt))
    expect(res.status).toBe(200)
    expect(res.json.data).toMatchObject({ userId: 'user_ada', sessionId, orgId: 'org_acme', claims: { sid: sessionId } })
    expect(res.json.serverNow).toBe(server.clock.time)
  })

  it('rejects a missing token, alg none, a wrong key, a wrong issuer and an expired token with 401', async () => {
    const jwt = (await browser.token(sessionId)).json.data.jwt
    const { kid } = decodeProtectedHeader(jwt)
    const now = Math.floor(server.clock.time / 1000)
    const claims = { sid: sessionId, sub: 'user_ada' }
    const none = new UnsecuredJWT(claims).setIssuer('sessionkit').setIssuedAt(now).setExpirationTime(now + 60).encode()
    const { privateKey } = await generateKeyPair('ES256')
    const sign = (issuer: string) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid }).setIssuer(issuer).setIssuedAt(now).setExpirationTime(now + 60).sign(privateKey)

    const missing = await browser.call('GET', '/api/me')
    expect(missing.status).toBe(401)
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/)
    for (const token of [none, await sign('sessionkit'), 'not.a.jwt', `${jwt.slice(0, -4)}AAAA`]) {
      const res = await browser.call('GET', '/api/me', bearer(token))
      expect(res.status, token).toBe(401)
      expect(res.json.errors[0].code).toBe('unauthenticated')
    }
    const other = makeServer({ SESSIONKIT_ISSUER: 'someone-else' })
    try {
      const b = other.browser()
      const foreign = (await b.token(await b.signedInSessionId())).json.data.jwt
      expect((await browser.call('GET', '/api/me', bearer(foreign))).status).toBe(401)
    } finally {
      other.close()
    }
    server.clock.advance(60_000)
    const expired = await browser.call('GET', '/api/me', bearer(jwt))
    expect(expired.status).toBe(401)
    expect(expired.json.errors[0].message).toMatch(/expired/)
  })

  it('rejects a valid token once its session has ended or expired', async () => {
    const jwt = (await browser.token(sessionId)).json.data.jwt
    await browser.call('POST', `/v1/client/sessions/${sessionId}/end`)
    const ended = await browser.call('GET', '/api/me', bearer(jwt))
    expect(ended.status).toBe(401)
    expect(ended.json.errors[0].code).toBe('unauthenticated')

    const id = await browser.signedInSessionId(ALAN)
    const alanJwt = (await browser.token(id)).json.data.jwt
    // A token never outlives its session's deadline, so pull the deadline in behind the server's back.
    server.db.run('UPDATE sessions SET expire_at = ? WHERE id = ?', [server.clock.time, id])
    const lapsed = await browser.call('GET', '/api/me', bearer(alanJwt))
    expect(lapsed.status).toBe(401)
    expect(lapsed.json.errors[0].code).toBe('session_expired')
  })
})

describe('reverification', () => {
  const sensitive = async () => browser.call('GET', '/api/sensitive', bearer((await browser.token(sessionId)).json.data.jwt))

  it('asks Ada (second factor, not given) to reverify, then lets her through after a code', async () => {
    const denied = await sensitive()
    expect(denied.status).toBe(403)
    expect(denied.json.errors).toEqual([
      { code: 'reverification_required', message: expect.any(String), meta: { level: 'second_factor', afterMinutes: 10 } },
    ])
    const wrong = await browser.call('POST', `/v1/client/sessions/${sessionId}/verify`, { body: { strategy: 'totp', code: '111111' } })
    expect(wrong.status).toBe(422)
    expect(wrong.json.errors[0].code).toBe('invalid_credentials')

    server.clock.advance(3 * 60_000)
    const verified = await browser.call('POST', `/v1/client/sessions/${sessionId}/verify`, { body: { strategy: 'totp', code: '424242' } })
    expect(verified.status).toBe(200)
    expect(verified.json.data).toMatchObject({ id: sessionId, factorVerificationAge: [3, 0] })
    expect((await sensitive()).status).toBe(200)

    server.clock.advance(10 * 60_000)
    expect((await sensitive()).status).toBe(403)
  })

  it('lets a user without a second factor through on a recent password', async () => {
    const id = await browser.signedInSessionId(ALAN)
    const call = async () => browser.call('GET', '/api/sensitive', bearer((await browser.token(id)).json.data.jwt))
    expect((await call()).status).toBe(200)
    server.clock.advance(10 * 60_000)
    expect((await call()).status).toBe(403)
    const totp = await browser.call('POST', `/v1/client/sessions/${id}/verify`, { body: { strategy: 'totp', code: '424242' } })
    expect(totp.status).toBe(422)
    const bad = await browser.call('POST', `/v1/client/sessions/${id}/verify`, { body: { strategy: 'password', password: 'x' } })
    expect(bad.status).toBe(422)
    const res = await browser.call('POST', `/v1/client/sessions/${id}/verify`, { body: { strategy: 'password', password: 'password' } })
    expect(res.json.data.factorVerificationAge).toEqual([0, -1])
    expect((await call()).status).toBe(200)
  })

  it('rejects a bad strategy and an unknown session', async () => {
    expect((await browser.call('POST', `/v1/client/sessions/${sessionId}/verify`, { body: { strategy: 'sms' } })).status).toBe(400)
    const unknown = await browser.call('POST', '/v1/client/sessions/sess_nope/verify', { body: { strategy: 'password', password: 'password' } })
    expect(unknown.status).toBe(404)
  })
})
