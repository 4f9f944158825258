import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../server/db'
import { makeDataDir, makeServer, type TestServer } from './helpers'

const MIN = 60_000
let server: TestServer | undefined
afterEach(() => server?.close())

describe('inactivity timeout', () => {
  it('touch renews expireAt; minting a token does not', async () => {
    server = makeServer({ SESSIONKIT_INACTIVITY_TIMEOUT: '10m', SESSIONKIT_MAX_LIFETIME: '1h' })
    const browser = server.browser()
    const id = await browser.signedInSessionId()
    const signedInAt = server.clock.time

    server.clock.advance(4 * MIN)
    expect((await browser.token(id)).status).toBe(200)
    let session = (await browser.call('GET', '/v1/client')).json.data.sessions[0]
    expect(session.expireAt).toBe(signedInAt + 10 * MIN)
    expect(session.lastActiveAt).toBe(signedInAt)

    const touched = await browser.call('POST', `/v1/client/sessions/${id}/touch`)
    expect(touched.status).toBe(200)
    expect(touched.json.data).toMatchObject({ id, status: 'active', lastActiveAt: server.clock.time, expireAt: server.clock.time + 10 * MIN })
    expect(touched.json.serverNow).toBe(server.clock.time)

    server.clock.advance(10 * MIN - 1)
    session = (await browser.call('GET', '/v1/client')).json.data.sessions[0]
    expect(session.status).toBe('active')
  })

  it('expires lazily at expireAt: touch and mint answer 401 session_expired', async () => {
    server = makeServer({ SESSIONKIT_INACTIVITY_TIMEOUT: '10m', SESSIONKIT_MAX_LIFETIME: '1h' })
    const browser = server.browser()
    const id = await browser.signedInSessionId()
    server.clock.advance(10 * MIN)

    const expireAt = server.clock.time
    server.clock.advance(5_000)
    const client = (await browser.call('GET', '/v1/client')).json.data
    // Noticed late, dated on time.
    expect(client.sessions[0]).toMatchObject({ status: 'expired', updatedAt: expireAt })
    expect(client.lastActiveSessionId).toBeNull()
    for (const res of [await browser.call('POST', `/v1/client/sessions/${id}/touch`), await browser.token(id)]) {
      expect(res.status).toBe(401)
      expect(res.json.errors[0].code).toBe('session_expired')
    }
    // Signing out of an expired session still succeeds and keeps the reason.
    const ended = await browser.call('POST', `/v1/client/sessions/${id}/end`)
    expect(ended.status).toBe(200)
    expect(ended.json.data.sessions[0].status).toBe('expired')
  })

  it('keeps a lapsed session expired when the first request after the deadline is a sign-out', async () => {
    server = makeServer({ SESSIONKIT_INACTIVITY_TIMEOUT: '10m', SESSIONKIT_MAX_LIFETIME: '1h' })
    const browser = server.browser()
    const id = await browser.signedInSessionId()
    server.clock.advance(10 * MIN + 1_000)
    const ended = await browser.call('POST', `/v1/client/sessions/${id}/end`)
    expect(ended.json.data.sessions[0].status).toBe('expired')
    const touched = await browser.call('POST', `/v1/client/sessions/${id}/touch`)
    expect(touched.json.errors[0].code).toBe('session_expired')
  })

  it('reports expireAt null when the inactivity timeout is off', async () => {
    server = makeServer({ SESSIONKIT_INACTIVITY_TIMEOUT: 'off', SESSIONKIT_MAX_LIFETIME: '1h' })
    const browser = server.browser()
    const id = await browser.signedInSessionId()
    const touched = await browser.call('POST', `/v1/client/sessions/${id}/touch`)
    expect(touched.json.data.expireAt).toBeNull()
    expect(touched.json.data.abandonAt).toBe(server.clock.time + 60 * MIN)
  })
})

