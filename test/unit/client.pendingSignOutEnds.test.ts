import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryAdapter, DEMO_PASSWORD } from '../../src/adapters/memory'
import { createSessionClient } from '../../src/core/client'
import { SessionKitError } from '../../src/core/errors'
import type { SessionAdapter } from '../../src/core/adapter'
import type { SessionClient } from '../../src/core/types'
import { createVirtualClock } from '../../src/core/virtualClock'
import { MINUTE, SECOND, SHORT_POLICY, destroyClients, signedIn } from './helpers'

// When a pending sign-out (one the server has not heard yet) stops being sent:
// never after the client is destroyed, and after a few refusals that are not
// a failure to reach the server (a WAF's 403, a backend without the route).

const clients: SessionClient[] = []
afterEach(() => {
  destroyClients()
  for (const client of clients.splice(0)) client.destroy()
})

const ADA = { identifier: 'ada@example.com', password: DEMO_PASSWORD }

describe('given a client destroyed while a sign-out is on its way', () => {
  it('never sends it again, though it failed after destroy()', async () => {
    const { client, adapter, clock } = await signedIn({ adapter: { latencyMs: 200 } })
    adapter.fail('offline')
    const out = client.signOut()
    client.destroy()
    await clock.advanceAsync(200)
    await out
    adapter.resetCalls()
    await clock.advanceAsync(5 * MINUTE)
    expect(adapter.calls.endSession + adapter.calls.endAllSessions).toBe(0)
  })

  it('never tells the server of a deadline whose beforeSignOut ends after destroy()', async () => {
    let finishSaving!: () => void
    const signedOut: unknown[] = []
    const { client, adapter, clock } = await signedIn({
      client: { idleTimeout: 2 * MINUTE, beforeSignOut: () => new Promise<void>((resolve) => (finishSaving = resolve)) },
    })
    client.on('signedOut', (info) => signedOut.push(info))
    adapter.fail('offline')
    await clock.advanceAsync(client.getState().deadline! - clock.now())
    // Past the deadline's check (at most 5 s), saving work before the sign-out.
    await clock.advanceAsync(1 * SECOND)
    client.destroy()
    finishSaving()
    adapter.resetCalls()
    await clock.advanceAsync(5 * MINUTE)
    expect(adapter.calls.endSession + adapter.calls.endAllSessions).toBe(0)
    // A destroyed client does nothing: no sign-out announced after destroy().
    expect(signedOut).toEqual([])
  })
})

/** A server whose sign-out route keeps refusing with a 403 (a WAF rule), all else answering. */
async function refusingSignOuts() {
  const clock = createVirtualClock()
  const memory = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com' })
  const refused = { count: 0 }
  const forbidden = () => {
    refused.count += 1
    return Promise.reject(new SessionKitError('forbidden', 'Forbidden.', { status: 403 }))
  }
  const adapter = new Proxy(memory, {
    get: (target, property, receiver) => (property === 'endSession' || property === 'endAllSessions' ? forbidden : Reflect.get(target, property, receiver)),
  }) as SessionAdapter
  const client = createSessionClient({ adapter, clock, eventTarget: window, crossTab: false })
  clients.push(client)
  client.mount()
  await clock.advanceAsync(0)
  return { clock, memory, client, refused }
}

describe('given a sign-out the server keeps refusing (not a failure to reach it)', () => {
  it('is sent 3 times in all, then dropped; a new sign-in reads online', async () => {
    const { clock, client, refused } = await refusingSignOuts()
    await expect(client.signOut()).rejects.toMatchObject({ code: 'forbidden' })
    await client.signIn(ADA)
    await clock.advanceAsync(2 * MINUTE)
    expect(client.getState()).toMatchObject({ status: 'signed-in', connectivity: 'online' })
    expect(refused.count).toBe(3)
    // Still within the new session's 10 minutes: its own deadline would sign out (and tell the server) again.
    await clock.advanceAsync(5 * MINUTE)
    expect(refused.count).toBe(3)
  })

  it('leaves the check on focus alone: a session revoked elsewhere is found', async () => {
    const { clock, memory, client } = await refusingSignOuts()
    await client.signOut().catch(() => undefined)
    await client.signIn(ADA)
    await clock.advanceAsync(2 * MINUTE)
    memory.revokeSession(client.getState().session!.id)
    memory.resetCalls()
    window.dispatchEvent(new Event('focus'))
    await clock.advanceAsync(0)
    expect(memory.calls.getClient).toBe(1)
    expect(client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'revoked' })
  })
})

describe('given a sign-out still on its way (no answer yet)', () => {
  it('does not hold connectivity away from online, nor skip the check on focus', async () => {
    const clock = createVirtualClock()
    const memory = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com' })
    let failing = true
    let timeOut: () => void = () => undefined
    // The first sign-out fails offline; the next ones hang until the adapter's timeout (`timeOut`).
    const slow = () => {
      if (failing) {
        failing = false
        return Promise.reject(new SessionKitError('network_error', 'Offline.'))
      }
      return new Promise<never>((_, reject) => (timeOut = () => reject(new SessionKitError('timeout', 'No answer.'))))
    }
    const adapter = new Proxy(memory, {
      get: (target, property, receiver) => (property === 'endSession' || property === 'endAllSessions' ? slow : Reflect.get(target, property, receiver)),
    }) as SessionAdapter
    const client = createSessionClient({ adapter, clock, eventTarget: window, crossTab: false })
    clients.push(client)
    client.mount()
    await clock.advanceAsync(0)
    await client.signOut()
    expect(client.getState().connectivity).toBe('offline')
    // The sign-in's answer sends the sign-out again, which hangs.
    await client.signIn(ADA)
    expect(client.getState().connectivity).toBe('online')
    await clock.advanceAsync(1 * MINUTE)
    memory.revokeSession(client.getState().session!.id)
    memory.resetCalls()
    window.dispatchEvent(new Event('focus'))
    await clock.advanceAsync(0)
    // The check waits for the sign-out on its way (a load never finds a session signed out here), then asks.
    timeOut()
    await clock.advanceAsync(0)
    expect(memory.calls.getClient).toBe(1)
    expect(client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'revoked', connectivity: 'online' })
  })
})
