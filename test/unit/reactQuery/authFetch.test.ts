import { describe, expect, it } from 'vitest'
import { decodeJwt } from '../../../src/core/jwt'
import { isSessionKitError } from '../../../src/core/errors'
import { createAuthFetch, fetchJson, HttpError, isHttpError, readJson, sessionRetryDelay } from '../../../src/react-query'
import { createQueryWorld } from './harness'

async function signedInWorld(options: Parameters<typeof createQueryWorld>[0] = {}) {
  const world = createQueryWorld(options)
  await world.client.load()
  world.adapter.resetCalls()
  return world
}

describe('createAuthFetch', () => {
  describe('given a signed-in session', () => {
    it('sends the session token as a Bearer header, and never in the URL', async () => {
      const world = await signedInWorld()
      const authFetch = createAuthFetch(world.client, { fetch: world.api.fetch })
      const response = await authFetch('/api/me?view=full')
      expect(response.status).toBe(200)
      expect(await response.json()).toEqual({ userId: 'user_ada', name: 'Ada Lovelace' })
      const [request] = world.api.received
      const token = await world.client.getToken()
      expect(request!.authorization).toBe(`Bearer ${token}`)
      expect(request!.url).toBe('/api/me?view=full')
      expect(world.adapter.calls.createToken).toBe(1)
    })

    it('keeps the headers, method and body it was given', async () => {
      const world = await signedInWorld()
      const authFetch = createAuthFetch(world.client, { fetch: world.api.fetch })
      await authFetch('/api/notes', { method: 'POST', headers: { 'X-Trace': '7' }, body: '{"text":"hi"}' })
      const [call] = world.api.fetch.mock.calls
      const headers = new Headers(call![1]!.headers)
      expect(headers.get('X-Trace')).toBe('7')
      expect(world.api.received[0]).toMatchObject({ method: 'POST', body: '{"text":"hi"}' })
    })

    it('passes template and organizationId through, per request over the defaults', async () => {
      const world = await signedInWorld()
      const authFetch = createAuthFetch(world.client, { fetch: world.api.fetch, organizationId: 'org_globex' })
      await authFetch('/api/a')
      await authFetch('/api/b', { template: 'profile', organizationId: null })
      const claims = world.api.received.map((r) => decodeJwt(r.authorization!.slice('Bearer '.length)))
      expect(claims[0]).toMatchObject({ org_id: 'org_globex', org_role: 'org:member' })
      expect(claims[1]).not.toHaveProperty('org_id')
      expect(claims[1]).toMatchObject({ email: 'ada@example.com' })
    })

    it('serves later requests from the token cache', async () => {
      const world = await signedInWorld()
      const authFetch = createAuthFetch(world.client, { fetch: world.api.fetch })
      await authFetch('/api/me')
      await authFetch('/api/me')
      expect(world.adapter.calls.createToken).toBe(1)
    })

    it('does not send a request whose signal was aborted while the token was on its way', async () => {
      const world = await signedInWorld()
      const authFetch = createAuthFetch(world.client, { fetch: world.api.fetch })
      const controller = new AbortController()
      const pending = authFetch('/api/me', { signal: controller.signal })
      controller.abort()
      await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
      expect(world.api.fetch).not.toHaveBeenCalled()
    })
  })

  describe('given a 401', () => {
    it('fetches one fresh token (skipCache) and sends the request once more', async () => {
      const world = await signedInWorld()
      const authFetch = createAuthFetch(world.client, { fetch: world.api.fetch })
      await world.client.getToken()
      world.adapter.resetCalls()
      // Tokens minted in the same second are the same bytes: let a second pass.
      world.clock.advance(1_000)
      world.api.refuse(1)
      const response = await authFetch('/api/me')
      expect(response.status).toBe(200)
      expect(world.adapter.calls.createToken).toBe(1)
      expect(world.api.received).toHaveLength(2)
      const [first, second] = world.api.received
      expect(second!.authorization).not.toBe(first!.authorization)
      expect(world.adapter.calls.getClient).toBe(0)
    })

    it('replays a Request object with its body', async () => {
      const world = await signedInWorld()
      const authFetch = createAuthFetch(world.client, { fetch: world.api.fetch })
      world.api.refuse(1)
      const request = new Request('https://app.test/api/notes', { method: 'PUT', body: 'draft' })
      expect((await authFetch(request)).status).toBe(200)
      expect(world.api.received.map((r) => r.body)).toEqual(['draft', 'draft'])
    })

    it('returns a 401 for a stream body without sending it again', async () => {
      const world = await signedInWorld()
      const authFetch = createAuthFetch(world.client, { fetch: world.api.fetch })
      world.api.refuse(1)
      const body = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('x'))
          controller.close()
        },
      })
      const response = await authFetch('/api/upload', { method: 'POST', body, duplex: 'half' } as RequestInit)
      expect(response.status).toBe(401)
      expect(world.api.received).toHaveLength(1)
    })

    it('mints one token for 20 requests refused together', async () => {
      const world = await signedInWorld()
      const authFetch = createAuthFetch(world.client, { fetch: world.api.fetch })
      await world.client.getToken()
      world.adapter.resetCalls()
      world.api.refuse(20)
      const responses = await Promise.all(Array.from({ length: 20 }, () => authFetch('/api/me')))
      expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200))
      expect(world.adapter.calls.createToken).toBe(1)
    })
  })

  describe('given a session revoked elsewhere', () => {
    it('resolves to the 401 it got, as documented, and signs out', async () => {
      const world = await signedInWorld()
      const sessionId = world.client.getState().session!.id
      const authFetch = createAuthFetch(world.client, { fetch: world.api.fetch })
      await world.client.getToken()
      // The cached token still looks fresh here; the API and the session server both refuse it.
      world.adapter.revokeSession(sessionId)
      const response = await authFetch('/api/me')
      expect(response.status).toBe(401)
      expect(world.api.received).toHaveLength(1)
      expect(world.client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'revoked' })
      const error = await authFetch.json('/api/me').catch((e: unknown) => e)
      expect(isSessionKitError(error, 'signed_out')).toBe(true)
    })

    it('json rejects with an HttpError 401, not a session error', async () => {
      const world = await signedInWorld()
      const authFetch = createAuthFetch(world.client, { fetch: world.api.fetch })
      await world.client.getToken()
      world.adapter.revokeSession(world.client.getState().session!.id)
      const error = await authFetch.json('/api/me').catch((e: unknown) => e)
      expect(isHttpError(error, 401)).toBe(true)
    })
  })

  describe('given a second 401', () => {
    it('asks the session server about the session, and keeps it when the server still knows it', async () => {
      const world = await signedInWorld()
      const authFetch = createAuthFetch(world.client, { fetch: world.api.fetch })
      world.api.refuse(2)
      const response = await authFetch('/api/me')
      expect(response.status).toBe(401)
      expect(world.api.received).toHaveLength(2)
      expect(world.adapter.calls.getClient).toBe(1)
      expect(world.client.getState().status).toBe('signed-in')
    })

    it('signs out when the server says the session is gone', async () => {
      const world = await signedInWorld()
      const sessionId = world.client.getState().session!.id
      const authFetch = createAuthFetch(world.client, { fetch: world.api.fetch })
      world.api.refuse(2)
      // Revoked elsewhere after the fresh token was minted: only the session check can tell.
      world.api.onRequest = (request) => {
        if (world.api.received.indexOf(request) === 1) world.adapter.revokeSession(sessionId)
      }
      const response = await authFetch('/api/me')
      expect(response.status).toBe(401)
      expect(world.adapter.calls.createToken).toBe(2)
      expect(world.adapter.calls.getClient).toBe(1)
      expect(world.client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'revoked' })
    })
  })

  describe('given nobody signed in', () => {
    it('rejects with signed_out and sends nothing', async () => {
      const world = createQueryWorld({ signedIn: false })
      const authFetch = createAuthFetch(world.client, { fetch: world.api.fetch })
      const error = await authFetch('/api/me').catch((e: unknown) => e)
      expect(isSessionKitError(error, 'signed_out')).toBe(true)
      expect(world.api.fetch).not.toHaveBeenCalled()
    })

    it('sends without Authorization when anonymous', async () => {
      const world = createQueryWorld({ signedIn: false })
      const authFetch = createAuthFetch(world.client, { fetch: world.api.fetch, anonymous: true })
      const response = await authFetch('/api/me')
      expect(response.status).toBe(401)
      expect(world.api.received[0]!.authorization).toBeNull()
      // No token was refused, so no fresh token and no session check.
      expect(world.api.received).toHaveLength(1)
    })
  })
})

