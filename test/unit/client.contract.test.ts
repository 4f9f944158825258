import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryAdapter } from '../../src/adapters/memory'
import type { SessionAdapter } from '../../src/core/adapter'
import { createSessionClient } from '../../src/core/client'
import { SessionKitError } from '../../src/core/errors'
import type { SessionClient } from '../../src/core/types'
import { createVirtualClock, type VirtualClock } from '../../src/core/virtualClock'
import { MINUTE, SECOND, SHORT_POLICY, userInput } from './helpers'

// Adapter contract v2: key, getClient, touchSession and endSession are all an
// adapter needs; everything else is a capability the client follows.

let client: SessionClient | undefined
afterEach(() => client?.destroy())

/** The memory backend seen through only the required methods, as a cookie-session backend would offer. */
function threeMethodSetup() {
  const clock = createVirtualClock()
  const backend = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com' })
  const ended: { sessionId: string; reason: string | undefined }[] = []
  const adapter: SessionAdapter = {
    key: 'three-methods',
    getClient: () => backend.getClient(),
    touchSession: (sessionId) => backend.touchSession(sessionId),
    endSession: (sessionId, params) => {
      ended.push({ sessionId, reason: params?.reason })
      return backend.endSession(sessionId)
    },
  }
  client = createSessionClient({ adapter, clock, eventTarget: window, crossTab: false })
  client.mount()
  return { clock, backend, adapter, client, ended }
}

async function rejection(promise: Promise<unknown>): Promise<SessionKitError> {
  const error = await promise.then(
    () => expect.fail('expected a rejection'),
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(SessionKitError)
  return error as SessionKitError
}

async function loaded(clock: VirtualClock) {
  await clock.advanceAsync(0)
}

describe('an adapter with only the required methods', () => {
  it('is accepted, loads the session and reports what it cannot do', async () => {
    const { clock, client } = threeMethodSetup()
    await loaded(clock)
    expect(client.getState().status).toBe('signed-in')
    expect(client.capabilities).toEqual({
      tokens: false,
      passwordSignIn: false,
      redirectSignIn: false,
      multiSession: false,
      reverification: false,
      devices: false,
      signOutEverywhere: false,
      impersonation: false,
    })
  })

  it('counts down to the deadline, renews on input and signs out at the deadline', async () => {
    const { clock, backend, client, ended } = threeMethodSetup()
    await loaded(clock)
    const firstDeadline = client.getState().deadline!
    await clock.advanceAsync(5 * MINUTE)
    userInput()
    await clock.advanceAsync(2 * SECOND)
    expect(backend.calls.touchSession).toBeGreaterThan(0)
    expect(client.getState().deadline!).toBeGreaterThan(firstDeadline)
    await clock.advanceAsync(SHORT_POLICY.inactivityTimeoutMs! - 61 * SECOND)
    expect(client.getState().phase).toBe('warning')
    await client.touch()
    expect(client.getState().phase).toBe('active')
    await clock.advanceAsync(SHORT_POLICY.inactivityTimeoutMs! + SECOND)
    expect(client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'inactivity' })
    // The adapter hears why: a deadline, not the user asking (an OIDC adapter only revokes then).
    expect(ended.at(-1)?.reason).toBe('inactivity')
  })

  it('rejects getToken with not_supported naming createToken, and keeps the session', async () => {
    const { clock, client } = threeMethodSetup()
    await loaded(clock)
    const error = await rejection(client.getToken())
    expect(error.code).toBe('not_supported')
    expect(error.message).toMatch(/createToken/)
    expect(error.message).toMatch(/add createToken/)
    expect(await client.getToken({ throwOnError: false })).toBeNull()
    expect(client.getState()).toMatchObject({ status: 'signed-in', error: null })
  })

  it.each([
    ['signIn', (c: SessionClient) => c.signIn({ identifier: 'ada@example.com', password: 'password' }), /signIn/],
    ['signInWithRedirect', (c: SessionClient) => c.signInWithRedirect(), /signInWithRedirect/],
    ['setActive', (c: SessionClient) => c.setActive(null), /setActiveSession/],
    ['remove', (c: SessionClient) => c.remove(), /removeSession/],
    ['verify', (c: SessionClient) => c.verify({ strategy: 'password', password: 'password' }), /verifySession/],
  ] as const)('rejects %s with not_supported naming the adapter method to add', async (_, call, method) => {
    const { clock, client } = threeMethodSetup()
    await loaded(clock)
    const error = await rejection(call(client))
    expect(error.code).toBe('not_supported')
    expect(error.message).toMatch(method)
    expect(client.getState().status).toBe('signed-in')
  })

  it('signs out of everything through endSession when the adapter has no endAllSessions', async () => {
    const { clock, backend, client, ended } = threeMethodSetup()
    await loaded(clock)
    const sessionId = client.getState().session!.id
    await client.signOut()
    expect(client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'signed-out' })
    expect(ended).toEqual([{ sessionId, reason: 'signed-out' }])
    const { data } = await backend.getClient()
    expect(data.sessions.find((s) => s.id === sessionId)?.status).toBe('ended')
  })
})