describe('maximum lifetime', () => {
  it('touch never moves expireAt past abandonAt, and the session is abandoned there', async () => {
    server = makeServer({ SESSIONKIT_INACTIVITY_TIMEOUT: '10m', SESSIONKIT_MAX_LIFETIME: '15m' })
    const browser = server.browser()
    const id = await browser.signedInSessionId()
    const abandonAt = server.clock.time + 15 * MIN

    server.clock.advance(9 * MIN)
    const touched = (await browser.call('POST', `/v1/client/sessions/${id}/touch`)).json.data
    expect(touched.abandonAt).toBe(abandonAt)
    expect(touched.expireAt).toBe(abandonAt)

    server.clock.advance(6 * MIN)
    const res = await browser.call('POST', `/v1/client/sessions/${id}/touch`)
    expect(res.status).toBe(401)
    expect(res.json.errors[0]).toEqual({ code: 'session_expired', message: 'The session reached its maximum lifetime: sign in again.' })
    expect((await browser.call('GET', '/v1/client')).json.data.sessions[0]).toMatchObject({ status: 'abandoned', updatedAt: abandonAt })
  })

  it('abandons with the inactivity timeout off', async () => {
    server = makeServer({ SESSIONKIT_INACTIVITY_TIMEOUT: 'off', SESSIONKIT_MAX_LIFETIME: '2m' })
    const browser = server.browser()
    const id = await browser.signedInSessionId()
    server.clock.advance(2 * MIN)
    expect((await browser.token(id)).json.errors[0].code).toBe('session_expired')
    expect((await browser.call('GET', '/v1/client')).json.data.sessions[0]).toMatchObject({ status: 'abandoned', expireAt: null })
  })

  it('reports expired, not abandoned, when inactivity ran out first', async () => {
    server = makeServer({ SESSIONKIT_INACTIVITY_TIMEOUT: '10m', SESSIONKIT_MAX_LIFETIME: '15m' })
    const browser = server.browser()
    await browser.signedInSessionId()
    server.clock.advance(20 * MIN)
    expect((await browser.call('GET', '/v1/client')).json.data.sessions[0].status).toBe('expired')
  })
})

describe('persistence', () => {
  it('keeps clients, sessions and the signing key across a restart', async () => {
    server = makeServer()
    const browser = server.browser()
    const id = await browser.signedInSessionId()
    const jwks = (await browser.call('GET', '/.well-known/jwks.json')).json.keys
    const token = (await browser.token(id)).json.data.jwt

    server.restart()

    const client = (await browser.call('GET', '/v1/client')).json.data
    expect(client.lastActiveSessionId).toBe(id)
    expect(client.sessions[0].status).toBe('active')
    expect((await browser.call('GET', '/.well-known/jwks.json')).json.keys).toEqual(jwks)
    const me = await browser.call('GET', '/api/me', { headers: { authorization: `Bearer ${token}` } })
    expect(me.status).toBe(200)
  })
})

describe('data dir ownership', () => {
  it('refuses a second server on the same data dir', () => {
    server = makeServer()
    expect(() => openDatabase(server!.dir)).toThrow(/Another sessionkit server \(pid \d+\) is using/)
  })

  it('recovers from a lock left by a server that crashed', async () => {
    server = makeServer()
    const browser = server.browser()
    const id = await browser.signedInSessionId()
    // What a killed server leaves behind: its WAL, its lock directory and its pid file.
    const crashed = makeDataDir()
    fs.cpSync(server.dir, crashed, { recursive: true })
    fs.writeFileSync(path.join(crashed, 'server.pid'), '999999999')
    expect(fs.existsSync(path.join(crashed, 'sessionkit.db.lock'))).toBe(true)
    const revived = makeServer({}, crashed)
    try {
      const again = revived.browser()
      again.cookie = browser.cookie
      expect((await again.call('GET', '/v1/client')).json.data.lastActiveSessionId).toBe(id)
    } finally {
      revived.close()
    }
  })
})
