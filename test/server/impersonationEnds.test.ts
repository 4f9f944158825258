import { afterEach, describe, expect, it } from 'vitest'
import { ADA, makeServer, type Browser, type TestServer } from './helpers'

// An acting session (support acting as Ada) rides on the impersonator's own
// session: when that ends, any way, or the impersonator may no longer
// impersonate, the acting session is over too. And an acting session is not
// one of Ada's devices: it neither shows up in nor manages her device list.

const SUPPORT = { identifier: 'support@example.com', password: 'password' }
const GRACE = { identifier: 'grace@example.com', password: 'password' }
const MINUTE = 60_000

let server: TestServer
afterEach(() => server.close())

interface WireSession {
  id: string
  status: string
}

const bearer = (jwt: string) => ({ headers: { authorization: `Bearer ${jwt}` } })
const statusOf = async (browser: Browser, id: string) =>
  ((await browser.call('GET', '/v1/client')).json.data.sessions as WireSession[]).find((s) => s.id === id)?.status

interface Desk {
  desk: Browser
  own: string
  acting: string
  /** A token minted by the acting session while it was live. */
  jwt: string
}

/** Support signs in on the desk and starts acting as Ada there. */
async function supportActsAsAda(): Promise<Desk> {
  const desk = server.browser()
  const own = await desk.signedInSessionId(SUPPORT)
  const acting = (await desk.call('POST', `/v1/client/sessions/${own}/impersonate`, { body: { userId: 'user_ada' } })).json.data
    .lastActiveSessionId as string
  const jwt = (await desk.token(acting)).json.data.jwt as string
  expect((await desk.call('GET', '/api/me', bearer(jwt))).status).toBe(200)
  return { desk, own, acting, jwt }
}

/** The acting session is over: no touch, no new token, and its earlier token is refused. */
async function expectActingOver({ desk, acting, jwt }: Desk) {
  const touch = await desk.call('POST', `/v1/client/sessions/${acting}/touch`)
  expect(touch.status).toBe(404)
  expect(touch.json.errors[0].code).toBe('session_not_found')
  expect((await desk.token(acting)).status).toBe(404)
  const me = await desk.call('GET', '/api/me', bearer(jwt))
  expect(me.status).toBe(401)
  expect(me.json.errors[0].code).toBe('unauthenticated')
  expect(await statusOf(desk, acting)).toBe('ended')
  expect((await desk.call('GET', '/v1/client')).json.data.lastActiveSessionId).toBeNull()
}

describe("an acting session ends with the impersonator's own session", () => {
  interface Way {
    way: string
    endOwn: (desk: Desk) => Promise<{ status: number }>
  }
  /** Support, signed in on a laptop too, signs the desk out from there. */
  const fromLaptop = async (route: string) => {
    const laptop = server.browser()
    await laptop.signedInSessionId(SUPPORT)
    return laptop.call('POST', route)
  }
  const ways: Way[] = [
    { way: 'ends it on the desk', endOwn: ({ desk, own }) => desk.call('POST', `/v1/client/sessions/${own}/end`) },
    { way: 'removes it on the desk', endOwn: ({ desk, own }) => desk.call('POST', `/v1/client/sessions/${own}/remove`) },
    { way: 'signs out everywhere from a laptop', endOwn: () => fromLaptop('/v1/me/sign_out_everywhere') },
    { way: 'signs out other devices from a laptop', endOwn: () => fromLaptop('/v1/me/sessions/revoke_others') },
    { way: 'revokes the desk from a laptop', endOwn: ({ own }) => fromLaptop(`/v1/me/sessions/${own}/revoke`) },
  ]
  for (const { way, endOwn } of ways) {
    it(`when support ${way}`, async () => {
      server = makeServer()
      const desk = await supportActsAsAda()
      expect((await endOwn(desk)).status).toBe(200)
      await expectActingOver(desk)
    })
  }

  it('when a sign-in on another device replaces it (one device at a time)', async () => {
    server = makeServer({ SESSIONKIT_POLICY: 'high-security' })
    const desk = await supportActsAsAda()
    await server.browser().signedInSessionId(SUPPORT)
    expect(await statusOf(desk.desk, desk.own)).toBe('replaced')
    await expectActingOver(desk)
  })

  it('when it expires', async () => {
    server = makeServer({ SESSIONKIT_INACTIVITY_TIMEOUT: '10m' })
    const desk = await supportActsAsAda()
    // The acting session's own deadline would still be ahead: pull the impersonator's in behind the server's back.
    server.db.run('UPDATE sessions SET expire_at = ? WHERE id = ?', [server.clock.time + MINUTE, desk.own])
    server.clock.advance(2 * MINUTE)
    await expectActingOver(desk)
    expect(await statusOf(desk.desk, desk.own)).toBe('expired')
  })

  it('when the impersonator may no longer impersonate', async () => {
    server = makeServer()
    const desk = await supportActsAsAda()
    server.db.run("UPDATE users SET can_impersonate = 0 WHERE id = 'user_support'")
    await expectActingOver(desk)
    // Their own session stays: only acting is taken away.
    expect((await desk.desk.call('POST', `/v1/client/sessions/${desk.own}/touch`)).status).toBe(200)
  })

  it('but not when support signs in elsewhere without the one-device rule', async () => {
    server = makeServer({ SESSIONKIT_POLICY: 'web' })
    const { desk, acting, jwt } = await supportActsAsAda()
    await server.browser().signedInSessionId(SUPPORT)
    expect((await desk.call('POST', `/v1/client/sessions/${acting}/touch`)).status).toBe(200)
    expect((await desk.call('GET', '/api/me', bearer(jwt))).status).toBe(200)
  })
})

