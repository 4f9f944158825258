import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemoryAdapter } from '../../src/adapters/memory'
import { createSessionClient } from '../../src/core/client'
import { createMemoryTabHub } from '../../src/core/tabs/memoryTransport'
import type { BeforeSignOutInfo, SessionClient } from '../../src/core/types'
import { createVirtualClock } from '../../src/core/virtualClock'
import { MINUTE, SECOND, SHORT_POLICY, destroyClients, signedIn } from './helpers'

// beforeSignOut: the app's bounded chance to save work before a deadline or
// a remote sign-out ends the session.

const clients: SessionClient[] = []
afterEach(() => {
  destroyClients()
  for (const client of clients.splice(0)) client.destroy()
  vi.restoreAllMocks()
})

describe('beforeSignOut at a deadline', () => {
  it('is awaited: the session ends only when saving is done', async () => {
    let finishSaving!: () => void
    const calls: BeforeSignOutInfo[] = []
    const { client, clock } = await signedIn({
      client: {
        beforeSignOut: async (info) => {
          calls.push(info)
          await new Promise<void>((resolve) => (finishSaving = resolve))
        },
      },
    })
    const sessionId = client.getState().session!.id
    await clock.advanceAsync(client.getState().deadline! - clock.now())
    expect(calls).toEqual([{ reason: 'inactivity', sessionId }])
    expect(client.getState().status).toBe('signed-in')
    await clock.advanceAsync(500)
    expect(client.getState().status).toBe('signed-in')
    finishSaving()
    await clock.advanceAsync(0)
    expect(client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'inactivity' })
  })

  it('never holds the sign-out back past beforeSignOutTimeout', async () => {
    const { client, clock } = await signedIn({ client: { beforeSignOut: () => new Promise(() => {}), beforeSignOutTimeout: 1_500 } })
    await clock.advanceAsync(client.getState().deadline! - clock.now())
    await clock.advanceAsync(1_499)
    expect(client.getState().status).toBe('signed-in')
    await clock.advanceAsync(1)
    expect(client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'inactivity' })
  })

  it('an error in it never blocks the sign-out', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const { client, clock } = await signedIn({
      client: {
        beforeSignOut: () => {
          throw new Error('the draft store is down')
        },
      },
    })
    await clock.advanceAsync(client.getState().deadline! - clock.now())
    expect(client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'inactivity' })
  })

  it('does not run for the user\'s own sign-out', async () => {
    const hook = vi.fn()
    const { client } = await signedIn({ client: { beforeSignOut: hook } })
    await client.signOut()
    expect(hook).not.toHaveBeenCalled()
    expect(client.getState().status).toBe('signed-out')
  })

  it('runs on a remote sign-out (the server says the session is gone)', async () => {
    const hook = vi.fn()
    const { client, adapter } = await signedIn({ client: { beforeSignOut: hook } })
    adapter.fail('unauthenticated')
    await client.touch().catch(() => undefined)
    await vi.waitFor(() => expect(client.getState().status).toBe('signed-out'))
    expect(hook).toHaveBeenCalledWith({ reason: 'revoked', sessionId: expect.any(String) })
  })

  it('runs once in each tab when two tabs see the deadline (each saves its own work), and both tabs sign out', async () => {
    const clock = createVirtualClock()
    const adapter = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com' })
    const hub = createMemoryTabHub(clock)
    const saved: string[] = []
    const open = (name: string) => {
      const client = createSessionClient({
        adapter,
        clock,
        eventTarget: new EventTarget(),
        crossTab: hub.tab(),
        beforeSignOut: async () => {
          saved.push(name)
          await new Promise<void>((resolve) => clock.setTimeout(resolve, 300))
        },
      })
      clients.push(client)
      client.mount()
      return client
    }
    const tabs = [open('A'), open('B')]
    await clock.advanceAsync(100)
    await clock.advanceAsync(10 * MINUTE + SECOND)
    expect(saved.sort()).toEqual(['A', 'B'])
    for (const tab of tabs) expect(tab.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'inactivity' })
  })
})
