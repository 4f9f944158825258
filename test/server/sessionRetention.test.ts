import { afterEach, describe, expect, it } from 'vitest'
import { ADA, ALAN, makeServer, type Browser, type TestServer } from './helpers'

let server: TestServer | undefined
afterEach(() => server?.close())

const HOUR = 60 * 60 * 1000
const DAY = 24 * HOUR
const sessionRows = () => server!.db.get<{ count: number }>('SELECT COUNT(*) AS count FROM sessions')!.count

async function signInAndOut(browser: Browser, who = ADA) {
  const id = (await browser.signIn(who)).json.data.lastActiveSessionId as string
  await browser.call('POST', `/v1/client/sessions/${id}/end`)
  return id
}

// Several scrypt sign-ins: on a busy 2-core machine they take longer than the default 5 s.
const SIGN_IN_HEAVY_MS = 30_000

describe('sessions that ended', () => {
  it('are listed only while recent: many sign-ins on one browser keep its client answer small', async () => {
    server = makeServer({ SESSIONKIT_RATE_LIMIT_SIGN_IN: 'off' })
    const browser = server.browser()
    const ended: string[] = []
    for (let cycle = 0; cycle < 8; cycle++) {
      ended.push(await signInAndOut(browser))
      server.clock.advance(60_000)
    }
    const current = await browser.signedInSessionId(ALAN)
    const res = await browser.call('GET', '/v1/client')
    const listed = res.json.data.sessions.map((s: { id: string; status: string }) => ({ id: s.id, status: s.status }))
    // The signed-in one, and the last few that ended (newest kept), oldest first as always.
    expect(listed).toEqual([...ended.slice(-5).map((id) => ({ id, status: 'ended' })), { id: current, status: 'active' }])
    expect(res.text.length).toBeLessThan(8_000)
  }, SIGN_IN_HEAVY_MS)

  it('drop out of the list a day after they ended, while signed-in sessions stay however old', async () => {
    server = makeServer({ SESSIONKIT_INACTIVITY_TIMEOUT: 'off', SESSIONKIT_MAX_LIFETIME: '30d' })
    const browser = server.browser()
    const ended = await signInAndOut(browser)
    const current = await browser.signedInSessionId(ALAN)
    server.clock.advance(DAY - 1)
    expect((await browser.call('GET', '/v1/client')).json.data.sessions.map((s: { id: string }) => s.id)).toEqual([ended, current])
    server.clock.advance(1)
    expect((await browser.call('GET', '/v1/client')).json.data.sessions.map((s: { id: string }) => s.id)).toEqual([current])
    // Ending it again still answers as for a session that already ended while the row is kept.
    expect((await browser.call('POST', `/v1/client/sessions/${ended}/end`)).status).toBe(200)
  })

  it('are deleted by the hourly prune once older than the client cookie, and so is a client left with none', async () => {
    server = makeServer({ SESSIONKIT_RATE_LIMIT_SIGN_IN: 'off', SESSIONKIT_INACTIVITY_TIMEOUT: '1d', SESSIONKIT_MAX_LIFETIME: '2d' })
    const browser = server.browser()
    for (let cycle = 0; cycle < 3; cycle++) await signInAndOut(browser)
    const gone = server.browser()
    await signInAndOut(gone, ALAN)
    // A browser kept signed in by its activity through it all.
    const kept = server.browser()
    const keptId = await kept.signedInSessionId(ALAN)
    expect(sessionRows()).toBe(5)

    // The cookie lives 2 days (the maximum lifetime): past it nobody can ask about those rows any more.
    for (let hours = 0; hours < 47; hours++) {
      server.clock.advance(HOUR)
      expect((await kept.call('POST', `/v1/client/sessions/${keptId}/touch`)).status).toBe(200)
    }
    expect(sessionRows()).toBe(5)
    server.clock.advance(2 * HOUR)
    const keptAnswer = await kept.call('GET', '/v1/client')
    expect(sessionRows()).toBe(1)
    expect(keptAnswer.json.data.sessions.map((s: { id: string }) => s.id)).toEqual([keptId])
    // The clients that had only those sessions went with them: their browsers read as new.
    expect(server.db.get<{ count: number }>('SELECT COUNT(*) AS count FROM clients')!.count).toBe(1)
    expect((await gone.call('GET', '/v1/client')).setCookie).toBeUndefined()
  })
})
