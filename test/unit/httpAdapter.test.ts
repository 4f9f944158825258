import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createHttpAdapter, type HttpAdapterOptions } from '../../src/adapters/http'
import type { PasswordSessionAdapter } from '../../src/core/adapter'
import type { SessionKitError, SessionKitErrorCode } from '../../src/core/errors'
import { isConnectivityError, isSignOutError } from '../../src/core/failurePolicy'
import type { ClientResource, SessionResource } from '../../src/core/resources'
import { createVirtualClock, type VirtualClock } from '../../src/core/virtualClock'

const SERVER_NOW = Date.UTC(2026, 0, 1, 12)

// ---- fixtures -----------------------------------------------------------------

function sessionResource(id = 'sess_1'): SessionResource {
  const user = { id: 'user_1', firstName: 'Ada', lastName: 'Lovelace', identifier: 'ada@example.com', imageUrl: null }
  return {
    id,
    userId: user.id,
    status: 'active',
    createdAt: SERVER_NOW - 60_000,
    updatedAt: SERVER_NOW,
    lastActiveAt: SERVER_NOW,
    expireAt: SERVER_NOW + 600_000,
    abandonAt: SERVER_NOW + 3_600_000,
    factorVerificationAge: [0, -1],
    actor: null,
    lastActiveOrganizationId: null,
    publicUserData: { firstName: 'Ada', lastName: 'Lovelace', identifier: user.identifier, imageUrl: null },
    user: { ...user, organizationMemberships: [] },
  }
}

function clientResource(): ClientResource {
  return {
    id: 'client_1',
    sessions: [sessionResource()],
    lastActiveSessionId: 'sess_1',
    policy: { inactivityTimeoutMs: 600_000, maxLifetimeMs: 3_600_000 },
    tokenLifetimeMs: 60_000,
  }
}

const base64url = (value: unknown) =>
  btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