describe('a session signed in with actAs (no own session underneath)', () => {
  it('ends when the impersonator signs out everywhere, or loses can_impersonate', async () => {
    server = makeServer()
    const desk = server.browser()
    const acting = (await desk.signIn(GRACE, { actAs: ADA.identifier })).json.data.lastActiveSessionId
    const laptop = server.browser()
    await laptop.signedInSessionId(GRACE)
    expect((await laptop.call('POST', '/v1/me/sign_out_everywhere')).status).toBe(200)
    expect((await desk.call('POST', `/v1/client/sessions/${acting}/touch`)).status).toBe(404)

    const again = (await desk.signIn(GRACE, { actAs: ADA.identifier })).json.data.lastActiveSessionId
    const jwt = (await desk.token(again)).json.data.jwt
    server.db.run("UPDATE users SET can_impersonate = 0 WHERE id = 'user_grace'")
    expect((await desk.call('GET', '/api/me', bearer(jwt))).status).toBe(401)
    expect((await desk.call('POST', `/v1/client/sessions/${again}/touch`)).status).toBe(404)
  })
})

describe("an acting session and Ada's devices", () => {
  it('cannot revoke, sign out others or sign out everywhere as Ada: 403, stop acting first', async () => {
    server = makeServer()
    const adaLaptop = server.browser()
    const adaSession = await adaLaptop.signedInSessionId(ADA)
    const { desk, acting } = await supportActsAsAda()
    for (const route of [`/v1/me/sessions/${adaSession}/revoke`, '/v1/me/sessions/revoke_others', '/v1/me/sign_out_everywhere']) {
      const res = await desk.call('POST', route)
      expect(res.status, route).toBe(403)
      expect(res.json.errors[0].code, route).toBe('forbidden')
      expect(res.json.errors[0].message, route).toMatch(/stop acting/i)
    }
    // Nothing changed for Ada, nor for the acting session.
    expect((await adaLaptop.call('POST', `/v1/client/sessions/${adaSession}/touch`)).status).toBe(200)
    expect((await desk.call('POST', `/v1/client/sessions/${acting}/touch`)).status).toBe(200)
  })

  it("is not listed among Ada's devices; while acting, support reads Ada's list with no device marked current", async () => {
    server = makeServer()
    const adaLaptop = server.browser()
    const adaSession = await adaLaptop.signedInSessionId(ADA)
    const { desk, acting } = await supportActsAsAda()
    const own = await adaLaptop.call('GET', '/v1/me/sessions')
    expect(own.json.data.map((s: { id: string }) => s.id)).toEqual([adaSession])
    const seenActing = await desk.call('GET', '/v1/me/sessions')
    expect(seenActing.status).toBe(200)
    expect(seenActing.json.data).toEqual([expect.objectContaining({ id: adaSession, isCurrent: false })])
    expect(seenActing.json.data.map((s: { id: string }) => s.id)).not.toContain(acting)
  })

  it("is not ended by Ada managing her devices, and Ada cannot revoke it", async () => {
    server = makeServer()
    const adaLaptop = server.browser()
    await adaLaptop.signedInSessionId(ADA)
    const { desk, acting } = await supportActsAsAda()
    const revoked = await adaLaptop.call('POST', `/v1/me/sessions/${acting}/revoke`)
    expect(revoked.status).toBe(404)
    expect(revoked.json.errors[0].code).toBe('session_not_found')
    expect((await adaLaptop.call('POST', '/v1/me/sessions/revoke_others')).status).toBe(200)
    expect((await adaLaptop.call('POST', '/v1/me/sign_out_everywhere')).status).toBe(200)
    expect((await desk.call('POST', `/v1/client/sessions/${acting}/touch`)).status).toBe(200)
  })
})

