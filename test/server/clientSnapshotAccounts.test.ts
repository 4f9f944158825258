// getClientSnapshot for a browser with several accounts, one of them ended:
// the real reference server over HTTP on 127.0.0.1 (free port), and the
// session client started from the snapshot as a server render starts it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getClientSnapshot, isSignedIn } from 'sessionkit/server'
import { createSessionClient } from '../../src/core/client'
import type { SessionClient } from '../../src/core/types'
import { loadConfig } from '../../server/config'
import { startServer, type RunningServer } from '../../server/main'
import { ADA, ALAN, ManualClock, removeDir, seededDataDir } from './helpers'

let dir: string
let server: RunningServer
// The server's time stands still, so two reads of the client answer the same serverNow.
const clock = new ManualClock()
const clients: SessionClient[] = []
const json = { 'x-sessionkit-client': '1', 'content-type': 'application/json' }

beforeAll(async () => {
  dir = seededDataDir()
  server = await startServer(loadConfig({ SESSIONKIT_DATA: dir, SESSIONKIT_PORT: '0' }), { clock, log: () => {} })
})
afterAll(async () => {
  for (const client of clients) client.destroy()
  await server.close()
  removeDir(dir)
})

/** One browser: Ada signs in, then adds Alan's account, then signs Alan out. */
async function adaStaysAfterAlanSignsOut() {
  const first = await fetch(`${server.url}/v1/client/sign_ins`, { method: 'POST', headers: json, body: JSON.stringify(ADA) })
  const cookie = first.headers.getSetCookie()[0]!.split(';')[0]!
  const adaSessionId = (await first.json()).data.lastActiveSessionId as string
  const second = await fetch(`${server.url}/v1/client/sign_ins`, { method: 'POST', headers: { ...json, cookie }, body: JSON.stringify(ALAN) })
  const alanSessionId = (await second.json()).data.lastActiveSessionId as string
  expect(alanSessionId).not.toBe(adaSessionId)
  await fetch(`${server.url}/v1/client/sessions/${alanSessionId}/end`, { method: 'POST', headers: { ...json, cookie } })
  return { cookie, adaSessionId }
}

describe('getClientSnapshot when the active account signed out and another is still signed in', () => {
  it('answers the client, so the page starts signed out and still lists the other account', async () => {
    const { cookie, adaSessionId } = await adaStaysAfterAlanSignsOut()
    const incoming = new Request('http://app.example/', { headers: { cookie } })
    const snapshot = await getClientSnapshot(incoming, { baseUrl: server.url })
    const direct = await (await fetch(`${server.url}/v1/client`, { headers: { cookie } })).json()
    expect(direct.data.lastActiveSessionId).toBeNull()
    expect(snapshot).toEqual({ client: direct.data, serverNow: direct.serverNow })
    // "Signed in?" is a question of its own: nobody is active.
    expect(isSignedIn(snapshot)).toBe(false)

    const client = createSessionClient({
      adapter: { key: 'unused', getClient: () => expect.unreachable(), touchSession: () => expect.unreachable(), endSession: () => expect.unreachable() },
      initialClient: snapshot,
      eventTarget: null,
      crossTab: false,
    })
    clients.push(client)
    expect(client.getState().status).toBe('signed-out')
    const listed = client.getState().sessions.filter((session) => session.status === 'active')
    expect(listed.map((session) => ({ id: session.id, identifier: session.user?.identifier }))).toEqual([
      { id: adaSessionId, identifier: 'ada@example.com' },
    ])
  })

  it('says signed in for the active account, and answers null once no session is left', async () => {
    const ada = await fetch(`${server.url}/v1/client/sign_ins`, { method: 'POST', headers: json, body: JSON.stringify(ADA) })
    const cookie = ada.headers.getSetCookie()[0]!.split(';')[0]!
    const sessionId = (await ada.json()).data.lastActiveSessionId as string
    const signedIn = await getClientSnapshot(new Request('http://app.example/', { headers: { cookie } }), { baseUrl: server.url })
    expect(isSignedIn(signedIn)).toBe(true)
    expect(isSignedIn(null)).toBe(false)
    await fetch(`${server.url}/v1/client/sessions/${sessionId}/end`, { method: 'POST', headers: { ...json, cookie } })
    expect(await getClientSnapshot(new Request('http://app.example/', { headers: { cookie } }), { baseUrl: server.url })).toBeNull()
  })
})
