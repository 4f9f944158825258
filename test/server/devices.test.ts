import sqlite from 'node-sqlite3-wasm'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../server/db'
import { ADA, ALAN, makeDataDir, makeServer, removeDir, type Browser, type TestServer } from './helpers'

const MIN = 60_000
// Real User-Agent strings, as Chrome and Firefox on Linux send them.
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36'
const FIREFOX = 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0'
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1'

let server: TestServer | undefined
afterEach(() => {
  server?.close()
  server = undefined
})

async function signInOn(browser: Browser, who = ADA, userAgent = CHROME, ip = '10.0.0.1'): Promise<string> {
  const res = await browser.call('POST', '/v1/client/sign_ins', { body: who, headers: { 'user-agent': userAgent }, ip })
  expect(res.status).toBe(200)
  return res.json.data.lastActiveSessionId as string
}

const list = (browser: Browser) => browser.call('GET', '/v1/me/sessions')
const revoke = (browser: Browser, id: string) => browser.call('POST', `/v1/me/sessions/${id}/revoke`)
const ids = (sessions: { id: string }[]) => sessions.map((s) => s.id)

describe('GET /v1/me/sessions', () => {
  it('lists the user’s sessions on every device with a label from the User-Agent, IP, times and "this device"', async () => {
    server = makeServer()
    const laptop = server.browser()
    const desktop = server.browser()
    const onLaptop = await signInOn(laptop, ADA, CHROME, '10.0.0.1')
    server.clock.advance(MIN)
    const onDesktop = await signInOn(desktop, ADA, FIREFOX, '::ffff:192.0.2.4')
    const signedInAt = server.clock.time
    await signInOn(server.browser(), ALAN, SAFARI_IPHONE)

    server.clock.advance(MIN)
    // A touch is activity: last-active and the address move.
    expect((await laptop.call('POST', `/v1/client/sessions/${onLaptop}/touch`, { ip: '10.0.0.9' })).status).toBe(200)

    const res = await list(desktop)
    expect(res.status).toBe(200)
    expect(res.json).toEqual({
      data: [
        { id: onDesktop, status: 'active', device: 'Firefox 140 on Linux', ip: '192.0.2.4', createdAt: signedInAt, lastActiveAt: signedInAt, isCurrent: true },
        { id: onLaptop, status: 'active', device: 'Chrome 156 on Linux', ip: '10.0.0.9', createdAt: signedInAt - MIN, lastActiveAt: server.clock.time, isCurrent: false },
      ],
      serverNow: server.clock.time,
    })
  })

  it('labels other browsers and unreadable agents', async () => {
    server = makeServer()
    const phone = server.browser()
    await signInOn(phone, ADA, SAFARI_IPHONE)
    expect((await list(phone)).json.data[0].device).toBe('Safari 17 on iOS')
    const script = server.browser()
    await script.call('POST', '/v1/client/sign_ins', { body: ADA })
    expect((await list(script)).json.data.find((s: { isCurrent: boolean }) => s.isCurrent).device).toBe('Unknown device')
  })

  it('takes the address from X-Forwarded-For only behind a trusted proxy', async () => {
    for (const [trust, expected] of [['1', '203.0.113.7'], ['0', '10.0.0.1']] as const) {
      const proxied = makeServer({ SESSIONKIT_TRUST_PROXY: trust })
      try {
        const browser = proxied.browser()
        await browser.call('POST', '/v1/client/sign_ins', { body: ADA, headers: { 'x-forwarded-for': '203.0.113.7' }, ip: '10.0.0.1' })
        expect((await list(browser)).json.data[0].ip).toBe(expected)
      } finally {
        proxied.close()
      }
    }
  })

  it('needs a signed-in session on this browser, and leaves out sessions that ended', async () => {
    server = makeServer({ SESSIONKIT_INACTIVITY_TIMEOUT: '10m' })
    const stranger = server.browser()
    const res = await list(stranger)
    expect(res.status).toBe(401)
    expect(res.json.errors[0].code).toBe('unauthenticated')

    const idle = server.browser()
    await signInOn(idle)
    server.clock.advance(9 * MIN)
    const active = server.browser()
    const current = await signInOn(active)
    server.clock.advance(2 * MIN)
    // The idle one expired meanwhile: not listed, and it keeps its reason.
    expect(ids((await list(active)).json.data)).toEqual([current])
    expect((await idle.call('GET', '/v1/client')).json.data.sessions[0].status).toBe('expired')
  })
})

