import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createHttpAdapter, type HttpSessionAdapter } from '../../src/adapters/http'
import type { UserSessionResource } from '../../src/core/adapter'
import { capabilitiesOf } from '../../src/core/adapter'
import type { SessionKitError } from '../../src/core/errors'
import { judgeFailure } from '../../src/core/failurePolicy'
import type { ClientResource } from '../../src/core/resources'
import { createVirtualClock, type VirtualClock } from '../../src/core/virtualClock'

// The device methods of the http adapter at the transport level: a fake fetch
// records each request and answers as the reference server would (see
// test/server/devices.test.ts and devicesAdapter.test.ts for the real one).

const SERVER_NOW = Date.UTC(2026, 0, 1, 12)

const device = (id: string, isCurrent = false): UserSessionResource => ({
  id,
  status: 'active',
  device: 'Chrome 156 on Linux',
  ip: '192.0.2.4',
  createdAt: SERVER_NOW - 3_600_000,
  lastActiveAt: SERVER_NOW - 60_000,
  isCurrent,
})

const signedOutClient = (): ClientResource => ({
  id: 'client_1',
  sessions: [],
  lastActiveSessionId: null,
  policy: { inactivityTimeoutMs: 1_800_000, maxLifetimeMs: 604_800_000, multiSession: true, singleDevice: false },
  tokenLifetimeMs: 60_000,
})

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
const ok = (data: unknown) => json(200, { data, serverNow: SERVER_NOW })
const failure = (status: number, code: string, message = 'No.') => json(status, { errors: [{ code, message }], serverNow: SERVER_NOW })

interface Sent {
  url: string
  method: string
  headers: Headers
  credentials: RequestCredentials | undefined
  body: unknown
}

/** Answers with the next reply (the last one repeats); an Error rejects like a network failure. */
function fakeFetch(...replies: (Response | Error)[]) {
  const requests: Sent[] = []
  const fetch = vi.fn((input: string, init: RequestInit): Promise<Response> => {
    requests.push({ url: input, method: init.method ?? 'GET', headers: new Headers(init.headers), credentials: init.credentials, body: init.body })
    const reply = replies[Math.min(requests.length, replies.length) - 1]!
    return reply instanceof Error ? Promise.reject(reply) : Promise.resolve(reply.clone())
  })
  return { fetch, requests }
}

let clock: VirtualClock
beforeEach(() => {
  clock = createVirtualClock(SERVER_NOW)
  // No jitter: backoff waits exactly 1 s, 2 s, 4 s …
  vi.spyOn(Math, 'random').mockReturnValue(1)
})
afterEach(() => vi.restoreAllMocks())

const adapterWith = (fetch: ReturnType<typeof fakeFetch>['fetch']): HttpSessionAdapter =>
  createHttpAdapter({ baseUrl: 'https://auth.example.com/', fetch, clock })

function settle<T>(promise: Promise<T>) {
  return promise.then(
    (value) => ({ value, error: undefined }),
    (error: SessionKitError) => ({ value: undefined, error }),
  )
}

type Call = [name: string, call: (a: HttpSessionAdapter) => Promise<{ data: unknown }>, method: string, path: string, answer: unknown]

const CALLS: Call[] = [
  ['getUserSessions', (a) => a.getUserSessions(), 'GET', '/v1/me/sessions', [device('sess_here', true), device('sess_other')]],
  ['revokeUserSession', (a) => a.revokeUserSession('sess_other'), 'POST', '/v1/me/sessions/sess_other/revoke', [device('sess_here', true)]],
  ['revokeOtherUserSessions', (a) => a.revokeOtherUserSessions(), 'POST', '/v1/me/sessions/revoke_others', [device('sess_here', true)]],
  ['signOutEverywhere', (a) => a.signOutEverywhere(), 'POST', '/v1/me/sign_out_everywhere', signedOutClient()],
]

describe('http adapter: sessions on every device', () => {
  it('declares the devices and sign-out-everywhere capabilities', () => {
    expect(capabilitiesOf(adapterWith(fakeFetch().fetch))).toMatchObject({ devices: true, signOutEverywhere: true })
  })

  it.each(CALLS)('%s sends %s %s with the cookie (and the CSRF header on POST) and answers the parsed data', async (_name, call, method, path, answer) => {
    const { fetch, requests } = fakeFetch(ok(answer))
    const { data } = await call(adapterWith(fetch))
    expect(data).toEqual(answer)
    expect(requests).toHaveLength(1)
    const [sent] = requests
    expect(sent).toMatchObject({ url: `https://auth.example.com${path}`, method, credentials: 'include', body: undefined })
    expect(sent!.headers.get('x-sessionkit-client')).toBe(method === 'POST' ? '1' : null)
  })

  // What the list holds is checked where it enters the client: test/unit/httpAdapter.validation.test.ts.

  it('encodes the session id as one path segment, and refuses an empty or dot id without a request', async () => {
    const { fetch, requests } = fakeFetch(ok([]))
    await adapterWith(fetch).revokeUserSession('a/b?c')
    expect(requests[0]!.url).toBe('https://auth.example.com/v1/me/sessions/a%2Fb%3Fc/revoke')
    for (const id of ['', '.', '..', 42 as unknown as string]) {
      const { error } = await settle(adapterWith(fetch).revokeUserSession(id))
      expect(error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/^revokeUserSession: the session id must be/) })
    }
    expect(requests).toHaveLength(1)
  })

  it.each(CALLS)('retries %s after a network error and a 503, then answers', async (_name, call, _method, _path, answer) => {
    const { fetch, requests } = fakeFetch(new TypeError('Failed to fetch'), failure(503, 'server_error'), ok(answer))
    const result = settle(call(adapterWith(fetch)))
    await clock.advanceAsync(999)
    expect(requests).toHaveLength(1)
    await clock.advanceAsync(1)
    expect(requests).toHaveLength(2)
    await clock.advanceAsync(2_000)
    expect(requests).toHaveLength(3)
    expect((await result).value?.data).toEqual(answer)
  })

  it("reports another user's (or an unknown) id as session_not_found, without a retry", async () => {
    const { fetch, requests } = fakeFetch(failure(404, 'session_not_found', 'You have no such session: refresh the list of your devices.'))
    const result = settle(adapterWith(fetch).revokeUserSession('sess_someone_else'))
    await clock.advanceAsync(60_000)
    const { error } = await result
    expect(error).toMatchObject({ code: 'session_not_found', status: 404 })
    expect(error!.message).toMatch(/refresh the list of your devices/)
    expect(requests).toHaveLength(1)
  })

  it('passes session_replaced through, which the client reads as a sign-out for reason replaced', async () => {
    const { fetch } = fakeFetch(failure(401, 'session_replaced', 'A newer sign-in replaced this session.'))
    const { error } = await settle(adapterWith(fetch).touchSession('sess_1'))
    expect(error).toMatchObject({ code: 'session_replaced', status: 401 })
    expect(error!.message).toMatch(/another device replaced this session \(401\)/)
    expect(judgeFailure(error!, null, SERVER_NOW)).toEqual({ action: 'sign-out', reason: 'replaced' })
  })

  it('answers a signed-out caller as unauthenticated', async () => {
    const { error } = await settle(adapterWith(fakeFetch(failure(401, 'unauthenticated', 'Sign in first.')).fetch).getUserSessions())
    expect(error).toMatchObject({ code: 'unauthenticated', status: 401 })
  })
})
