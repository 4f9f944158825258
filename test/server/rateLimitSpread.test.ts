import { afterEach, describe, expect, it } from 'vitest'
import { DEMO_TOTP_CODE } from '../../server/users'
import { ADA, makeServer, type TestServer } from './helpers'

let server: TestServer | undefined
afterEach(() => server?.close())

const statuses = (results: { status: number }[]) => results.map((result) => result.status)

// Attackers spread guesses over many addresses: an IPv6 host gets a whole /64, and a botnet has many hosts.
describe('sign-in rate limits against spread-out guessing', () => {
  it('counts every address of one IPv6 /64 as one address', async () => {
    server = makeServer({ SESSIONKIT_RATE_LIMIT_SIGN_IN: '1/1m' })
    const results = []
    for (let host = 1; host <= 11; host++) {
      // A new cookie-less browser, address and account each time: only the per-address window can stop it.
      const body = { identifier: `guess${host}@example.com`, password: 'wrong' }
      results.push(await server.browser().call('POST', '/v1/client/sign_ins', { body, ip: `2001:db8:1:2::${host.toString(16)}` }))
    }
    expect(statuses(results)).toEqual([...Array(10).fill(422), 429])
    // Another /64 (and an IPv4-mapped address of another host) has its own window.
    const elsewhere = await server.browser().call('POST', '/v1/client/sign_ins', { body: ADA, ip: '2001:db8:1:3::1' })
    expect(elsewhere.status).toBe(200)
    expect((await server.browser().call('POST', '/v1/client/sign_ins', { body: ADA, ip: '::ffff:192.0.2.1' })).status).toBe(200)
  })

  it('limits guesses at one account from many addresses, answering the same whether or not the account exists', async () => {
    server = makeServer({ SESSIONKIT_RATE_LIMIT_SIGN_IN: '1/1m' })
    const guess = (identifier: string, attempt: number) =>
      server!.browser().call('POST', '/v1/client/sign_ins', {
        body: { identifier, password: 'wrong' },
        ip: `2001:db8:${identifier.length}:${attempt.toString(16)}::1`,
      })
    const known = []
    const unknown = []
    for (let attempt = 1; attempt <= 11; attempt++) {
      known.push(await guess(' ADA@example.com', attempt))
      unknown.push(await guess('nobody@example.com', attempt))
    }
    expect(statuses(known)).toEqual([...Array(10).fill(422), 429])
    expect(statuses(unknown)).toEqual([...Array(10).fill(422), 429])
    expect(unknown[10]!.json.errors).toEqual(known[10]!.json.errors)
    expect(known[10]!.json.errors[0].message).toMatch(/^Too many requests: try again in \d+ seconds\.$/)

    // Other accounts from those same addresses are not held back, and the window ends.
    expect((await server.browser().call('POST', '/v1/client/sign_ins', { body: { identifier: 'alan@example.com', password: 'password' }, ip: '2001:db8:99::1' })).status).toBe(200)
    server.clock.advance(60_000)
    expect((await guess('ada@example.com', 1)).status).toBe(422)
  })

  it('limits second-factor guesses in one session from rotating addresses', async () => {
    server = makeServer({ SESSIONKIT_RATE_LIMIT_SIGN_IN: '1/1m' })
    const browser = server.browser()
    const sessionId = await browser.signedInSessionId()
    const results = []
    for (let attempt = 1; attempt <= 10; attempt++) {
      results.push(
        await browser.call('POST', `/v1/client/sessions/${sessionId}/verify`, {
          body: { strategy: 'totp', code: attempt === 10 ? DEMO_TOTP_CODE : '000000' },
          ip: `2001:db8:${attempt.toString(16)}::1`,
        }),
      )
    }
    // The sign-in counted against the account too: nine guesses, then the limit, even for the right code.
    expect(statuses(results)).toEqual([...Array(9).fill(422), 429])
  })
})