describe('POST /v1/me/sessions/:id/revoke', () => {
  it('revokes a session on another device: its page learns on the next request, its token is refused at once', async () => {
    server = makeServer()
    const other = server.browser()
    const here = server.browser()
    const otherId = await signInOn(other, ADA, FIREFOX)
    const token = (await other.token(otherId)).json.data.jwt
    const auth = { headers: { authorization: `Bearer ${token}` } }
    expect((await other.call('GET', '/api/me', auth)).status).toBe(200)
    const hereId = await signInOn(here)

    const res = await revoke(here, otherId)
    expect(res.status).toBe(200)
    expect(ids(res.json.data)).toEqual([hereId])

    // No clock moved: the still-unexpired token is refused from the moment of revocation.
    const me = await other.call('GET', '/api/me', auth)
    expect(me.status).toBe(401)
    expect(me.json.errors[0]).toEqual({ code: 'unauthenticated', message: 'The session was revoked: sign in again.' })
    for (const answer of [await other.call('POST', `/v1/client/sessions/${otherId}/touch`), await other.token(otherId)]) {
      expect(answer.status).toBe(404)
      expect(answer.json.errors[0].code).toBe('session_not_found')
    }
    const client = (await other.call('GET', '/v1/client')).json.data
    expect(client).toMatchObject({ lastActiveSessionId: null, sessions: [{ id: otherId, status: 'revoked' }] })

    // Idempotent: again answers the same list.
    const again = await revoke(here, otherId)
    expect(again.status).toBe(200)
    expect(again.json.data).toEqual(res.json.data)
  })

  it('answers another user’s session exactly like one that does not exist: 404, and it stays signed in', async () => {
    server = makeServer()
    const ada = server.browser()
    const alan = server.browser()
    await signInOn(ada)
    const alanId = await signInOn(alan, ALAN)
    // Multi-session: Alan is also signed in on Ada's browser, but not as the active session.
    const alanOnAdasBrowser = await signInOn(ada, ALAN)
    await ada.call('POST', '/v1/client/active', {
      body: { sessionId: (await ada.call('GET', '/v1/client')).json.data.sessions[0].id },
    })

    const foreign = await revoke(ada, alanId)
    const sameBrowser = await revoke(ada, alanOnAdasBrowser)
    const madeUp = await revoke(ada, 'sess_doesnotexist')
    for (const res of [foreign, sameBrowser, madeUp]) {
      expect(res.status).toBe(404)
      expect(res.json.errors).toEqual(madeUp.json.errors)
    }
    expect(madeUp.json.errors[0].code).toBe('session_not_found')
    expect((await alan.call('POST', `/v1/client/sessions/${alanId}/touch`)).status).toBe(200)
    expect(ids((await list(ada)).json.data)).not.toContain(alanId)
  })

  it('refuses to revoke this browser’s own session (that is signing out)', async () => {
    server = makeServer()
    const browser = server.browser()
    const id = await signInOn(browser)
    const res = await revoke(browser, id)
    expect(res.status).toBe(400)
    expect(res.json.errors[0]).toEqual({ code: 'invalid_request', message: expect.stringMatching(/sign out/) })
    expect((await browser.call('POST', `/v1/client/sessions/${id}/touch`)).status).toBe(200)
  })

  it('needs the CSRF header', async () => {
    server = makeServer()
    const browser = server.browser()
    const other = await signInOn(server.browser())
    await signInOn(browser)
    expect((await browser.call('POST', `/v1/me/sessions/${other}/revoke`, { noCsrf: true })).status).toBe(403)
    expect((await browser.call('POST', '/v1/me/sessions/revoke_others', { noCsrf: true })).status).toBe(403)
    expect((await browser.call('POST', '/v1/me/sign_out_everywhere', { noCsrf: true })).status).toBe(403)
    expect((await list(browser)).json.data).toHaveLength(2)
  })
})

