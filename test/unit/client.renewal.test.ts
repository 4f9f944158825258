import { afterEach, describe, expect, it } from 'vitest'
import { SessionKitError } from '../../src/core/errors'
import { MINUTE, SECOND, destroyClients, signedIn } from './helpers'

// "Stay signed in" is done only when the server confirms the new deadline:
// offline, the warning stays (with `renewal: 'retrying'`) until a retry lands.

afterEach(destroyClients)

/** Signed in, 10 min inactivity, and 30 s into the warning (the deadline is 30 s away). */
async function inTheWarning(latencyMs = 0) {
  const env = await signedIn({ adapter: { latencyMs } })
  await env.clock.advanceAsync(env.client.getState().deadline! - 30 * SECOND - env.clock.now())
  expect(env.client.getState().phase).toBe('warning')
  return env
}

describe('given the warning and a click on "Stay signed in"', () => {
  it('is pending until the server answers, then idle with the new deadline', async () => {
    const { client, clock } = await inTheWarning(300)
    const before = client.getState().deadline!
    const touched = client.touch()
    expect(client.getState()).toMatchObject({ renewal: 'pending', phase: 'warning' })
    await clock.advanceAsync(300)
    await touched
    expect(client.getState()).toMatchObject({ renewal: 'idle', phase: 'active' })
    expect(client.getState().deadline!).toBeGreaterThan(before + 5 * MINUTE)
  })

  it('offline, stays in the warning as retrying, and renews when a retry gets through', async () => {
    const { client, clock, adapter } = await inTheWarning()
    const before = client.getState().deadline!
    adapter.fail('offline')
    await expect(client.touch()).rejects.toMatchObject({ code: 'network_error' })
    expect(client.getState()).toMatchObject({ renewal: 'retrying', phase: 'warning', connectivity: 'offline', deadline: before })
    // Retries keep failing: still retrying, still the old deadline.
    await clock.advanceAsync(3 * SECOND)
    expect(client.getState()).toMatchObject({ renewal: 'retrying', phase: 'warning', deadline: before })
    adapter.fail(null)
    window.dispatchEvent(new Event('online'))
    await clock.advanceAsync(0)
    expect(client.getState()).toMatchObject({ renewal: 'idle', phase: 'active', connectivity: 'online' })
    expect(client.getState().deadline!).toBeGreaterThan(before + 5 * MINUTE)
  })

  it('offline until the deadline: signs out on time, and the renewal is over', async () => {
    const { client, clock, adapter } = await inTheWarning()
    adapter.fail('offline')
    await client.touch().catch(() => undefined)
    await clock.advanceAsync(31 * SECOND)
    expect(client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'inactivity', renewal: 'idle' })
  })

  it('a definite answer (signed out elsewhere) signs out instead of retrying', async () => {
    const { client, adapter } = await inTheWarning()
    adapter.fail('unauthenticated')
    await client.touch().catch(() => undefined)
    expect(client.getState()).toMatchObject({ status: 'signed-out', renewal: 'idle' })
  })
})

describe('given "Stay signed in" refused by something other than a sign-out', () => {
  it('a captive portal page (invalid_response) is failed: still in the warning, not retried, and the next click renews', async () => {
    const { client, clock, adapter } = await inTheWarning()
    const before = client.getState().deadline!
    adapter.respondWith('touchSession', { data: '<html><body>Sign in to the hotel Wi-Fi</body></html>', serverNow: adapter.serverNow() })
    await expect(client.touch()).rejects.toMatchObject({ code: 'invalid_response' })
    expect(client.getState()).toMatchObject({ status: 'signed-in', renewal: 'failed', phase: 'warning', deadline: before })
    adapter.resetCalls()
    await clock.advanceAsync(20 * SECOND)
    expect(adapter.calls.touchSession).toBe(0)
    expect(client.getState().renewal).toBe('failed')
    await client.touch()
    expect(client.getState()).toMatchObject({ renewal: 'idle', phase: 'active' })
    expect(client.getState().deadline!).toBeGreaterThan(before + 5 * MINUTE)
  })

  it('a 403 is failed until the session ends at its deadline', async () => {
    const { client, clock, adapter } = await inTheWarning()
    const touchSession = adapter.touchSession
    adapter.touchSession = async () => {
      throw new SessionKitError('forbidden', 'This proxy does not allow the request.', { status: 403 })
    }
    await expect(client.touch()).rejects.toMatchObject({ code: 'forbidden' })
    adapter.touchSession = touchSession
    expect(client.getState()).toMatchObject({ status: 'signed-in', renewal: 'failed', phase: 'warning' })
    await clock.advanceAsync(31 * SECOND)
    expect(client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'inactivity', renewal: 'idle' })
  })
})

describe('given an app listener that throws while a touch answer is applied', () => {
  it('is not taken for a network failure: still online, nothing retried', async () => {
    const { client, clock, adapter } = await inTheWarning()
    const unsubscribe = client.subscribe((state, previous) => {
      if (state.deadline !== previous.deadline) throw new Error("the app's listener broke")
    })
    await expect(client.touch()).rejects.toThrow("the app's listener broke")
    unsubscribe()
    expect(client.getState()).toMatchObject({ connectivity: 'online', error: null })
    adapter.resetCalls()
    await clock.advanceAsync(10 * SECOND)
    expect(adapter.calls.touchSession).toBe(0)
  })
})
