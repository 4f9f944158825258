import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import { loadConfig } from '../../server/config'
import { startServer, type RunningServer } from '../../server/main'
import { removeDir, seededDataDir } from './helpers'

let dir: string
let server: RunningServer

beforeAll(async () => {
  dir = seededDataDir()
  server = await startServer(loadConfig({ SESSIONKIT_DATA: dir, SESSIONKIT_PORT: '0' }), { log: () => {} })
})
afterAll(async () => {
  await server.close()
  removeDir(dir)
})

describe('startServer (real Node http on 127.0.0.1, free port)', () => {
  it('speaks the protocol over HTTP with cookies, and tokens verify against the remote JWKS', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const headers = { 'x-sessionkit-client': '1', 'content-type': 'application/json' }
    const signIn = await fetch(`${server.url}/v1/client/sign_ins`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ identifier: 'alan@example.com', password: 'password' }),
    })
    expect(signIn.status).toBe(200)
    const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!
    const sessionId = (await signIn.json()).data.lastActiveSessionId

    const client = await (await fetch(`${server.url}/v1/client`, { headers: { cookie } })).json()
    expect(client.data.sessions[0].id).toBe(sessionId)

    const minted = await fetch(`${server.url}/v1/client/sessions/${sessionId}/tokens`, { method: 'POST', headers: { ...headers, cookie } })
    const { jwt } = (await minted.json()).data
    const { payload } = await jwtVerify(jwt, createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`)), {
      issuer: 'sessionkit',
      algorithms: ['ES256'],
    })
    expect(payload.sid).toBe(sessionId)

    const me = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${jwt}` } })
    expect((await me.json()).data.userId).toBe('user_alan')
  })

  it('refuses oversized bodies with 413', async () => {
    const res = await fetch(`${server.url}/v1/client/sign_ins`, {
      method: 'POST',
      headers: { 'x-sessionkit-client': '1' },
      body: 'x'.repeat(100 * 1024),
    })
    expect(res.status).toBe(413)
  })
})
