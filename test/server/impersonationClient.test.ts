import { afterEach, describe, expect, it } from 'vitest'
import { createHttpAdapter } from '../../src/adapters/http'
import { createSessionClient } from '../../src/core/client'
import type { SessionKitError } from '../../src/core/errors'
import { judgeFailure } from '../../src/core/failurePolicy'
import { decodeJwt } from '../../src/core/jwt'
import type { SessionClient } from '../../src/core/types'
import { loadConfig } from '../../server/config'
import { startServer, type RunningServer } from '../../server/main'
import { removeDir, seededDataDir, cookieJarFetch } from './helpers'

// client.startImpersonation / stopImpersonation through the http adapter,
// against the real reference server over Node's http on 127.0.0.1.

const SUPPORT = { identifier: 'support@example.com', password: 'password' }
const ADA = { identifier: 'ada@example.com', password: 'password' }

let running: { server: RunningServer; dir: string; clients: SessionClient[] } | null = null
afterEach(async () => {
  if (!running) return
  for (const client of running.clients) client.destroy()
  await running.server.close()
  removeDir(running.dir)
  running = null
})

async function start() {
  const dir = seededDataDir()
  const server = await startServer(loadConfig({ SESSIONKIT_DATA: dir, SESSIONKIT_PORT: '0' }), { log: () => {} })
  running = { server, dir, clients: [] }
  return server
}

/** A browser: its cookie kept between requests, and a session client on it. */
function browser(server: RunningServer) {
  const adapter = createHttpAdapter({ baseUrl: server.url, fetch: cookieJarFetch() })
  const client = createSessionClient({ adapter, eventTarget: null, crossTab: false })
  running!.clients.push(client)
  return { adapter, client }
}

const rejection = (promise: Promise<unknown>) => promise.then(() => expect.unreachable('expected a rejection'), (error: SessionKitError) => error)

describe('impersonation through the http adapter', () => {
  it('acts as Ada (the session shows the actor, tokens carry act), then returns to the support session', async () => {
    const server = await start()
    const { client } = browser(server)
    await client.signIn(SUPPORT)
    const own = client.getState().session!.id

    await client.startImpersonation('user_ada')
    const acting = client.getState().session!
    expect(client.getState().user).toMatchObject({ id: 'user_ada', firstName: 'Ada' })
    expect(acting.actor).toMatchObject({ sub: 'user_support', identifier: 'support@example.com' })
    const token = (await client.getToken())!
    expect(decodeJwt(token)).toMatchObject({ sub: 'user_ada', sid: acting.id, act: { sub: 'user_support' } })
    const me = await (await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).json()
    expect(me.data).toMatchObject({ userId: 'user_ada', actor: { sub: 'user_support' } })

    await client.stopImpersonation()
    expect(client.getState()).toMatchObject({ status: 'signed-in', user: { id: 'user_support' } })
    expect(client.getState().session).toMatchObject({ id: own, actor: null })
    expect(client.getState().sessions.find((s) => s.id === acting.id)!.status).toBe('ended')
  })

  it('passes forbidden and an unknown user through as refusals that never sign out', async () => {
    const server = await start()
    const { client } = browser(server)
    await client.signIn(ADA)
    const forbidden = await rejection(client.startImpersonation('user_alan'))
    expect(forbidden).toMatchObject({ code: 'forbidden', status: 403 })
    expect(judgeFailure(forbidden, null, Date.now())).toEqual({ action: 'report' })

    const support = browser(server).client
    await support.signIn(SUPPORT)
    const unknown = await rejection(support.startImpersonation('user_nobody'))
    expect(unknown).toMatchObject({ code: 'invalid_request', status: 404 })
    expect(judgeFailure(unknown, null, Date.now())).toEqual({ action: 'report' })
    for (const c of [client, support]) expect(c.getState()).toMatchObject({ status: 'signed-in', error: null })
  })
})
