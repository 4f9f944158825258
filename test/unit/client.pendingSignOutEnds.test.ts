import { afterEach, describe, expect, it } from 'vitest'
import { MINUTE, SECOND, destroyClients, signedIn } from './helpers'

// When a pending sign-out (one the server has not heard yet) stops being sent:
// never after the client is destroyed.

afterEach(destroyClients)

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