/** Takes the database back to how a schema-2 server left it (no link column), then restarts on it. */
function upgradeFromSchema2() {
  server.db.run('ALTER TABLE sessions DROP COLUMN actor_session_id')
  server.db.run('PRAGMA user_version = 2')
  server.restart()
  expect(server.db.get('PRAGMA user_version')).toEqual({ user_version: 3 })
}

describe('schema upgrade 2 → 3', () => {
  it("links a live acting session from before to the impersonator's own session, so it ends with it", async () => {
    server = makeServer()
    const desk = await supportActsAsAda()
    // As a schema-2 server left it: no link.
    server.db.run('UPDATE sessions SET actor_session_id = NULL')
    server.db.run('ALTER TABLE sessions DROP COLUMN actor_session_id')
    server.db.run('PRAGMA user_version = 2')
    server.restart()
    expect(server.db.get('PRAGMA user_version')).toEqual({ user_version: 3 })
    expect((await desk.desk.call('POST', `/v1/client/sessions/${desk.acting}/touch`)).status).toBe(200)
    await desk.desk.call('POST', `/v1/client/sessions/${desk.own}/end`)
    await expectActingOver(desk)
  })

  it('keeps a session signed in with actAs after support signed in as themselves and out again', async () => {
    server = makeServer()
    const desk = server.browser()
    const own = await desk.signedInSessionId(SUPPORT)
    await desk.call('POST', `/v1/client/sessions/${own}/end`)
    const acting = (await desk.signIn(SUPPORT, { actAs: ADA.identifier })).json.data.lastActiveSessionId
    upgradeFromSchema2()
    expect((await desk.call('POST', `/v1/client/sessions/${acting}/touch`)).status).toBe(200)
    expect(await statusOf(desk, acting)).toBe('active')
  })

  it('ties an acting session started from the own session to it, but not one signed in with actAs next to it', async () => {
    server = makeServer()
    const desk = server.browser()
    const own = await desk.signedInSessionId(SUPPORT)
    server.clock.advance(MINUTE)
    const signedInAs = (await desk.signIn(SUPPORT, { actAs: ADA.identifier })).json.data.lastActiveSessionId
    server.clock.advance(MINUTE)
    const started = (await desk.call('POST', `/v1/client/sessions/${own}/impersonate`, { body: { userId: 'user_alan' } })).json.data
      .lastActiveSessionId
    upgradeFromSchema2()
    server.clock.advance(MINUTE)
    expect((await desk.call('POST', `/v1/client/sessions/${own}/end`)).status).toBe(200)
    expect(await statusOf(desk, started)).toBe('ended')
    expect((await desk.call('POST', `/v1/client/sessions/${signedInAs}/touch`)).status).toBe(200)
  })

  it('leaves an acting session to its own deadlines when no maximum lifetime tells how it started', async () => {
    server = makeServer({ SESSIONKIT_MAX_LIFETIME: 'off', SESSIONKIT_INACTIVITY_TIMEOUT: '10m' })
    const { desk, own, acting } = await supportActsAsAda()
    upgradeFromSchema2()
    expect((await desk.call('POST', `/v1/client/sessions/${own}/end`)).status).toBe(200)
    expect((await desk.call('POST', `/v1/client/sessions/${acting}/touch`)).status).toBe(200)
    server.clock.advance(11 * MINUTE)
    expect((await desk.call('POST', `/v1/client/sessions/${acting}/touch`)).status).toBe(401)
  })
})
