import { afterEach, describe, expect, it } from 'vitest'
import { HOUR, MINUTE, SECOND, signedIn, sidOf, destroyClients } from './helpers'

afterEach(destroyClients)

describe('getToken', () => {
  it('returns a token for the active session', async () => {
    const { client } = await signedIn()
    expect(sidOf(await client.getToken())).toBe(client.getState().session!.id)
  })

  it('shares one request among 100 concurrent calls', async () => {
    const { client, clock, adapter } = await signedIn({ adapter: { latencyMs: 50 } })
    adapter.resetCalls()
    const calls = Array.from({ length: 100 }, () => client.getToken())
    await clock.advanceAsync(100)
    const tokens = await Promise.all(calls)
    expect(adapter.calls.createToken).toBe(1)
    expect(new Set(tokens).size).toBe(1)
  })

  it('serves the cached token while more than the leeway is left, then fetches', async () => {
    const { client, clock, adapter } = await signedIn()
    adapter.resetCalls()
    const first = await client.getToken()
    await clock.advanceAsync(49 * SECOND) // 11 s left of 60 s, leeway 10 s
    expect(await client.getToken()).toBe(first)
    await clock.advanceAsync(1 * SECOND) // exactly 10 s left: no longer served
    expect(await client.getToken()).not.toBe(first)
    expect(adapter.calls.createToken).toBe(2)
  })

  it('fetches a new token with skipCache', async () => {
    const { client, adapter } = await signedIn()
    await client.getToken()
    adapter.resetCalls()
    await client.getToken({ skipCache: true })
    expect(adapter.calls.createToken).toBe(1)
  })

  it('keeps tokens per template and organization apart', async () => {
    const { client, adapter } = await signedIn()
    adapter.resetCalls()
    await client.getToken()
    await client.getToken({ template: 'profile' })
    await client.getToken({ organizationId: 'org_globex' })
    await client.getToken({ template: 'profile' })
    expect(adapter.calls.createToken).toBe(3)
  })

  it('never lets a request in flight during sign-out repopulate the cache', async () => {
    const { client, clock, adapter } = await signedIn({ adapter: { latencyMs: 100 } })
    const oldSession = client.getState().session!.id
    const pending = client.getToken()
    await clock.advanceAsync(10)
    const signingOut = client.signOut()
    await clock.advanceAsync(200)
    await signingOut
    expect(await pending).toBeNull()
    adapter.signInAs('ada@example.com')
    const loading = client.load()
    await clock.advanceAsync(200)
    await loading
    adapter.resetCalls()
    const fresh = client.getToken()
    await clock.advanceAsync(200)
    const token = await fresh
    expect(sidOf(token)).not.toBe(oldSession)
    expect(adapter.calls.createToken).toBe(1)
  })

  it("drops the old session's tokens once the switch to another session is answered", async () => {
    const { client, clock, adapter } = await signedIn({ adapter: { signedInAs: ['grace@example.com', 'ada@example.com'] } })
    const [grace, ada] = client.getState().sessions
    expect(client.getState().session!.id).toBe(ada!.id)
    await client.getToken()
    await client.setActive(grace!.id)
    await clock.advanceAsync(0)
    expect(sidOf(await client.getToken())).toBe(grace!.id)
    expect(adapter.calls.createToken).toBe(2)
  })

  it('keeps a token on its way for the active session when a switch to another session is refused', async () => {
    const { client, clock } = await signedIn({ adapter: { latencyMs: 100 } })
    const ada = client.getState().session!.id
    const token = client.getToken()
    const switching = client.setActive('sess_unknown').catch((error: unknown) => error)
    await clock.advanceAsync(300)
    expect(await switching).toMatchObject({ code: 'session_not_found' })
    expect(client.getState().session?.id).toBe(ada)
    expect(sidOf(await token)).toBe(ada)
  })

  it('makes no token requests for an idle open app', async () => {
    const { client, clock, adapter } = await signedIn({
      adapter: { policy: { inactivityTimeoutMs: 7 * 24 * HOUR, maxLifetimeMs: null } },
    })
    await client.getToken()
    adapter.resetCalls()
    await clock.advanceAsync(HOUR)
    expect(adapter.calls.createToken).toBe(0)
  })

  it('refreshes in the background while the app keeps using tokens, so calls hit the cache', async () => {
    const { client, clock, adapter } = await signedIn({
      adapter: { policy: { inactivityTimeoutMs: 7 * 24 * HOUR, maxLifetimeMs: null }, latencyMs: 300 },
    })
    const first = client.getToken()
    await clock.advanceAsync(300)
    await first
    let waited = 0
    for (let i = 0; i < 30; i++) {
      await clock.advanceAsync(10 * SECOND)
      let resolved = false
      const call = client.getToken().then((token) => {
        resolved = true
        return token
      })
      // A cache hit resolves without the adapter's 300 ms of latency.
      await clock.advanceAsync(0)
      if (!resolved) {
        waited++
        await clock.advanceAsync(300)
      }
      expect(sidOf(await call)).toBe(client.getState().session!.id)
    }
    expect(waited).toBe(0)
    expect(adapter.calls.createToken).toBeLessThanOrEqual(Math.ceil((5 * MINUTE) / (45 * SECOND)) + 1)
  })

  it('returns null when signed out, and rejects or resolves null on failure as asked', async () => {
    const { client, adapter } = await signedIn()
    adapter.fail('server-error')
    await expect(client.getToken({ skipCache: true })).rejects.toMatchObject({ code: 'server_error' })
    await expect(client.getToken({ skipCache: true, throwOnError: false })).resolves.toBeNull()
    expect(client.getState().status).toBe('signed-in')
    adapter.fail(null)
    await client.signOut()
    expect(await client.getToken()).toBeNull()
  })
})

describe('getToken with options it cannot use', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['a number as template', { template: 42 }, /template/],
    ['an object as template', { template: {} }, /template/],
    ['a number as organizationId', { organizationId: 42 }, /organizationId/],
    ['an object as organizationId', { organizationId: {} }, /organizationId/],
    ['an empty sessionId', { sessionId: '' }, /sessionId/],
    ['a number as sessionId', { sessionId: 42 }, /sessionId/],
    ['a negative leeway', { leewayInSeconds: -1 }, /leewayInSeconds/],
  ]

  it.each(cases)('rejects %s with invalid_option naming the fix, and leaves the session state alone', async (_, tokenOptions, message) => {
    const { client, adapter } = await signedIn()
    adapter.resetCalls()
    const before = client.getState()
    const thrown = await client.getToken(tokenOptions as never).catch((error: unknown) => error)
    expect(thrown).toMatchObject({ code: 'invalid_option', message: expect.stringMatching(message) })
    expect(client.getState()).toBe(before)
    expect(adapter.calls.createToken).toBe(0)
  })

  it.each(cases)('rejects %s when signed out too, and when told not to throw on failure', async (_, tokenOptions) => {
    const { client } = await signedIn({ signedIn: false })
    await expect(client.getToken(tokenOptions as never)).rejects.toMatchObject({ code: 'invalid_option' })
    await expect(client.getToken({ ...tokenOptions, throwOnError: false } as never)).rejects.toMatchObject({ code: 'invalid_option' })
    expect(client.getState().error).toBeNull()
  })
})
