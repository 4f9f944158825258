import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { SignJWT, UnsecuredJWT, decodeProtectedHeader, exportSPKI, generateKeyPair, importJWK, type JWK } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authenticate, getClientSnapshot, verifySessionToken, wwwAuthenticate, type SessionKitError } from 'sessionkit/server'
import { loadConfig } from '../../server/config'
import type { LogEntry } from '../../server/log'
import { startServer, type RunningServer } from '../../server/main'
import { ALAN, ADA, ManualClock, makeServer, removeDir, seededDataDir } from './helpers'

// The real reference server over real HTTP on 127.0.0.1 (free port), on a manual clock that
// the verifier shares, so "expired" is a move of that clock and never a sleep.
let dir: string
let server: RunningServer
let jwksUrl: string
const clock = new ManualClock()
const logs: LogEntry[] = []
const json = { 'x-sessionkit-client': '1', 'content-type': 'application/json' }

beforeAll(async () => {
  dir = seededDataDir()
  server = await startServer(loadConfig({ SESSIONKIT_DATA: dir, SESSIONKIT_PORT: '0' }), { clock, log: (e) => logs.push(e) })
  jwksUrl = `${server.url}/.well-known/jwks.json`
})
afterAll(async () => {
  await server.close()
  removeDir(dir)
})

async function signIn(who = ADA) {
  const res = await fetch(`${server.url}/v1/client/sign_ins`, { method: 'POST', headers: json, body: JSON.stringify(who) })
  const cookie = res.headers.getSetCookie()[0]!.split(';')[0]!
  return { cookie, sessionId: (await res.json()).data.lastActiveSessionId as string }
}

async function mint({ cookie, sessionId }: { cookie: string; sessionId: string }): Promise<string> {
  const res = await fetch(`${server.url}/v1/client/sessions/${sessionId}/tokens`, { method: 'POST', headers: { ...json, cookie } })
  return (await res.json()).data.jwt
}

const jwksRequests = () => logs.filter((e) => e.msg === 'request' && e.path === '/.well-known/jwks.json').length
const serverKey = async () => ((await (await fetch(jwksUrl)).json()) as { keys: JWK[] }).keys[0]!

/** The SessionKitError a promise rejects with; fails the test when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<SessionKitError> {
  const error = await promise.then(
    () => expect.unreachable('expected a rejection'),
    (e: unknown) => e,
  )
  expect(error).toMatchObject({ name: 'SessionKitError' })
  return error as SessionKitError
}

/** A closed port on loopback: connecting to it is refused at once. */
async function closedPortUrl(): Promise<string> {
  const probe = http.createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise((resolve) => probe.close(resolve))
  return `http://127.0.0.1:${port}`
}

const opts = () => ({ jwksUrl, issuer: 'sessionkit', clock })