describe('createSessionClient with a broken adapter', () => {
  const nothing = (): null => null
  it.each([
    ['no key', { getClient: nothing, touchSession: nothing, endSession: nothing }, /lacks key/],
    ['no touchSession', { key: 'k', getClient: nothing, endSession: nothing }, /lacks touchSession/],
    ['neither getClient nor endSession', { key: 'k', touchSession: nothing }, /lacks getClient, endSession/],
  ])('with %s throws invalid_option naming what is missing', (_, adapter, message) => {
    let thrown: unknown
    try {
      createSessionClient({ adapter: adapter as never })
    } catch (error) {
      thrown = error
    }
    expect(thrown).toMatchObject({ code: 'invalid_option' })
    expect((thrown as Error).message).toMatch(message)
    expect((thrown as Error).message).toMatch(/the rest is optional/)
  })
})

describe('tokens that are not JWTs', () => {
  it('caches an opaque token until the expiresAt the adapter gives', async () => {
    const clock = createVirtualClock()
    const backend = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com' })
    let minted = 0
    const adapter: SessionAdapter = {
      key: 'opaque',
      getClient: () => backend.getClient(),
      touchSession: (id) => backend.touchSession(id),
      endSession: (id) => backend.endSession(id),
      createToken: async () => ({ data: { jwt: `opaque-${++minted}`, expiresAt: clock.now() + 60 * SECOND }, serverNow: clock.now() }),
    }
    client = createSessionClient({ adapter, clock, eventTarget: window, crossTab: false })
    client.mount()
    await loaded(clock)
    expect(await client.getToken()).toBe('opaque-1')
    await clock.advanceAsync(40 * SECOND)
    expect(await client.getToken()).toBe('opaque-1')
    // Within the 10 s leeway of its expiry: a new one.
    await clock.advanceAsync(11 * SECOND)
    expect(await client.getToken()).toBe('opaque-2')
  })

  it('rejects an expiresAt that is not a positive number as invalid_response', async () => {
    const clock = createVirtualClock()
    const backend = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com' })
    const adapter: SessionAdapter = {
      key: 'bad-expiry',
      getClient: () => backend.getClient(),
      touchSession: (id) => backend.touchSession(id),
      endSession: (id) => backend.endSession(id),
      createToken: async () => ({ data: { jwt: 'opaque', expiresAt: 'soon' as never }, serverNow: clock.now() }),
    }
    client = createSessionClient({ adapter, clock, eventTarget: window, crossTab: false })
    client.mount()
    await loaded(clock)
    const error = await rejection(client.getToken())
    expect(error.code).toBe('invalid_response')
    expect(error.message).toMatch(/expiresAt/)
  })
})
