import { afterEach, describe, expect, it } from 'vitest'
import { MINUTE, SECOND, signedIn, destroyClients } from './helpers'

afterEach(destroyClients)

describe('given the network fails', () => {
  it('keeps the session, says offline, retries with backoff and recovers', async () => {
    const { client, clock, adapter } = await signedIn()
    await clock.advanceAsync(9 * MINUTE)
    adapter.fail('offline')
    await expect(client.touch()).rejects.toMatchObject({ code: 'network_error' })
    expect(client.getState().status).toBe('signed-in')
    expect(client.getState().connectivity).toBe('offline')
    adapter.resetCalls()
    await clock.advanceAsync(1 * SECOND) // first retry after 0.5 to 1 s
    expect(adapter.calls.touchSession).toBe(1)
    await clock.advanceAsync(2 * SECOND) // then 1 to 2 s
    expect(adapter.calls.touchSession).toBe(2)
    adapter.fail(null)
    await clock.advanceAsync(4 * SECOND)
    expect(client.getState().connectivity).toBe('online')
    expect(client.getState().phase).toBe('active')
    expect(client.getState().deadline).toBeGreaterThan(clock.now() + 9 * MINUTE)
  })

  it('retries at once when the browser comes back online', async () => {
    const { client, clock, adapter } = await signedIn()
    adapter.fail('offline')
    await client.touch().catch(() => undefined)
    await clock.advanceAsync(5 * SECOND)
    adapter.fail(null)
    adapter.resetCalls()
    window.dispatchEvent(new Event('online'))
    await clock.advanceAsync(0)
    expect(adapter.calls.touchSession).toBe(1)
    expect(client.getState().connectivity).toBe('online')
  })

  it('is online again after the browser goes offline and back with nothing to retry', async () => {
    const { client, clock } = await signedIn()
    window.dispatchEvent(new Event('offline'))
    expect(client.getState().connectivity).toBe('offline')
    window.dispatchEvent(new Event('online'))
    await clock.advanceAsync(0)
    expect(client.getState().connectivity).toBe('online')
  })

  it('reports a 5xx as degraded, never as a sign-out', async () => {
    const { client, adapter } = await signedIn()
    adapter.fail('server-error')
    await client.touch().catch(() => undefined)
    expect(client.getState().connectivity).toBe('degraded')
    expect(client.getState().status).toBe('signed-in')
  })

  it('still signs an idle user out on time while offline', async () => {
    const { client, clock, adapter } = await signedIn()
    adapter.fail('offline')
    await clock.advanceAsync(10 * MINUTE)
    expect(client.getState().status).toBe('signed-out')
    expect(client.getState().signOutReason).toBe('inactivity')
  })

  it('keeps loading (not signed out) when the first load cannot reach the server', async () => {
    const { clock, adapter } = await signedIn()
    // A second client whose first load fails.
    adapter.fail('offline', { times: 2 })
    const { createSessionClient } = await import('../../src/core/client')
    const second = createSessionClient({ adapter, clock, eventTarget: null })
    const stop = second.mount()
    await clock.advanceAsync(0)
    expect(second.getState().status).toBe('loading')
    expect(second.getState().connectivity).toBe('offline')
    await clock.advanceAsync(10 * SECOND)
    expect(second.getState().status).toBe('signed-in')
    stop()
    second.destroy()
  })
})

describe('given a definite answer from the server', () => {
  it('signs out on 401 from a touch, as revoked', async () => {
    const { client, adapter } = await signedIn()
    adapter.fail('unauthenticated')
    await client.touch().catch(() => undefined)
    expect(client.getState().status).toBe('signed-out')
    expect(client.getState().signOutReason).toBe('revoked')
  })

  it('signs out when the session was revoked elsewhere and a token is asked for', async () => {
    const { client, adapter } = await signedIn()
    adapter.revokeSession(client.getState().session!.id)
    await expect(client.getToken({ skipCache: true })).rejects.toBeTruthy()
    expect(client.getState().status).toBe('signed-out')
  })
})

describe('given a malformed answer', () => {
  it('shows an invalid_response error and keeps the session', async () => {
    const { client, adapter } = await signedIn()
    adapter.respondWith('touchSession', { data: { id: 42 }, serverNow: adapter.serverNow() })
    await expect(client.touch()).rejects.toMatchObject({ code: 'invalid_response' })
    expect(client.getState().status).toBe('signed-in')
    expect(client.getState().error?.code).toBe('invalid_response')
  })

  it('rejects a malformed token with invalid_token and caches nothing', async () => {
    const { client, adapter } = await signedIn()
    adapter.respondWith('createToken', { data: { jwt: 'not.a.jwt' }, serverNow: adapter.serverNow() })
    await expect(client.getToken()).rejects.toMatchObject({ code: 'invalid_token' })
    adapter.resetCalls()
    await client.getToken()
    expect(adapter.calls.createToken).toBe(1)
  })
})