describe('verifySessionToken against the reference server', () => {
  it('resolves the claims the server minted, from the remote JWKS or a local copy of it', async () => {
    const ada = await signIn()
    const jwt = await mint(ada)
    const iat = Math.floor(clock.time / 1000)
    const expected = {
      sid: ada.sessionId,
      sub: 'user_ada',
      iss: 'sessionkit',
      iat,
      nbf: iat,
      exp: iat + 60,
      org_id: 'org_acme',
      org_slug: 'acme',
      org_role: 'org:admin',
      org_permissions: expect.arrayContaining(['org:invoices:read', 'org:invoices:delete']),
    }
    expect(await verifySessionToken(jwt, opts())).toEqual(expected)
    const jwks = await (await fetch(jwksUrl)).json()
    expect(await verifySessionToken(jwt, { jwks, clock })).toEqual(expected)
  })

  it('carries act for an impersonated session', async () => {
    const jwt = await mint(await signIn({ identifier: 'grace@example.com', password: 'password', actAs: ALAN.identifier } as typeof ADA))
    expect(await verifySessionToken(jwt, opts())).toMatchObject({ sub: 'user_alan', act: { sub: 'user_grace' } })
  })

  it('fetches the key set once per jwksUrl and reuses it across calls', async () => {
    const url = `${jwksUrl}?cache-test` // a URL no other test used: its set starts empty
    const tokens = await Promise.all([signIn(ADA), signIn(ALAN)].map(async (who) => mint(await who)))
    const before = jwksRequests()
    await Promise.all(tokens.map((t) => verifySessionToken(t, { jwksUrl: url, clock })))
    await verifySessionToken(tokens[0]!, { jwksUrl: url, clock })
    expect(jwksRequests() - before).toBe(1)
  })

  it('rejects token_expired once the server clock passes exp, allowing clockTolerance', async () => {
    const jwt = await mint(await signIn())
    const { exp } = await verifySessionToken(jwt, opts())
    const start = clock.time
    try {
      clock.time = exp * 1000 - 1000
      await expect(verifySessionToken(jwt, { ...opts(), clockTolerance: 0 })).resolves.toMatchObject({ exp })
      clock.time = exp * 1000
      const expired = await rejection(verifySessionToken(jwt, { ...opts(), clockTolerance: 0 }))
      expect(expired.code).toBe('token_expired')
      expect(expired.message).toMatch(/expired.*getToken\(\)/)
      expect(expired.message).not.toContain(jwt.split('.')[1]!)
      clock.time = exp * 1000 + 4000 // within the default 5 s
      await expect(verifySessionToken(jwt, opts())).resolves.toMatchObject({ exp })
      clock.time = exp * 1000 + 5000
      expect((await rejection(verifySessionToken(jwt, opts()))).code).toBe('token_expired')
    } finally {
      clock.time = start
    }
  })

  it('rejects token_invalid for a wrong key, alg none, HS256 keyed with the public key, a wrong issuer, garbage', async () => {
    const ada = await signIn()
    const jwt = await mint(ada)
    const { kid } = decodeProtectedHeader(jwt)
    const now = Math.floor(clock.time / 1000)
    const claims = { sid: ada.sessionId, sub: 'user_ada' }
    const forge = (alg: string, key: CryptoKey | Uint8Array, header: Record<string, unknown> = { kid }) =>
      new SignJWT(claims).setProtectedHeader({ alg, ...header }).setIssuer('sessionkit').setIssuedAt(now).setExpirationTime(now + 60).sign(key)

    const { privateKey } = await generateKeyPair('ES256')
    const publicJwk = await serverKey()
    const pem = await exportSPKI((await importJWK(publicJwk, 'ES256')) as CryptoKey)
    const cases: [string, string, RegExp][] = [
      ['a new key under the server kid', await forge('ES256', privateKey), /does not verify/],
      ['a new key under its own kid', await forge('ES256', privateKey, { kid: 'not-the-server-key' }), /key \("kid"\)/],
      ['alg none', new UnsecuredJWT(claims).setIssuer('sessionkit').setIssuedAt(now).setExpirationTime(now + 60).encode(), /ES256/],
      ['HS256 keyed with the public key (PEM)', await forge('HS256', new TextEncoder().encode(pem)), /ES256/],
      ['HS256 keyed with the public JWK', await forge('HS256', new TextEncoder().encode(JSON.stringify(publicJwk))), /ES256/],
      ['a tampered payload', `${jwt.split('.')[0]}.${Buffer.from(JSON.stringify({ ...claims, sub: 'user_alan' })).toString('base64url')}.${jwt.split('.')[2]}`, /signature/],
      ['not a JWT', 'not.a.jwt', /well-formed/],
    ]
    for (const [name, token, message] of cases) {
      const error = await rejection(verifySessionToken(token, opts()))
      expect(error.code, name).toBe('token_invalid')
      expect(error.message, name).toMatch(message)
      expect(error.message, name).not.toContain(token)
    }
    const wrongIssuer = await rejection(verifySessionToken(jwt, { ...opts(), issuer: 'someone-else' }))
    expect([wrongIssuer.code, wrongIssuer.message]).toEqual(['token_invalid', expect.stringMatching(/another server.*`issuer`/)])
  })

  it('rejects a token of a server with another issuer and key', async () => {
    const other = makeServer({ SESSIONKIT_ISSUER: 'someone-else' })
    try {
      const b = other.browser()
      const foreign = (await b.token(await b.signedInSessionId())).json.data.jwt
      const otherJwks = (await b.call('GET', '/.well-known/jwks.json')).json
      const ownKeys = await rejection(verifySessionToken(foreign, opts()))
      expect(ownKeys.code).toBe('token_invalid')
      const wrongIssuer = await rejection(verifySessionToken(foreign, { jwks: otherJwks, issuer: 'sessionkit', clock: other.clock }))
      expect(wrongIssuer.message).toMatch(/"iss"/)
    } finally {
      other.close()
    }
  })

  it('rejects jwks_unavailable when the key set cannot be read, but refuses alg none without asking', async () => {
    const jwt = await mint(await signIn())
    for (const url of [`${await closedPortUrl()}/.well-known/jwks.json`, `${server.url}/v1/no-such-jwks`]) {
      const error = await rejection(verifySessionToken(jwt, { jwksUrl: url, clock }))
      expect(error.code).toBe('jwks_unavailable')
      expect(error.message).toContain(url)
      expect(error.message).toMatch(/not the token's fault/)
      expect(error.message).not.toContain(jwt)
    }
    const none = new UnsecuredJWT({ sid: 's', sub: 'u' }).setIssuedAt().setExpirationTime('1m').encode()
    const unreachable = `${await closedPortUrl()}/jwks.json`
    expect((await rejection(verifySessionToken(none, { jwksUrl: unreachable }))).code).toBe('token_invalid')
  })

  it('rejects invalid_option for a missing or doubled key source and bad options', async () => {
    const jwt = await mint(await signIn())
    const bad = [{}, { jwksUrl, jwks: { keys: [] } }, { jwksUrl: '/relative' }, { jwksUrl: 'ftp://x/jwks' }, { jwksUrl, clockTolerance: -1 }, { jwks: { nope: 1 } }]
    for (const options of bad) {
      expect((await rejection(verifySessionToken(jwt, options as never))).code, JSON.stringify(options)).toBe('invalid_option')
    }
  })
})

describe('authenticate', () => {
  const request = (authorization?: string) => new Request(`${server.url}/api/x`, { headers: authorization ? { authorization } : {} })

  it('signs in a request with a valid Bearer token (any letter case of the scheme)', async () => {
    const ada = await signIn()
    const jwt = await mint(ada)
    for (const header of [`Bearer ${jwt}`, `bearer ${jwt}`]) {
      const auth = await authenticate(request(header), opts())
      expect(auth).toEqual({ signedIn: true, claims: expect.objectContaining({ sub: 'user_ada', sid: ada.sessionId }) })
    }
    // Anything with headers.get will do.
    expect((await authenticate({ headers: new Headers({ authorization: `Bearer ${jwt}` }) }, opts())).signedIn).toBe(true)
  })

  it('answers signed out with a reason for no header, a malformed header, an expired or a forged token', async () => {
    const jwt = await mint(await signIn())
    const cases: [string | undefined, string][] = [
      [undefined, 'no_token'],
      ['Basic YWRhOnBhc3N3b3Jk', 'malformed_header'],
      ['Bearer', 'malformed_header'],
      [`Bearer ${jwt} extra`, 'malformed_header'],
      [`Bearer ${jwt.slice(0, -4)}AAAA`, 'token_invalid'],
    ]
    for (const [header, reason] of cases) {
      const auth = await authenticate(request(header), opts())
      expect(auth, header).toMatchObject({ signedIn: false, reason, message: expect.any(String) })
      if (!auth.signedIn) {
        expect(auth.message).not.toContain(jwt)
        expect(wwwAuthenticate(auth)).toBe(reason === 'no_token' ? 'Bearer' : 'Bearer error="invalid_token"')
      }
    }
    const start = clock.time
    clock.advance(2 * 60_000)
    try {
      expect(await authenticate(request(`Bearer ${jwt}`), opts())).toMatchObject({ signedIn: false, reason: 'token_expired' })
    } finally {
      clock.time = start
    }
  })

  it('throws jwks_unavailable instead of signing out when the key set is down', async () => {
    const jwt = await mint(await signIn())
    const url = `${await closedPortUrl()}/.well-known/jwks.json`
    expect((await rejection(authenticate(request(`Bearer ${jwt}`), { jwksUrl: url, clock }))).code).toBe('jwks_unavailable')
  })
})

describe('getClientSnapshot', () => {
  it('answers exactly what GET /v1/client answers for the cookie, forwarding only the cookie', async () => {
    const ada = await signIn()
    const incoming = new Request('http://app.example/dashboard', {
      headers: { cookie: ada.cookie, authorization: 'Bearer secret', 'x-forwarded-for': '6.6.6.6', 'user-agent': 'Browser/1' },
    })
    const sent: Headers[] = []
    const recording: typeof fetch = (input, init) => {
      sent.push(new Headers(init?.headers))
      return fetch(input, init)
    }
    const snapshot = await getClientSnapshot(incoming, { baseUrl: `${server.url}/`, fetch: recording })
    const direct = await (await fetch(`${server.url}/v1/client`, { headers: { cookie: ada.cookie } })).json()
    expect(snapshot).toEqual({ client: direct.data, serverNow: direct.serverNow })
    expect(snapshot!.client.lastActiveSessionId).toBe(ada.sessionId)
    expect([...sent[0]!.keys()].sort()).toEqual(['accept', 'cookie'])
  })

  it('answers null when signed out: no cookie (no request made), an unknown cookie, a client that signed out', async () => {
    const before = logs.length
    expect(await getClientSnapshot(new Request('http://app.example/'), { baseUrl: server.url })).toBeNull()
    expect(logs.length).toBe(before)
    const unknown = new Request('http://app.example/', { headers: { cookie: 'sessionkit_client=nope' } })
    expect(await getClientSnapshot(unknown, { baseUrl: server.url })).toBeNull()
    const ada = await signIn()
    await fetch(`${server.url}/v1/client/sessions/${ada.sessionId}/end`, { method: 'POST', headers: { ...json, cookie: ada.cookie } })
    const ended = new Request('http://app.example/', { headers: { cookie: ada.cookie } })
    expect(await getClientSnapshot(ended, { baseUrl: server.url })).toBeNull()
  })

  it('rejects network_error, server_error, invalid_response (never null) when the server cannot answer properly', async () => {
    const cookie = (await signIn()).cookie
    const incoming = new Request('http://app.example/', { headers: { cookie } })
    // A stand-in for what the reference server never sends: a 401, a 503, a proxy's HTML page.
    const upstream = http.createServer((req, res) => {
      const status = Number(req.url!.split('/')[1])
      res.writeHead(status, { 'content-type': status === 200 ? 'text/html' : 'application/json' })
      res.end(status === 200 ? '<html>login</html>' : '{"errors":[]}')
    })
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
    const base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
    try {
      expect(await getClientSnapshot(incoming, { baseUrl: `${base}/401` })).toBeNull()
      expect((await rejection(getClientSnapshot(incoming, { baseUrl: `${base}/503` }))).code).toBe('server_error')
      expect((await rejection(getClientSnapshot(incoming, { baseUrl: `${base}/200` }))).code).toBe('invalid_response')
      expect((await rejection(getClientSnapshot(incoming, { baseUrl: `${base}/404` }))).code).toBe('invalid_response')
    } finally {
      await new Promise((resolve) => upstream.close(resolve))
    }
    const down = await rejection(getClientSnapshot(incoming, { baseUrl: await closedPortUrl() }))
    expect(down.code).toBe('network_error')
    expect((await rejection(getClientSnapshot(incoming, { baseUrl: 'not a url' }))).code).toBe('invalid_option')
  })
})
