import { afterEach, describe, expect, it } from 'vitest'
import { ADA, makeServer, type TestServer } from './helpers'

let server: TestServer | undefined
afterEach(() => server?.close())

const clientRows = () => server!.db.get<{ count: number }>('SELECT COUNT(*) AS count FROM clients')!.count

// A crawler, a health check or a script without cookies asks for the client over and over: nothing of that is stored.
describe('a browser without a client', () => {
  it('reads an empty client without a row or a cookie being written, until it signs in', async () => {
    server = makeServer()
    for (let i = 0; i < 50; i++) {
      const res = await server.browser().call('GET', '/v1/client')
      expect(res.status).toBe(200)
      expect(res.json.data).toMatchObject({ sessions: [], lastActiveSessionId: null })
      expect(res.setCookie).toBeUndefined()
    }
    // An unknown or forged cookie reads the same, and is not adopted.
    const forged = server.browser()
    forged.cookie = 'sessionkit_client=' + 'A'.repeat(43)
    expect((await forged.call('GET', '/v1/client')).setCookie).toBeUndefined()
    expect(clientRows()).toBe(0)

    // The first sign-in creates the client (a server-chosen cookie), and later reads find it.
    const signIn = await forged.signIn()
    expect(signIn.setCookie).toMatch(/^sessionkit_client=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=604800; HttpOnly; SameSite=Lax$/)
    expect(forged.cookie).not.toBe('sessionkit_client=' + 'A'.repeat(43))
    expect(clientRows()).toBe(1)
    const read = await forged.call('GET', '/v1/client')
    expect(read.json.data.id).toBe(signIn.json.data.id)
    expect(read.json.data.lastActiveSessionId).toBe(signIn.json.data.lastActiveSessionId)
  })

  it('answers every other route as for a client with no sessions, and writes nothing', async () => {
    server = makeServer()
    const browser = server.browser()
    const answers = {
      active: await browser.call('POST', '/v1/client/active', { body: { sessionId: null } }),
      activeSession: await browser.call('POST', '/v1/client/active', { body: { sessionId: 'sess_x' } }),
      endAll: await browser.call('DELETE', '/v1/client/sessions'),
      touch: await browser.call('POST', '/v1/client/sessions/sess_x/touch'),
      token: await browser.token('sess_x'),
      end: await browser.call('POST', '/v1/client/sessions/sess_x/end'),
      remove: await browser.call('POST', '/v1/client/sessions/sess_x/remove'),
      verify: await browser.call('POST', '/v1/client/sessions/sess_x/verify', { body: { strategy: 'password', password: 'x' } }),
      devices: await browser.call('GET', '/v1/me/sessions'),
      everywhere: await browser.call('POST', '/v1/me/sign_out_everywhere'),
      impersonate: await browser.call('POST', '/v1/client/sessions/sess_x/impersonate', { body: { userId: 'user_ada' } }),
    }
    const statuses = Object.fromEntries(Object.entries(answers).map(([name, res]) => [name, res.status]))
    expect(statuses).toEqual({
      active: 200,
      activeSession: 404,
      endAll: 200,
      touch: 404,
      token: 404,
      end: 404,
      remove: 404,
      verify: 404,
      devices: 401,
      everywhere: 200,
      impersonate: 404,
    })
    expect(answers.endAll.json.data).toMatchObject({ sessions: [], lastActiveSessionId: null })
    expect(Object.values(answers).filter((res) => res.setCookie)).toEqual([])
    expect(clientRows()).toBe(0)
    // Still CSRF-checked: a write without the header is refused before anything else.
    expect((await browser.call('POST', '/v1/client/sign_ins', { body: ADA, noCsrf: true })).status).toBe(403)
    expect(clientRows()).toBe(0)
  })

  it('keeps a failed sign-in pinned to its new client, so the next attempt counts in the same window', async () => {
    server = makeServer({ SESSIONKIT_RATE_LIMIT_SIGN_IN: '2/1m' })
    const browser = server.browser()
    const failed = await browser.signIn({ ...ADA, password: 'wrong' })
    expect(failed.status).toBe(422)
    expect(failed.setCookie).toMatch(/^sessionkit_client=/)
    expect((await browser.signIn({ ...ADA, password: 'wrong' })).status).toBe(422)
    expect((await browser.signIn()).status).toBe(429)
    expect(clientRows()).toBe(1)
  })

  it('indexes clients by creation time, for the hourly prune', () => {
    server = makeServer()
    const plan = server.db.all<{ detail: string }>('EXPLAIN QUERY PLAN SELECT id FROM clients WHERE created_at < 1')
    expect(plan.map((step) => step.detail).join('\n')).toMatch(/USING (COVERING )?INDEX/)
  })
})
