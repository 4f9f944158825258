import { afterEach, describe, expect, it } from 'vitest'
import { ADA, makeServer, type TestServer } from './helpers'

let server: TestServer | undefined
afterEach(() => server?.close())

describe('rate limits', () => {
  it('limits sign-in attempts per client and IP with 429 and Retry-After, until the window ends', async () => {
    server = makeServer({ SESSIONKIT_RATE_LIMIT_SIGN_IN: '3/1m' })
    const browser = server.browser()
    for (let i = 0; i < 3; i++) expect((await browser.signIn({ ...ADA, password: 'wrong' })).status).toBe(422)
    server.clock.advance(20_000)
    const limited = await browser.signIn()
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('40')
    expect(limited.json.errors[0].code).toBe('rate_limited')

    // Another IP behind the same cookie has its own window.
    expect((await browser.signIn(ADA, {})).status).toBe(429)
    expect((await browser.call('POST', '/v1/client/sign_ins', { body: ADA, ip: '10.0.0.2' })).status).toBe(200)

    server.clock.advance(40_000)
    expect((await browser.signIn()).status).toBe(200)
  })

  it('also limits a script that drops its cookie, per IP at ten times the rate', async () => {
    server = makeServer({ SESSIONKIT_RATE_LIMIT_SIGN_IN: '1/1m' })
    const statuses = []
    for (let i = 0; i < 11; i++) statuses.push((await server.browser().signIn({ ...ADA, password: 'wrong' })).status)
    expect(statuses.filter((s) => s === 429)).toHaveLength(1)
  })

  it('limits touches', async () => {
    server = makeServer({ SESSIONKIT_RATE_LIMIT_TOUCH: '2/10s' })
    const browser = server.browser()
    const id = await browser.signedInSessionId()
    const touch = () => browser.call('POST', `/v1/client/sessions/${id}/touch`)
    expect((await touch()).status).toBe(200)
    expect((await touch()).status).toBe(200)
    const limited = await touch()
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('10')
    server.clock.advance(10_000)
    expect((await touch()).status).toBe(200)
  })
})

describe('logs', () => {
  it('writes one entry per request and never a token, cookie or password', async () => {
    server = makeServer()
    const browser = server.browser()
    const id = await browser.signedInSessionId()
    const jwt = (await browser.token(id)).json.data.jwt as string
    await browser.call('GET', `/api/me?token=${jwt}`, { headers: { authorization: `Bearer ${jwt}` } })
    const requests = server.logs.filter((entry) => entry.msg === 'request')
    expect(requests).toHaveLength(3)
    expect(requests[0]).toEqual({ level: 'info', msg: 'request', method: 'POST', path: '/v1/client/sign_ins', status: 200, ms: expect.any(Number) })
    const text = JSON.stringify(server.logs)
    expect(text).not.toContain(jwt)
    expect(text).not.toContain(browser.cookie!.split('=')[1])
    expect(text).not.toContain('password')
  })
})

describe('test clock and stats', () => {
  it('is absent unless SESSIONKIT_TEST_CLOCK=1', async () => {
    server = makeServer()
    expect((await server.browser().call('POST', '/__test/clock', { body: { advanceMs: 1 } })).status).toBe(404)
    expect((await server.browser().call('GET', '/__test/stats')).status).toBe(404)
  })

  it('moves the server clock, which expires sessions, and counts requests per route', async () => {
    server = makeServer({ SESSIONKIT_TEST_CLOCK: '1', SESSIONKIT_INACTIVITY_TIMEOUT: '2m' })
    const browser = server.browser()
    const id = await browser.signedInSessionId()
    await browser.token(id)
    await browser.token(id, 'profile')
    await browser.call('POST', `/v1/client/sessions/${id}/touch`)

    const read = await browser.call('GET', '/__test/clock')
    expect(read.json.data).toEqual({ now: server.clock.time })
    const moved = await browser.call('POST', '/__test/clock', { body: { advanceMs: 120_000 } })
    expect(moved.json).toEqual({ data: { now: server.clock.time + 120_000 }, serverNow: server.clock.time + 120_000 })
    expect((await browser.call('GET', '/v1/client')).json.data.sessions[0].status).toBe('expired')

    const set = await browser.call('POST', '/__test/clock', { body: { set: 1_000 } })
    expect(set.json.data.now).toBe(1_000)
    expect((await browser.call('POST', '/__test/clock', { body: { advanceMs: 'soon' } })).status).toBe(400)
    expect((await browser.call('POST', '/__test/clock', { body: { advanceMs: 1 }, noCsrf: true })).status).toBe(403)

    const stats = (await browser.call('GET', '/__test/stats')).json.data
    expect(stats.tokenMints).toBe(2)
    expect(stats.touches).toBe(1)
    expect(stats.routes['POST /v1/client/sign_ins']).toBe(1)
    const reset = await browser.call('DELETE', '/__test/stats')
    expect(reset.json.data.tokenMints).toBe(0)
  })
})