/** A JWT-shaped token (unsigned: the adapter never verifies tokens). */
const TOKEN = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({ sid: 'sess_1', sub: 'user_1', iat: 1, exp: 61, secret: 'x'.repeat(40) })}.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg`

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })
const ok = (data: unknown, serverNow = SERVER_NOW) => json(200, { data, serverNow })
const errorBody = (status: number, code: string, message = 'No.', extra: Record<string, unknown> = {}, headers = {}) =>
  json(status, { errors: [{ code, message, ...extra }], serverNow: SERVER_NOW }, headers)
const html = (status: number, text = '<html><body><h1>502 Bad Gateway</h1></body></html>') =>
  new Response(text, { status, headers: { 'content-type': 'text/html' } })

interface SentRequest {
  url: string
  method: string
  headers: Headers
  credentials: RequestCredentials | undefined
  body: unknown
  signal: AbortSignal | undefined
}

type Reply = Response | Error | 'hang' | 'hang-ignoring-abort'

/** A fetch that records each request and answers with the next reply (the last one repeats). */
function fakeFetch(...replies: (Reply | ((request: SentRequest) => Reply))[]) {
  const requests: SentRequest[] = []
  const fetch = vi.fn((input: string, init: RequestInit): Promise<Response> => {
    const request: SentRequest = {
      url: input,
      method: init.method ?? 'GET',
      headers: new Headers(init.headers),
      credentials: init.credentials,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : init.body,
      signal: init.signal ?? undefined,
    }
    requests.push(request)
    const next = replies[Math.min(requests.length, replies.length) - 1]!
    const reply = typeof next === 'function' ? next(request) : next
    if (reply instanceof Error) return Promise.reject(reply)
    if (reply === 'hang-ignoring-abort') return new Promise(() => undefined)
    if (reply === 'hang') {
      return new Promise((_, reject) =>
        request.signal?.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError'))),
      )
    }
    return Promise.resolve(reply.clone())
  })
  return { fetch, requests }
}

let clock: VirtualClock

beforeEach(() => {
  clock = createVirtualClock(SERVER_NOW)
})

afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

function adapterWith(fetch: HttpAdapterOptions['fetch'], options: Partial<HttpAdapterOptions> = {}): PasswordSessionAdapter {
  return createHttpAdapter({ baseUrl: 'https://auth.example.com', fetch, clock, ...options })
}

/** Attaches handlers at once, so a rejection while virtual time moves is never "unhandled". */
function settle<T>(promise: Promise<T>) {
  return promise.then(
    (value) => ({ value, error: undefined }),
    (error: SessionKitError) => ({ value: undefined, error }),
  )
}

async function rejection(promise: Promise<unknown>): Promise<SessionKitError> {
  const { error } = await settle(promise)
  if (!error) throw new Error('expected the call to fail')
  return error
}

function expectCode(error: SessionKitError, code: SessionKitErrorCode, status?: number) {
  expect(error).toMatchObject({ name: 'SessionKitError', code })
  if (status !== undefined) expect(error.status).toBe(status)
}

// ---- options ------------------------------------------------------------------

describe('createHttpAdapter options', () => {
  it.each([undefined, null, 42, 'auth', 'auth.example.com', 'ftp://auth.example.com', '//auth.example.com', 'https://a.example/?x=1', '/auth#x', 'https://user:pw@auth.example.com'])(
    'rejects the baseUrl %j as invalid_option with a sentence',
    (baseUrl) => {
      expect(() => createHttpAdapter({ baseUrl } as HttpAdapterOptions)).toThrow(
        expect.objectContaining({ code: 'invalid_option', message: expect.stringMatching(/^createHttpAdapter: .*baseUrl.*\.$/) }),
      )
    },
  )

  it.each([
    ['', '/'],
    ['/', '/'],
    ['/auth', '/auth/'],
    ['/auth//', '/auth/'],
    ['https://Auth.Example.com', 'https://auth.example.com/'],
    ['https://auth.example.com:443/base/', 'https://auth.example.com/base/'],
    ['http://localhost:8787', 'http://localhost:8787/'],
  ])('keys the adapter by the normalized base URL: %j → %j', (baseUrl, key) => {
    expect(createHttpAdapter({ baseUrl }).key).toBe(key)
  })

  it.each([
    [{ timeoutMs: 0 }, /timeoutMs/],
    [{ timeoutMs: Number.NaN }, /timeoutMs/],
    [{ retries: -1 }, /retries/],
    [{ retries: 1.5 }, /retries/],
    [{ fetch: 'fetch' }, /fetch/],
    [{ clock: {} }, /clock/],
  ])('rejects %j as invalid_option', (options, mentions) => {
    expect(() => createHttpAdapter({ baseUrl: '', ...(options as object) })).toThrow(
      expect.objectContaining({ code: 'invalid_option', message: expect.stringMatching(mentions) }),
    )
  })

  it('can be created where there is no fetch, and says what to do when called', async () => {
    vi.stubGlobal('fetch', undefined)
    const adapter = createHttpAdapter({ baseUrl: '' })
    const error = await rejection(adapter.getClient())
    expectCode(error, 'invalid_option')
    expect(error.message).toMatch(/pass one as the `fetch` option/)
  })

  it('looks up the global fetch at each request, not when created', async () => {
    const adapter = createHttpAdapter({ baseUrl: '', clock })
    const { fetch, requests } = fakeFetch(ok(clientResource()))
    vi.stubGlobal('fetch', fetch)
    await adapter.getClient()
    expect(requests[0]?.url).toBe('/v1/client')
  })
})

// ---- requests -----------------------------------------------------------------

describe('requests', () => {
  it('sends credentials and Accept on every request, the CSRF header on POST and DELETE only', async () => {
    const { fetch, requests } = fakeFetch((r) => ok(r.method === 'GET' || r.url.endsWith('/sessions') ? clientResource() : sessionResource()))
    const adapter = adapterWith(fetch)
    await adapter.getClient()
    await adapter.touchSession('sess_1')
    await adapter.endAllSessions()
    const [get, post, del] = requests
    for (const request of requests) {
      expect(request.credentials).toBe('include')
      expect(request.headers.get('accept')).toBe('application/json')
    }
    expect(get!.headers.has('x-sessionkit-client')).toBe(false)
    expect(post!.headers.get('x-sessionkit-client')).toBe('1')
    expect(del!.headers.get('x-sessionkit-client')).toBe('1')
    // No body, no Content-Type; the fetch options hold no `body` key at all.
    expect([get!.body, post!.body, del!.body]).toEqual([undefined, undefined, undefined])
    for (const [, init] of fetch.mock.calls) expect(init).not.toHaveProperty('body')
    expect(get!.headers.has('content-type')).toBe(false)
  })

  it('sends JSON bodies with a Content-Type', async () => {
    const { fetch, requests } = fakeFetch(ok(clientResource()))
    await adapterWith(fetch).signIn({ identifier: 'ada@example.com', password: 'pw' })
    expect(requests[0]!.headers.get('content-type')).toBe('application/json')
    expect(requests[0]!.headers.get('x-sessionkit-client')).toBe('1')
    expect(requests[0]!.body).toEqual({ identifier: 'ada@example.com', password: 'pw' })
  })

  it.each([
    ['', '/v1/client'],
    ['/auth/', '/auth/v1/client'],
    ['https://auth.example.com/base', 'https://auth.example.com/base/v1/client'],
  ])('builds URLs on the base URL %j', async (baseUrl, url) => {
    const { fetch, requests } = fakeFetch(ok(clientResource()))
    await adapterWith(fetch, { baseUrl }).getClient()
    expect(requests[0]!.url).toBe(url)
  })

  it('percent-encodes session ids and template names in paths', async () => {
    const { fetch, requests } = fakeFetch(ok({ jwt: TOKEN }), ok(sessionResource()))
    const adapter = adapterWith(fetch, { baseUrl: '/auth' })
    await adapter.createToken('se/ss?1#x', { template: 'my template/x' })
    await adapter.touchSession('a%b')
    expect(requests.map((r) => r.url)).toEqual([
      '/auth/v1/client/sessions/se%2Fss%3F1%23x/tokens/my%20template%2Fx',
      '/auth/v1/client/sessions/a%25b/touch',
    ])
  })

  it.each(['', '.', '..'])('refuses the session id %j without sending anything', async (id) => {
    const { fetch } = fakeFetch(ok(sessionResource()))
    const error = await rejection(adapterWith(fetch).touchSession(id))
    expectCode(error, 'invalid_request')
    expect(fetch).not.toHaveBeenCalled()
  })

  it.each<[string, (a: PasswordSessionAdapter) => Promise<unknown>, string, string, unknown, unknown]>([
    ['getClient', (a) => a.getClient(), 'GET', '/v1/client', undefined, clientResource()],
    ['signIn', (a) => a.signIn({ identifier: 'ada', password: 'pw' }), 'POST', '/v1/client/sign_ins', { identifier: 'ada', password: 'pw' }, clientResource()],
    ['touchSession', (a) => a.touchSession('s1'), 'POST', '/v1/client/sessions/s1/touch', undefined, sessionResource()],
    ['createToken', (a) => a.createToken('s1', {}), 'POST', '/v1/client/sessions/s1/tokens', {}, { jwt: TOKEN }],
    ['createToken for an org', (a) => a.createToken('s1', { template: 'profile', organizationId: 'org_1' }), 'POST', '/v1/client/sessions/s1/tokens/profile', { organizationId: 'org_1' }, { jwt: TOKEN }],
    ['createToken for no org', (a) => a.createToken('s1', { organizationId: null }), 'POST', '/v1/client/sessions/s1/tokens', { organizationId: null }, { jwt: TOKEN }],
    ['endSession', (a) => a.endSession('s1'), 'POST', '/v1/client/sessions/s1/end', undefined, clientResource()],
    ['removeSession', (a) => a.removeSession('s1'), 'POST', '/v1/client/sessions/s1/remove', undefined, clientResource()],
    ['endAllSessions', (a) => a.endAllSessions(), 'DELETE', '/v1/client/sessions', undefined, clientResource()],
    ['setActiveSession', (a) => a.setActiveSession('s1', { organizationId: 'org_1' }), 'POST', '/v1/client/active', { sessionId: 's1', organizationId: 'org_1' }, clientResource()],
    ['setActiveSession(null)', (a) => a.setActiveSession(null), 'POST', '/v1/client/active', { sessionId: null }, clientResource()],
    ['verifySession (password)', (a) => a.verifySession('s1', { strategy: 'password', password: 'pw' }), 'POST', '/v1/client/sessions/s1/verify', { strategy: 'password', password: 'pw' }, sessionResource()],
    ['verifySession (totp)', (a) => a.verifySession('s1', { strategy: 'totp', code: '123456' }), 'POST', '/v1/client/sessions/s1/verify', { strategy: 'totp', code: '123456' }, sessionResource()],
  ])('%s: %s %s', async (_name, call, method, path, body, data) => {
    const { fetch, requests } = fakeFetch(ok(data, SERVER_NOW + 5))
    const response = await call(adapterWith(fetch, { baseUrl: '' }))
    expect(requests).toHaveLength(1)
    expect(requests[0]).toMatchObject({ method, url: path, body })
    expect(response).toEqual({ data, serverNow: SERVER_NOW + 5 })
  })

  it('never puts a token in a URL', async () => {
    const { fetch, requests } = fakeFetch(ok({ jwt: TOKEN }))
    const { data } = await adapterWith(fetch).createToken('sess_1', { template: 'profile' })
    expect(data.jwt).toBe(TOKEN)
    await adapterWith(fakeFetch(ok(sessionResource())).fetch).touchSession('sess_1')
    expect(requests.every((r) => !r.url.includes(TOKEN.split('.')[1]!))).toBe(true)
  })
})

// ---- success bodies -------------------------------------------------------------

describe('success bodies', () => {
  it('hands the data on as the server sent it: the session client checks it, once', async () => {
    const session = { ...sessionResource(), internalNote: 'x' }
    const { fetch } = fakeFetch(ok(session))
    const { data } = await adapterWith(fetch).touchSession('sess_1')
    expect(data).toEqual(session)
  })

  it.each<[string, Response, RegExp]>([
    ['an HTML page', html(200, '<html>captive portal</html>'), /answered 200 but the body is not JSON/],
    ['an empty body', new Response('', { status: 200 }), /body is not JSON/],
    ['a JSON array', json(200, [clientResource()]), /not a JSON object/],
    ['no data', json(200, { serverNow: SERVER_NOW }), /has no "data"/],
    ['no serverNow', json(200, { data: clientResource() }), /"serverNow" is not a number/],
    ['a string serverNow', json(200, { data: clientResource(), serverNow: String(SERVER_NOW) }), /"serverNow" is not a number/],
    ['the bare resource', json(200, clientResource()), /has no "data"/],
  ])('rejects %s as invalid_response, naming what was wrong', async (_name, response, message) => {
    const { fetch } = fakeFetch(response)
    const error = await rejection(adapterWith(fetch).getClient())
    expectCode(error, 'invalid_response', 200)
    expect(error.message).toMatch(message)
    expect(error.message).toMatch(/^getClient \(GET \/v1\/client\): /)
    expect(fetch).toHaveBeenCalledTimes(1)
  })

})

// ---- errors ---------------------------------------------------------------------

describe('error classification', () => {
  it.each<[string, SessionKitErrorCode, number | undefined, Reply]>([
    ['a rejected fetch', 'network_error', undefined, new TypeError('Failed to fetch')],
    ['a 500 from the server', 'server_error', 500, errorBody(500, 'server_error', 'The server failed.')],
    ["a proxy's HTML 502", 'server_error', 502, html(502)],
    ['a 503 claiming session_expired', 'server_error', 503, errorBody(503, 'session_expired')],
    ['401 session_expired', 'session_expired', 401, errorBody(401, 'session_expired')],
    ['401 unauthenticated', 'unauthenticated', 401, errorBody(401, 'unauthenticated')],
    ['401 without an envelope', 'unauthenticated', 401, html(401, 'Unauthorized')],
    ['404 session_not_found', 'session_not_found', 404, errorBody(404, 'session_not_found')],
    ['404 no such endpoint', 'invalid_request', 404, errorBody(404, 'invalid_request', 'No such endpoint: POST /v1/x.')],
    ["a proxy's HTML 404", 'invalid_request', 404, html(404, 'Not Found')],
    ['422 invalid_credentials', 'invalid_credentials', 422, errorBody(422, 'invalid_credentials')],
    ['403 forbidden', 'forbidden', 403, errorBody(403, 'forbidden')],
    ['400 with an unknown code', 'invalid_request', 400, errorBody(400, 'teapot_overflow')],
    ['400 with an adapter-only code', 'invalid_request', 400, errorBody(400, 'client_destroyed')],
    ['403 without an envelope', 'forbidden', 403, html(403, 'Forbidden')],
  ])('%s → %s', async (_name, code, status, reply) => {
    const { fetch } = fakeFetch(reply)
    const error = await rejection(adapterWith(fetch, { retries: 0 }).touchSession('sess_1'))
    expectCode(error, code, status)
    expect(error.message).toMatch(/^touchSession \(POST \/v1\/client\/sessions\/sess_1\/touch\): .+\.( The server said: ".*")?$/)
    expect(error.message).not.toMatch(/<html|<body/)
  })

  it('never signs out on a 5xx or a network failure', async () => {
    for (const reply of [html(502), errorBody(500, 'unauthenticated'), new TypeError('Failed to fetch')]) {
      const error = await rejection(adapterWith(fakeFetch(reply).fetch, { retries: 0 }).getClient())
      expect(isSignOutError(error)).toBe(false)
      expect(isConnectivityError(error)).toBe(true)
    }
  })

  it('keeps the reverification meta of a 403 reverification_required', async () => {
    const meta = { level: 'first_factor', afterMinutes: 10 }
    const { fetch } = fakeFetch(errorBody(403, 'reverification_required', 'Verify again.', { meta }))
    const error = await rejection(adapterWith(fetch).createToken('sess_1', {}))
    expectCode(error, 'reverification_required', 403)
    expect(error.reverification).toEqual(meta)
    expect(error.message).toMatch(/run reverification/)
  })

  it('quotes the server message, shortened', async () => {
    const { fetch } = fakeFetch(errorBody(422, 'invalid_credentials', `The email or password is incorrect. ${'Try again. '.repeat(30)}`))
    const error = await rejection(adapterWith(fetch).signIn({ identifier: 'a', password: 'b' }))
    expect(error.message).toMatch(/check them and try again\. The server said: "The email or password is incorrect\. (Try again\.? ?)+…"$/)
    expect(error.message.length).toBeLessThan(400)
  })

  it.each<[string, Record<string, string>, number | undefined]>([
    ['seconds', { 'retry-after': '7' }, 7_000],
    ['an HTTP date, on the server clock', { 'retry-after': new Date(SERVER_NOW + 12_000).toUTCString() }, 12_000],
    ['a date in the past', { 'retry-after': new Date(SERVER_NOW - 5_000).toUTCString() }, 0],
    ['an hour, capped to a minute', { 'retry-after': '3600' }, 60_000],
    ['garbage', { 'retry-after': 'soon' }, undefined],
    ['nothing', {}, undefined],
  ])('reads Retry-After given as %s', async (_name, headers, retryAfterMs) => {
    const { fetch } = fakeFetch(errorBody(429, 'rate_limited', 'Slow down.', {}, headers))
    // The client's clock is 20 s behind the server's: the date is compared with serverNow.
    clock.set(SERVER_NOW - 20_000)
    const error = await rejection(adapterWith(fetch, { retries: 0 }).getClient())
    expectCode(error, 'rate_limited', 429)
    expect(error.retryAfterMs).toBe(retryAfterMs)
  })
})

// ---- token secrecy ----------------------------------------------------------------

describe('tokens in errors', () => {
  const payload = TOKEN.split('.')[1]!
  const signature = TOKEN.split('.')[2]!

  it.each<[string, Reply]>([
    ['a 500 page that echoes it', html(500, `<pre>Error minting ${TOKEN}</pre>`)],
    ['an error message that quotes it', errorBody(400, 'invalid_request', `Bad token ${TOKEN} in request.`)],
    ['an error message with its payload alone', errorBody(400, 'invalid_request', `Claims ${payload} rejected.`)],
    ['a success without serverNow', json(200, { data: { jwt: TOKEN } })],
    ['a success that is not quite JSON', new Response(`{"data":{"jwt":"${TOKEN}"}`, { status: 200 })],
  ])('keeps it out of the message when the server sends %s', async (_name, reply) => {
    const { fetch } = fakeFetch(ok({ jwt: TOKEN }), reply)
    const adapter = adapterWith(fetch, { retries: 0 })
    expect((await adapter.createToken('sess_1', {})).data.jwt).toBe(TOKEN)
    const error = await rejection(adapter.createToken('sess_1', {}))
    const everything = `${error.message} ${String((error.cause as Error | undefined)?.message)}`
    expect(everything).not.toContain(payload)
    expect(everything).not.toContain(signature)
  })
})

// ---- timeouts and retries -----------------------------------------------------------

describe('timeouts and retries', () => {
  beforeEach(() => {
    // No jitter: backoff waits exactly 1 s, 2 s, 4 s …
    vi.spyOn(Math, 'random').mockReturnValue(1)
  })

  it('fails with timeout after timeoutMs of virtual time, and aborts the request', async () => {
    const { fetch, requests } = fakeFetch('hang')
    const call = settle(adapterWith(fetch, { timeoutMs: 5_000, retries: 0 }).getClient())
    await clock.advanceAsync(4_999)
    expect(requests[0]!.signal!.aborted).toBe(false)
    await clock.advanceAsync(1)
    const { error } = await call
    expectCode(error!, 'timeout')
    expect(error!.message).toMatch(/did not answer within 5000 ms; sessionkit keeps the session and will retry\.$/)
    expect(requests[0]!.signal!.aborted).toBe(true)
  })

  it('times out a fetch that ignores the abort, and a body that never ends', async () => {
    const endless = new Response(new ReadableStream({ start: () => undefined }), { status: 200 })
    for (const reply of ['hang-ignoring-abort', endless] as const) {
      const call = settle(adapterWith(fakeFetch(reply).fetch, { retries: 0 }).getClient())
      await clock.advanceAsync(10_000)
      expectCode((await call).error!, 'timeout')
    }
  })

  it('hands a timed-out request to the caller after that one attempt: the session client retries it, and can say so', async () => {
    const { fetch, requests } = fakeFetch('hang', ok(clientResource()))
    const call = settle(adapterWith(fetch).getClient())
    await clock.advanceAsync(10_000)
    expect(requests).toHaveLength(1)
    const { error } = await call
    expectCode(error!, 'timeout')
    expect(error!.message).toMatch(/did not answer within 10000 ms; sessionkit keeps the session and will retry\.$/)
    expect(isConnectivityError(error)).toBe(true)
    expect(clock.pendingTimers()).toBe(0)
    await clock.advanceAsync(60_000)
    expect(requests).toHaveLength(1)
  })

  it('retries a quick failure, but not the timeout that follows it', async () => {
    const { fetch, requests } = fakeFetch(new TypeError('Failed to fetch'), 'hang', ok(clientResource()))
    const call = settle(adapterWith(fetch).touchSession('sess_1'))
    await clock.advanceAsync(1_000)
    expect(requests).toHaveLength(2)
    await clock.advanceAsync(10_000)
    const { error } = await call
    expectCode(error!, 'timeout')
    expect(error!.message).toMatch(/\(2 attempts\)$/)
    expect(requests).toHaveLength(2)
  })

  it("does not repeat a server's 408 either: it already waited out its own timeout", async () => {
    const { fetch, requests } = fakeFetch(errorBody(408, 'request_timeout'), ok(clientResource()))
    const { error } = await settle(adapterWith(fetch).getClient())
    expectCode(error!, 'timeout', 408)
    expect(requests).toHaveLength(1)
  })

  it('backs off exponentially on 5xx and network errors, then answers', async () => {
    const { fetch, requests } = fakeFetch(html(502), new TypeError('Failed to fetch'), ok(sessionResource()))
    const call = settle(adapterWith(fetch).touchSession('sess_1'))
    await clock.advanceAsync(999)
    expect(requests).toHaveLength(1)
    await clock.advanceAsync(1)
    expect(requests).toHaveLength(2)
    await clock.advanceAsync(1_999)
    expect(requests).toHaveLength(2)
    await clock.advanceAsync(1)
    expect(requests).toHaveLength(3)
    expect((await call).value?.data.id).toBe('sess_1')
  })

  it.each([0, 1, 3])('stops after %i retries and reports the last error', async (retries) => {
    const { fetch, requests } = fakeFetch(errorBody(500, 'server_error'))
    const call = settle(adapterWith(fetch, { retries }).createToken('sess_1', {}))
    await clock.advanceAsync(60_000)
    const { error } = await call
    expect(requests).toHaveLength(retries + 1)
    expectCode(error!, 'server_error', 500)
    if (retries > 0) expect(error!.message).toMatch(new RegExp(`\\(${retries + 1} attempts\\)$`))
  })

  it('waits out a short Retry-After before the next attempt', async () => {
    const { fetch, requests } = fakeFetch(errorBody(429, 'rate_limited', 'Slow down.', {}, { 'retry-after': '3' }), ok(clientResource()))
    const call = settle(adapterWith(fetch).getClient())
    await clock.advanceAsync(2_999)
    expect(requests).toHaveLength(1)
    await clock.advanceAsync(1)
    expect(requests).toHaveLength(2)
    expect((await call).value).toBeDefined()
  })

  it('hands a long Retry-After to the caller at once instead of hanging', async () => {
    const { fetch, requests } = fakeFetch(errorBody(429, 'rate_limited', 'Slow down.', {}, { 'retry-after': '45' }))
    const { error } = await settle(adapterWith(fetch).touchSession('sess_1'))
    expect(requests).toHaveLength(1)
    expectCode(error!, 'rate_limited', 429)
    expect(error!.retryAfterMs).toBe(45_000)
    expect(error!.message).toMatch(/wait 45 s before trying again/)
  })

  it.each<[string, (a: PasswordSessionAdapter) => Promise<unknown>]>([
    ['signIn', (a) => a.signIn({ identifier: 'ada', password: 'pw' })],
    ['verifySession', (a) => a.verifySession('sess_1', { strategy: 'totp', code: '123456' })],
  ])('never repeats %s: the first request may have reached the server', async (_name, call) => {
    for (const reply of [new TypeError('Failed to fetch'), 'hang' as const, html(503), errorBody(429, 'rate_limited', 'x', {}, { 'retry-after': '1' })]) {
      const { fetch, requests } = fakeFetch(reply, ok(clientResource()))
      const result = settle(call(adapterWith(fetch)))
      await clock.advanceAsync(60_000)
      expect((await result).error).toBeDefined()
      expect(requests).toHaveLength(1)
    }
  })

  it('does not repeat a definite answer', async () => {
    const { fetch, requests } = fakeFetch(errorBody(401, 'session_expired'), ok(sessionResource()))
    const call = settle(adapterWith(fetch).touchSession('sess_1'))
    await clock.advanceAsync(60_000)
    expectCode((await call).error!, 'session_expired', 401)
    expect(requests).toHaveLength(1)
  })

  it('shifts serverNow so skew measured over the whole call matches the answering attempt', async () => {
    // Server and client clocks agree. The first attempt fails, the second starts 1 s later and is answered at once.
    const { fetch } = fakeFetch(html(502), () => ok(clientResource(), clock.now()))
    const sentAt = clock.now()
    const call = settle(adapterWith(fetch).getClient())
    await clock.advanceAsync(1_000)
    const { value } = await call
    const receivedAt = clock.now()
    // How the client measures skew: serverNow − the midpoint of the call.
    expect(value!.serverNow - (sentAt + receivedAt) / 2).toBe(0)
  })
})