describe('authFetch.json and fetchJson', () => {
  it('resolve to the JSON body', async () => {
    const world = await signedInWorld()
    const authFetch = createAuthFetch(world.client, { fetch: world.api.fetch })
    await expect(authFetch.json('/api/me')).resolves.toEqual({ userId: 'user_ada', name: 'Ada Lovelace' })
    expect(new Headers(world.api.fetch.mock.calls[0]![1]!.headers).get('Accept')).toBe('application/json')
  })

  it('throw an HttpError with the status and the server error code, and no token in the message', async () => {
    const world = await signedInWorld()
    const authFetch = createAuthFetch(world.client, { fetch: world.api.fetch })
    world.api.respond('/api/invoices', 404, { errors: [{ code: 'not_found', message: 'No such invoice.' }] })
    const error = await authFetch.json('/api/invoices?id=9').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HttpError)
    expect(isHttpError(error, 404)).toBe(true)
    expect(error).toMatchObject({ status: 404, code: 'not_found', url: '/api/invoices?id=9' })
    expect((error as Error).message).toBe('/api/invoices answered 404: No such invoice.')
    const token = (await world.client.getToken())!
    expect(JSON.stringify(error)).not.toContain(token)
    expect((error as Error).message).not.toContain(token)
  })

  it('read Retry-After into retryAfterMs', async () => {
    const world = await signedInWorld()
    world.api.respond('/api/busy', 429, null, { 'Retry-After': '7' })
    const error = await fetchJson(world.api.fetch, '/api/busy').catch((e: unknown) => e)
    expect(error).toMatchObject({ status: 429, retryAfterMs: 7_000 })
  })

  it('cap Retry-After at a minute, however long the server asks, as the adapters do', async () => {
    const inSeconds = await readJson(new Response('{}', { status: 503, headers: { 'Retry-After': '86400' } }), '/api/x').catch(
      (e: unknown) => e,
    )
    expect(inSeconds).toMatchObject({ status: 503, retryAfterMs: 60_000 })
    expect(sessionRetryDelay(0, inSeconds)).toBeLessThanOrEqual(60_000)
    // Past 2^31 ms, setTimeout would fire at once instead.
    const nextYear = new Date(Date.now() + 365 * 24 * 3_600_000).toUTCString()
    const asDate = await readJson(new Response(null, { status: 429, headers: { 'Retry-After': nextYear } })).catch((e: unknown) => e)
    expect(asDate).toMatchObject({ status: 429, retryAfterMs: 60_000 })
  })

  it('resolve to undefined for an empty body and reject invalid_response for one that is not JSON', async () => {
    const world = await signedInWorld()
    world.api.respond('/api/empty', 204)
    await expect(fetchJson(world.api.fetch, '/api/empty')).resolves.toBeUndefined()
    const text = async () => new Response('<html>', { status: 200 })
    const error = await fetchJson(text, '/api/page').catch((e: unknown) => e)
    expect(isSessionKitError(error, 'invalid_response')).toBe(true)
  })

  it('leave non-2xx as a Response when called as fetch', async () => {
    const world = await signedInWorld()
    const authFetch = createAuthFetch(world.client, { fetch: world.api.fetch })
    world.api.respond('/api/missing', 404)
    expect((await authFetch('/api/missing')).status).toBe(404)
  })
})
