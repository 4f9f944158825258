import { afterEach, describe, expect, it } from 'vitest'
import { createHttpAdapter } from '../../src/adapters/http'
import type { UserSessionResource } from '../../src/core/adapter'
import { createSessionClient } from '../../src/core/client'
import type { SessionKitError } from '../../src/core/errors'
import type { SessionResource } from '../../src/core/resources'
import type { SessionClient } from '../../src/core/types'
import { createVirtualClock } from '../../src/core/virtualClock'

// Answers are checked once, where every adapter's answers enter the session
// client: the http adapter checks the protocol's envelope, the client the
// data in it. A wrong field is an invalid_response naming the field (never its
// value), and unknown fields never reach the state.

const MINUTE = 60_000
const POLICY = { inactivityTimeoutMs: 10 * MINUTE, maxLifetimeMs: 60 * MINUTE }
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

function session(now: number): SessionResource {
  const user = { id: 'user_ada', firstName: 'Ada', lastName: null, identifier: 'ada@example.com', imageUrl: null }
  return {
    id: 'sess_1',
    userId: user.id,
    status: 'active',
    createdAt: now,
    updatedAt: now,
    lastActiveAt: now,
    expireAt: now + POLICY.inactivityTimeoutMs,
    abandonAt: now + POLICY.maxLifetimeMs,
    factorVerificationAge: [0, -1],
    actor: null,
    lastActiveOrganizationId: null,
    publicUserData: { firstName: 'Ada', lastName: null, identifier: user.identifier, imageUrl: null },
    user: { ...user, organizationMemberships: [] },
  }
}

let client: SessionClient | undefined
afterEach(() => client?.destroy())

/** A client on the http adapter whose server answers `routes[path]` (data only; the envelope is right). */
function clientAnswering(routes: Record<string, (now: number) => unknown>) {
  const clock = createVirtualClock()
  const fetch = async (input: string): Promise<Response> => {
    const path = new URL(input, 'https://auth.example.com').pathname
    const route = Object.keys(routes).find((p) => path.endsWith(p))
    const now = clock.now()
    const data = route ? routes[route]!(now) : { id: 'client_1', sessions: [session(now)], lastActiveSessionId: 'sess_1', policy: POLICY, tokenLifetimeMs: MINUTE }
    return new Response(JSON.stringify({ data, serverNow: now }), { status: 200, headers: { 'content-type': 'application/json' } })
  }
  client = createSessionClient({ adapter: createHttpAdapter({ baseUrl: 'https://auth.example.com', fetch, clock, retries: 0 }), clock, eventTarget: null, crossTab: false })
  return client
}

const rejection = (promise: Promise<unknown>) => promise.then(() => expect.fail('expected a rejection'), (e: SessionKitError) => e)

describe('a server answer with the wrong data, through the http adapter', () => {
  it.each([
    ['a wrong field', (now: number) => ({ id: 'client_1', sessions: [{ ...session(now), id: 7 }], lastActiveSessionId: 'sess_1', policy: POLICY, tokenLifetimeMs: MINUTE }), /sessions\[0\]\.id must be a string/],
    ['a bad policy', () => ({ id: 'client_1', sessions: [], lastActiveSessionId: null, policy: { inactivityTimeoutMs: null, maxLifetimeMs: null }, tokenLifetimeMs: MINUTE }), /policy is not a valid lifetime policy/],
  ])('is %s: invalid_response naming it, and no state from it', async (_what, answer, message) => {
    const c = clientAnswering({ '/v1/client': answer })
    const error = await rejection(c.load())
    expect(error).toMatchObject({ code: 'invalid_response', message: expect.stringMatching(message) })
    expect(c.getState().status).toBe('loading')
  })

  it('keeps unknown fields out of the state', async () => {
    const c = clientAnswering({
      '/v1/client': (now) => ({ id: 'client_1', sessions: [{ ...session(now), internalNote: 'x', user: { ...session(now).user, passwordHash: 'h' } }], lastActiveSessionId: 'sess_1', policy: POLICY, tokenLifetimeMs: MINUTE }),
    })
    await c.load()
    expect(c.getState().session).not.toHaveProperty('internalNote')
    expect(c.getState().user).not.toHaveProperty('passwordHash')
  })

  it('is a token answer without a JWT, or with a malformed one: invalid_response, and the token never in the message', async () => {
    const token = `${b64({ alg: 'HS256' })}.${b64({ sid: 'sess_1', sub: 'user_ada', secret: 'payload-secret' })}.c2lnbmF0dXJl`
    let answer: unknown = { jwt: '' }
    const c = clientAnswering({ '/tokens': () => answer })
    await c.load()
    expect(await rejection(c.getToken())).toMatchObject({ code: 'invalid_response' })
    answer = { jwt: [token] }
    const error = await rejection(c.getToken({ skipCache: true }))
    expect(error.code).toBe('invalid_response')
    expect(`${error.message} ${String((error.cause as Error | undefined)?.message)}`).not.toContain('payload-secret')
    expect(c.getState().status).toBe('signed-in')
  })

  it('is a device list with a wrong field: invalid_response naming it; known fields only otherwise', async () => {
    const device = (now: number): UserSessionResource => ({ id: 'sess_1', status: 'active', device: 'Chrome 156 on Linux', ip: null, createdAt: now, lastActiveAt: now, isCurrent: true })
    let list: (now: number) => unknown = (now) => [{ ...device(now), userAgent: 'Mozilla/5.0 …' }]
    const c = clientAnswering({ '/v1/me/sessions': (now) => list(now) })
    await c.load()
    expect((await c.getUserSessions())[0]).not.toHaveProperty('userAgent')
    for (const [wrong, message] of [
      [(now: number) => ({ sessions: [device(now)] }), /must be an array/],
      [(now: number) => [{ ...device(now), device: undefined }], /\[0\]\.device must be a string/],
      [(now: number) => [{ ...device(now), status: 'gone' }], /\[0\]\.status must be one of/],
      [(now: number) => [{ ...device(now), isCurrent: 'yes' }], /\[0\]\.isCurrent must be true or false/],
    ] as const) {
      list = wrong
      expect(await rejection(c.getUserSessions())).toMatchObject({ code: 'invalid_response', message: expect.stringMatching(message) })
    }
    expect(c.getState().status).toBe('signed-in')
  })
})
