import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryAdapter } from '../../src/adapters/memory'
import { createSessionClient } from '../../src/core/client'
import type { SessionClient } from '../../src/core/types'
import { createVirtualClock } from '../../src/core/virtualClock'
import { MINUTE, SECOND, SHORT_POLICY } from './helpers'

// initialClient: a server snapshot (GET /v1/client's answer) the client starts
// from, so the first render is already signed in or out.

let client: SessionClient | undefined
afterEach(() => client?.destroy())

async function world({ signedIn = true } = {}) {
  const clock = createVirtualClock()
  const adapter = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: signedIn ? 'ada@example.com' : [] })
  const snapshot = await adapter.getClient()
  adapter.resetCalls()
  return { clock, adapter, snapshot: { client: snapshot.data, serverNow: snapshot.serverNow } }
}

describe('a client started from a server snapshot', () => {
  it('is signed in before it mounts, says so as its initial state, and does not ask again on mount', async () => {
    const { clock, adapter, snapshot } = await world()
    client = createSessionClient({ adapter, clock, initialClient: snapshot, crossTab: false, eventTarget: window })
    expect(client.getState()).toMatchObject({ status: 'signed-in', user: { identifier: 'ada@example.com' } })
    expect(client.getInitialState()).toBe(client.getState())
    client.mount()
    await clock.advanceAsync(0)
    expect(adapter.calls.getClient).toBe(0)
    // It carries on as if it had loaded: the warning opens on time and the deadline signs out.
    await clock.advanceAsync(10 * MINUTE - 30 * SECOND)
    expect(client.getState().phase).toBe('warning')
    await clock.advanceAsync(31 * SECOND)
    expect(client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'inactivity' })
  })

  it('arms no timer before it mounts (a server render keeps none)', async () => {
    const { clock, adapter, snapshot } = await world()
    client = createSessionClient({ adapter, clock, initialClient: snapshot, crossTab: false, eventTarget: null })
    expect(clock.pendingTimers()).toBe(0)
  })

  it('checks with the server at once when the snapshot is over a minute old', async () => {
    const { clock, adapter, snapshot } = await world()
    await clock.advanceAsync(2 * MINUTE)
    client = createSessionClient({ adapter, clock, initialClient: snapshot, crossTab: false, eventTarget: window })
    expect(client.getState().status).toBe('signed-in')
    client.mount()
    await clock.advanceAsync(0)
    expect(adapter.calls.getClient).toBe(1)
  })

  it('checks at once, and signs out, when the snapshot\'s session is already past its deadline', async () => {
    const { clock, adapter, snapshot } = await world()
    await clock.advanceAsync(11 * MINUTE)
    client = createSessionClient({ adapter, clock, initialClient: snapshot, crossTab: false, eventTarget: window })
    // Nothing ends while starting: no server call before mount.
    expect(adapter.calls.endSession).toBe(0)
    client.mount()
    await clock.advanceAsync(0)
    expect(adapter.calls.getClient).toBe(1)
    expect(client.getState().status).toBe('signed-out')
  })

  it('with null is signed out from the start and asks nobody', async () => {
    const { clock, adapter } = await world({ signedIn: false })
    client = createSessionClient({ adapter, clock, initialClient: null, crossTab: false, eventTarget: window })
    expect(client.getState()).toMatchObject({ status: 'signed-out', signOutReason: null })
    client.mount()
    await clock.advanceAsync(0)
    expect(adapter.calls.getClient).toBe(0)
  })

  it('rejects a snapshot that is not what GET /v1/client answers', async () => {
    const { clock, adapter } = await world()
    expect(() => createSessionClient({ adapter, clock, initialClient: { client: { sessions: 'oops' }, serverNow: 1 } as never })).toThrow(
      expect.objectContaining({ code: 'invalid_response' }),
    )
    expect(() => createSessionClient({ adapter, clock, initialClient: { client: {} } as never })).toThrow(
      expect.objectContaining({ code: 'invalid_option', message: expect.stringMatching(/getClientSnapshot/) }),
    )
  })
})
