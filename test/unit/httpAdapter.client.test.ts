import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createHttpAdapter } from '../../src/adapters/http'
import { createSessionClient } from '../../src/core/client'
import { decodeJwt } from '../../src/core/jwt'
import type { SessionResource } from '../../src/core/resources'
import type { SessionClient } from '../../src/core/types'
import { createVirtualClock, type VirtualClock } from '../../src/core/virtualClock'

const MINUTE = 60_000
const POLICY = { inactivityTimeoutMs: 10 * MINUTE, maxLifetimeMs: 60 * MINUTE }
const BASE = '/auth'

const base64url = (value: unknown) =>
  btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

/**
 * A tiny sessionkit server in one function: one browser, one user, the
 * protocol's envelope, status codes and CSRF check. Its clock runs 30 s ahead
 * of the client's.
 */
function createFakeServer(clock: VirtualClock) {
  const skewMs = 30_000
  const sessions: SessionResource[] = []
  let active: string | null = null
  let outage = false
  let hanging = false
  const calls: string[] = []

  const now = () => clock.now() + skewMs
  const reply = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
  const data = (payload: unknown) => reply(200, { data: payload, serverNow: now() })
  const error = (status: number, code: string, message: string) =>
    reply(status, { errors: [{ code, message }], serverNow: now() })
  const client = () => ({ id: 'client_1', sessions, lastActiveSessionId: active, policy: POLICY, tokenLifetimeMs: MINUTE })

  function newSession(): SessionResource {
    const at = now()
    const user = { id: 'user_ada', firstName: 'Ada', lastName: null, identifier: 'ada@example.com', imageUrl: null }
    return {
      id: `sess_${sessions.length + 1}`,
      userId: user.id,
      status: 'active',
      createdAt: at,
      updatedAt: at,
      lastActiveAt: at,
      expireAt: at + POLICY.inactivityTimeoutMs,
      abandonAt: at + POLICY.maxLifetimeMs,
      factorVerificationAge: [0, -1],
      actor: null,
      lastActiveOrganizationId: null,
      publicUserData: { firstName: 'Ada', lastName: null, identifier: user.identifier, imageUrl: null },
      user: { ...user, organizationMemberships: [] },
    }
  }

  const fetch = async (input: string, init: RequestInit): Promise<Response> => {
    const method = init.method ?? 'GET'
    const path = input.slice(BASE.length)
    calls.push(`${method} ${path}`)
    // A server that accepts the connection and never answers: only the adapter's abort ends the request, as a real fetch's.
    if (hanging) {
      return new Promise((_, reject) =>
        init.signal?.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError'))),
      )
    }
    if (outage) return new Response('<html>502 Bad Gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } })
    if (init.credentials !== 'include') return error(401, 'unauthenticated', 'No client cookie.')
    if (method !== 'GET' && new Headers(init.headers).get('x-sessionkit-client') !== '1') {
      return error(403, 'forbidden', 'Missing the X-SessionKit-Client header.')
    }
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : {}
    if (method === 'GET' && path === '/v1/client') return data(client())
    if (method === 'POST' && path === '/v1/client/sign_ins') {
      if (body.identifier !== 'ada@example.com' || body.password !== 'pw') {
        return error(422, 'invalid_credentials', 'The email or password is incorrect.')
      }
      const session = newSession()
      sessions.push(session)
      active = session.id
      return data(client())
    }
    if (method === 'DELETE' && path === '/v1/client/sessions') {
      for (const s of sessions) s.status = 'ended'
      active = null
      return data(client())
    }
    const match = /^\/v1\/client\/sessions\/([^/]+)\/(touch|tokens)$/.exec(path)
    const session = sessions.find((s) => s.id === decodeURIComponent(match?.[1] ?? ''))
    if (method !== 'POST' || !match) return error(404, 'invalid_request', `No such endpoint: ${method} ${path}.`)
    if (!session || session.status !== 'active') return error(404, 'session_not_found', 'No such session on this client.')
    if (match[2] === 'touch') {
      session.lastActiveAt = session.updatedAt = now()
      session.expireAt = Math.min(now() + POLICY.inactivityTimeoutMs, session.abandonAt!)
      return data(session)
    }
    const iat = Math.floor(now() / 1000)
    const claims = { sid: session.id, sub: session.userId, iat, exp: iat + 60 }
    return data({ jwt: `${base64url({ alg: 'HS256' })}.${base64url(claims)}.c2lnbmF0dXJl` })
  }

  return {
    fetch,
    calls,
    skewMs,
    setOutage: (down: boolean) => void (outage = down),
    setHanging: (hangs: boolean) => void (hanging = hangs),
    revoke: (id: string) => void sessions.splice(sessions.findIndex((s) => s.id === id), 1),
  }
}

/** What a call has come to so far: read while virtual time moves, without awaiting a call that may still hang. */
function track(call: Promise<unknown>) {
  const outcome: { settled: boolean; error?: unknown } = { settled: false }
  call.then(
    () => void (outcome.settled = true),
    (error: unknown) => void Object.assign(outcome, { settled: true, error }),
  )
  return outcome
}

describe('the session client on the http adapter', () => {
  let clock: VirtualClock
  let server: ReturnType<typeof createFakeServer>
  let client: SessionClient

  beforeEach(() => {
    vi.spyOn(Math, 'random').mockReturnValue(1)
    clock = createVirtualClock()
    server = createFakeServer(clock)
    client = createSessionClient({
      adapter: createHttpAdapter({ baseUrl: BASE, fetch: server.fetch, clock }),
      clock,
      eventTarget: null,
    })
  })

  afterEach(() => {
    client.destroy()
    vi.restoreAllMocks()
  })

  it('loads signed out, signs in, and keeps the server deadline in client time', async () => {
    await client.load()
    expect(client.getState().status).toBe('signed-out')

    await expect(client.signIn({ identifier: 'ada@example.com', password: 'nope' })).rejects.toMatchObject({
      code: 'invalid_credentials',
    })
    await client.signIn({ identifier: 'ada@example.com', password: 'pw' })
    const state = client.getState()
    expect(state.status).toBe('signed-in')
    expect(state.user?.identifier).toBe('ada@example.com')
    // The server runs 30 s ahead; the deadline is converted to the client's clock.
    expect(state.deadline).toBe(clock.now() + POLICY.inactivityTimeoutMs)
    expect(server.calls).toEqual(['GET /v1/client', 'POST /v1/client/sign_ins', 'POST /v1/client/sign_ins'])
  })

  it('mints tokens, keeps the session through an outage, and signs out on the server\'s definite answer', async () => {
    await client.load()
    await client.signIn({ identifier: 'ada@example.com', password: 'pw' })
    const token = await client.getToken()
    expect(decodeJwt(token!).sid).toBe('sess_1')

    server.setOutage(true)
    const touch = client.touch().catch((error: unknown) => error)
    await clock.advanceAsync(3_000)
    expect(await touch).toMatchObject({ code: 'server_error', status: 502 })
    expect(client.getState()).toMatchObject({ status: 'signed-in', connectivity: 'degraded' })
    expect(server.calls.filter((c) => c.endsWith('/touch'))).toHaveLength(3)

    server.setOutage(false)
    await client.touch()
    expect(client.getState().connectivity).toBe('online')

    server.revoke('sess_1')
    expect(await client.getToken({ skipCache: true, throwOnError: false })).toBeNull()
    expect(client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'revoked' })
  })

  it('tells the user within one timeout that "Stay signed in" cannot reach a hanging server, and renews once it answers', async () => {
    await client.load()
    await client.signIn({ identifier: 'ada@example.com', password: 'pw' })
    // The warning shows (60 s before the deadline); the user clicks "Stay signed in" with 45 s left.
    await clock.advanceAsync(POLICY.inactivityTimeoutMs - 45_000)
    expect(client.getState().phase).toBe('warning')
    server.setHanging(true)
    const stay = track(client.touch())
    expect(client.getState().renewal).toBe('pending')

    // One request timeout (10 s), not three attempts and their backoff (33 s): the warning can say so with 35 s left.
    await clock.advanceAsync(10_000)
    expect(client.getState()).toMatchObject({ status: 'signed-in', renewal: 'retrying', connectivity: 'offline' })
    expect(stay.error).toMatchObject({ code: 'timeout' })
    expect(server.calls.filter((c) => c.endsWith('/touch'))).toHaveLength(1)

    // The client's own retry (1 s backoff) reaches the server once it answers again.
    server.setHanging(false)
    await clock.advanceAsync(1_000)
    expect(server.calls.filter((c) => c.endsWith('/touch'))).toHaveLength(2)
    expect(client.getState()).toMatchObject({ status: 'signed-in', renewal: 'idle', connectivity: 'online', phase: 'active' })
    expect(client.getState().deadline).toBe(clock.now() + POLICY.inactivityTimeoutMs)
  })

  it('against a hanging server, fails each call after one timeout without signing out, and loads again on its own', async () => {
    await client.load()
    await client.signIn({ identifier: 'ada@example.com', password: 'pw' })
    server.setHanging(true)
    const count = (call: string) => server.calls.filter((c) => c === call).length

    const token = track(client.getToken({ skipCache: true }))
    await clock.advanceAsync(10_000)
    expect(token.error).toMatchObject({ code: 'timeout' })
    expect(count('POST /v1/client/sessions/sess_1/tokens')).toBe(1)
    expect(client.getState()).toMatchObject({ status: 'signed-in', connectivity: 'offline' })

    const load = track(client.load())
    await clock.advanceAsync(10_000)
    expect(load.error).toMatchObject({ code: 'timeout' })
    expect(count('GET /v1/client')).toBe(2)
    // The client's retry queue loads again after its backoff (1 s), and that answer puts it back online.
    server.setHanging(false)
    await clock.advanceAsync(1_000)
    expect(count('GET /v1/client')).toBe(3)
    expect(client.getState()).toMatchObject({ status: 'signed-in', connectivity: 'online' })
    expect(await client.getToken({ skipCache: true })).toEqual(expect.any(String))

    // Signing out leaves at once; a server that cannot be told changes nothing, and the call still ends.
    server.setHanging(true)
    const signOut = track(client.signOut())
    expect(client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'signed-out' })
    await clock.advanceAsync(10_000)
    expect(signOut).toEqual({ settled: true })
    expect(count('DELETE /v1/client/sessions')).toBe(1)
  })

  it('signs out of every session with DELETE', async () => {
    await client.load()
    await client.signIn({ identifier: 'ada@example.com', password: 'pw' })
    await client.signOut()
    expect(server.calls.at(-1)).toBe('DELETE /v1/client/sessions')
    expect(client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'signed-out' })
  })
})