describe('POST /v1/me/sessions/revoke_others', () => {
  it('leaves only the current session of the user; other users keep theirs', async () => {
    server = makeServer()
    const devices = [server.browser(), server.browser(), server.browser()]
    const others = [await signInOn(devices[0]!, ADA, FIREFOX), await signInOn(devices[1]!, ADA, SAFARI_IPHONE)]
    const alan = server.browser()
    const alanId = await signInOn(alan, ALAN)
    const current = await signInOn(devices[2]!)

    const res = await devices[2]!.call('POST', '/v1/me/sessions/revoke_others')
    expect(res.status).toBe(200)
    expect(res.json.data).toEqual([expect.objectContaining({ id: current, isCurrent: true, status: 'active' })])
    for (const [index, id] of others.entries()) {
      expect((await devices[index]!.call('GET', '/v1/client')).json.data.sessions[0]).toMatchObject({ id, status: 'revoked' })
    }
    expect((await alan.call('POST', `/v1/client/sessions/${alanId}/touch`)).status).toBe(200)
  })
})

describe('POST /v1/me/sign_out_everywhere', () => {
  it('ends every session of the user, this one included, and answers this client', async () => {
    server = makeServer()
    const other = server.browser()
    const here = server.browser()
    const alan = server.browser()
    const otherId = await signInOn(other, ADA, FIREFOX)
    const alanId = await signInOn(alan, ALAN)
    const hereId = await signInOn(here)
    const token = (await here.token(hereId)).json.data.jwt

    const res = await here.call('POST', '/v1/me/sign_out_everywhere')
    expect(res.status).toBe(200)
    expect(res.json.data).toMatchObject({ lastActiveSessionId: null, sessions: [{ id: hereId, status: 'ended' }] })
    expect((await other.call('GET', '/v1/client')).json.data.sessions[0]).toMatchObject({ id: otherId, status: 'revoked' })
    expect((await here.call('GET', '/api/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401)
    expect((await alan.call('POST', `/v1/client/sessions/${alanId}/touch`)).status).toBe(200)

    // A retry after a lost answer resolves like the first attempt.
    const retry = await here.call('POST', '/v1/me/sign_out_everywhere')
    expect(retry.status).toBe(200)
    expect(retry.json.data).toEqual(res.json.data)
  })
})

describe('schema upgrade', () => {
  it('adds the device columns to a database from before them, keeping its sessions', () => {
    const dir = makeDataDir()
    try {
      const raw = new sqlite.Database(path.join(dir, 'sessionkit.db'))
      raw.exec(`CREATE TABLE users (id TEXT PRIMARY KEY, first_name TEXT, last_name TEXT, email TEXT NOT NULL UNIQUE COLLATE NOCASE,
          image_url TEXT, password_hash TEXT NOT NULL, totp_code TEXT, can_impersonate INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE sessions (id TEXT PRIMARY KEY, client_id TEXT NOT NULL, user_id TEXT NOT NULL, status TEXT NOT NULL,
          created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, last_active_at INTEGER NOT NULL, expire_at INTEGER,
          abandon_at INTEGER, first_factor_at INTEGER, second_factor_at INTEGER, actor TEXT, last_active_org_id TEXT);
        CREATE INDEX sessions_by_client ON sessions (client_id);
        CREATE TABLE clients (id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL, last_active_session_id TEXT);
        INSERT INTO sessions VALUES ('sess_old', 'client_old', 'user_ada', 'active', 1, 1, 1, NULL, NULL, NULL, NULL, NULL, NULL);
        PRAGMA user_version = 1;`)
      raw.close()
      const db = openDatabase(dir)
      try {
        expect(db.get('PRAGMA user_version')).toEqual({ user_version: 3 })
        expect(db.all('SELECT id, device, ip FROM sessions')).toEqual([{ id: 'sess_old', device: null, ip: null }])
      } finally {
        db.close()
      }
    } finally {
      removeDir(dir)
    }
  })
})
