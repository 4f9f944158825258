import { afterEach, describe, expect, it } from 'vitest'
import { createHttpAdapter } from '../../src/adapters/http'
import type { SessionKitError } from '../../src/core/errors'
import { judgeFailure } from '../../src/core/failurePolicy'
import { loadConfig } from '../../server/config'
import { startServer, type RunningServer } from '../../server/main'
import { removeDir, seededDataDir, cookieJarFetch } from './helpers'

// The http adapter's device methods against the real reference server over
// Node's http on 127.0.0.1, each "device" a cookie jar with its own User-Agent.

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36'
const FIREFOX = 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0'
const ADA = { identifier: 'ada@example.com', password: 'password' }

let running: { server: RunningServer; dir: string } | null = null
afterEach(async () => {
  if (!running) return
  await running.server.close()
  removeDir(running.dir)
  running = null
})

async function start(env: Record<string, string> = {}): Promise<RunningServer> {
  const dir = seededDataDir()
  const server = await startServer(loadConfig({ SESSIONKIT_DATA: dir, SESSIONKIT_PORT: '0', ...env }), { log: () => {} })
  running = { server, dir }
  return server
}

/** One browser: its cookie kept between requests, its User-Agent on each. */
function device(server: RunningServer, userAgent: string) {
  return createHttpAdapter({ baseUrl: server.url, fetch: cookieJarFetch({ 'user-agent': userAgent }) })
}

const rejection = (promise: Promise<unknown>) => promise.then(() => expect.unreachable('expected a rejection'), (error: SessionKitError) => error)

describe('http adapter against the reference server', () => {
  it('lists, revokes and signs out everywhere', async () => {
    const server = await start()
    const laptop = device(server, FIREFOX)
    const desktop = device(server, CHROME)
    const onLaptop = (await laptop.signIn(ADA)).data.lastActiveSessionId!
    const onDesktop = (await desktop.signIn(ADA)).data.lastActiveSessionId!

    const { data: listed } = await desktop.getUserSessions()
    expect(listed.map(({ id, device: label, ip, isCurrent }) => ({ id, label, ip, isCurrent }))).toEqual([
      { id: onDesktop, label: 'Chrome 156 on Linux', ip: '127.0.0.1', isCurrent: true },
      { id: onLaptop, label: 'Firefox 140 on Linux', ip: '127.0.0.1', isCurrent: false },
    ])

    expect((await desktop.revokeUserSession(onLaptop)).data.map((s) => s.id)).toEqual([onDesktop])
    const revoked = await rejection(laptop.touchSession(onLaptop))
    expect(revoked).toMatchObject({ code: 'session_not_found', status: 404 })
    expect(judgeFailure(revoked, null, Date.now())).toEqual({ action: 'sign-out', reason: 'revoked' })
    expect((await laptop.getClient()).data.sessions[0]).toMatchObject({ id: onLaptop, status: 'revoked' })

    const again = (await laptop.signIn(ADA)).data.lastActiveSessionId!
    const { data: client } = await desktop.signOutEverywhere()
    expect(client).toMatchObject({ lastActiveSessionId: null, sessions: [{ id: onDesktop, status: 'ended' }] })
    expect(await rejection(laptop.createToken(again, {}))).toMatchObject({ code: 'session_not_found' })
  })

  it('under high-security, device A learns it was replaced on touch, token and getClient', async () => {
    const server = await start({ SESSIONKIT_POLICY: 'high-security' })
    const deviceA = device(server, FIREFOX)
    const deviceB = device(server, CHROME)
    const a = (await deviceA.signIn(ADA)).data
    expect(a.policy).toEqual({ inactivityTimeoutMs: 900_000, maxLifetimeMs: 86_400_000, multiSession: false, singleDevice: true })
    const sessionA = a.lastActiveSessionId!
    await deviceB.signIn(ADA)

    for (const call of [deviceA.touchSession(sessionA), deviceA.createToken(sessionA, {})]) {
      const error = await rejection(call)
      expect(error).toMatchObject({ code: 'session_replaced', status: 401 })
      expect(judgeFailure(error, null, Date.now())).toEqual({ action: 'sign-out', reason: 'replaced' })
    }
    const { data: clientA } = await deviceA.getClient()
    expect(clientA).toMatchObject({ lastActiveSessionId: null, sessions: [{ id: sessionA, status: 'replaced' }] })
    expect((await deviceB.getUserSessions()).data).toHaveLength(1)
  })
})
