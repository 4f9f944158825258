import net from 'node:net'
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

interface RawAnswer {
  status: number
  headers: Map<string, string>
  body: string
}

/** The body of a chunked answer: each chunk is its size in hex, CRLF, the bytes, CRLF; size 0 ends it (ASCII bodies only). */
function unchunk(raw: string): string {
  let body = ''
  let at = 0
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at)
    const size = Number.parseInt(raw.slice(at, lineEnd), 16)
    if (!(size > 0)) return body
    body += raw.slice(lineEnd + 2, lineEnd + 2 + size)
    at = lineEnd + 2 + size + 2
  }
}

/** Sends `requestLine` as it is (no client library tidies it up) and reads the answer until the server closes. */
function rawRequest(requestLine: string, json?: unknown): Promise<RawAnswer> {
  const { port } = new URL(server.url)
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1')
    let received = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => (received += chunk))
    socket.on('error', reject)
    socket.on('close', () => {
      const split = received.indexOf('\r\n\r\n')
      const [statusLine = '', ...headerLines] = received.slice(0, split).split('\r\n')
      const headers = new Map(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]))
      const raw = received.slice(split + 4)
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: headers.get('transfer-encoding') === 'chunked' ? unchunk(raw) : raw })
    })
    const body = json === undefined ? '' : JSON.stringify(json)
    const bodyHeaders = json === undefined ? '' : `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-SessionKit-Client: 1\r\n`
    socket.write(`${requestLine}\r\nHost: 127.0.0.1\r\n${bodyHeaders}Connection: close\r\n\r\n${body}`)
  })
}

describe('startServer and malformed request lines (raw socket)', () => {
  const envelope = (body: string) => JSON.parse(body) as { errors?: { code: string; message: string }[]; serverNow: number }

  it('answers a method the runtime forbids (TRACE, CONNECT) with 405 and the error envelope', async () => {
    for (const line of ['TRACE /v1/client HTTP/1.1', 'CONNECT 127.0.0.1:9 HTTP/1.1']) {
      const res = await rawRequest(line)
      expect(res.status, line).toBe(405)
      expect(res.headers.get('content-type'), line).toMatch(/^application\/json/)
      expect(envelope(res.body).errors?.[0], line).toEqual({ code: 'invalid_request', message: expect.stringMatching(/GET|POST/) })
    }
  })

  it('answers a target that is no URL with 400 and the error envelope', async () => {
    for (const line of ['GET http://[ HTTP/1.1', 'GET * HTTP/1.1']) {
      const res = await rawRequest(line)
      expect(res.status, line).toBe(400)
      expect(envelope(res.body).errors?.[0]?.code, line).toBe('invalid_request')
    }
  })

  it('takes only the path and query of an absolute-form target: https in it does not make plain http secure', async () => {
    // A sign-in: the first answer that sets the client cookie.
    const res = await rawRequest('POST https://evil.example/v1/client/sign_ins?x=1 HTTP/1.1', { identifier: 'ada@example.com', password: 'password' })
    expect(res.status).toBe(200)
    const cookie = res.headers.get('set-cookie')!
    expect(cookie).toMatch(/^sessionkit_client=/)
    expect(cookie).not.toMatch(/Secure/)
    expect(envelope(res.body).errors).toBeUndefined()
  })
})
