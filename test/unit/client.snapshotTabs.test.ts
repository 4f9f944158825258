import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryAdapter } from '../../src/adapters/memory'
import { createSessionClient } from '../../src/core/client'
import { createMemoryTabHub } from '../../src/core/tabs/memoryTransport'
import type { ClientSnapshot, SessionClient } from '../../src/core/types'
import { createVirtualClock } from '../../src/core/virtualClock'
import { MINUTE, SECOND, SHORT_POLICY } from './helpers'

// A tab that starts from a server snapshot while another tab is open: the
// snapshot and the open tab's news are ordered by when the server produced
// each, the newer wins. A page rendered signed out (a null snapshot) has no
// such time: when it and the open tab disagree on who is signed in, the
// server decides.

let clients: SessionClient[] = []
afterEach(() => {
  for (const client of clients) client.destroy()
  clients = []
})

async function browser() {
  const clock = createVirtualClock()
  const adapter = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: ['alan@example.com', 'ada@example.com'] })
  const hub = createMemoryTabHub(clock)
  const open = (initialClient?: ClientSnapshot | null) => {
    const client = createSessionClient({ adapter, clock, eventTarget: new EventTarget(), crossTab: hub.tab(), initialClient })
    clients.push(client)
    client.mount()
    return client
  }
  const snapshot = async (): Promise<ClientSnapshot> => {
    const answer = await adapter.getClient()
    return { client: answer.data, serverNow: answer.serverNow }
  }
  return { clock, adapter, open, snapshot }
}

const who = (client: SessionClient) => client.getState().user?.identifier ?? client.getState().status

describe('a tab started from a server snapshot while another tab is open', () => {
  it('does not stay signed in when the open tab signed out after the snapshot was taken', async () => {
    const { clock, open, snapshot } = await browser()
    const first = open()
    await clock.advanceAsync(100)
    const taken = await snapshot()
    await first.signOut()
    await clock.advanceAsync(2 * SECOND)
    const second = open(taken)
    await clock.advanceAsync(1 * SECOND)
    expect(who(first)).toBe('signed-out')
    expect(who(second)).toBe('signed-out')
  })

  it('follows the account the open tab switched to after the snapshot was taken', async () => {
    const { clock, open, snapshot } = await browser()
    const first = open()
    await clock.advanceAsync(100)
    const taken = await snapshot()
    const alan = first.getState().sessions.find((s) => s.user.identifier === 'alan@example.com')!
    await first.setActive(alan.id)
    await clock.advanceAsync(2 * SECOND)
    const second = open(taken)
    await clock.advanceAsync(1 * SECOND)
    expect(who(first)).toBe('alan@example.com')
    expect(who(second)).toBe('alan@example.com')
  })

  it('is not signed in by an open tab that has not yet noticed its session was revoked', async () => {
    const { clock, adapter, open } = await browser()
    const first = open()
    await clock.advanceAsync(100)
    // Ada's session is revoked on another device; the server renders this page signed out (the revoked
    // session was the active one, so there is no snapshot: null). The open tab has not asked since.
    adapter.revokeSession(first.getState().session!.id)
    const second = open(null)
    await clock.advanceAsync(1 * SECOND)
    expect(second.getState().status).toBe('signed-out')
  })

  it("takes the open tab's current state, renewed after the snapshot was rendered, without asking the server when both agree", async () => {
    const { clock, adapter, open, snapshot } = await browser()
    const first = open()
    // Two minutes without input, then the server renders a page; the open tab renews just after.
    await clock.advanceAsync(2 * MINUTE)
    const taken = await snapshot()
    await first.touch()
    adapter.resetCalls()
    const second = open(taken)
    await clock.advanceAsync(1 * SECOND)
    expect(who(second)).toBe('ada@example.com')
    expect(second.getState().deadline).toBe(first.getState().deadline)
    expect(adapter.calls.getClient).toBe(0)
    // Past the snapshot's deadline (10 minutes of inactivity from the first load), before the renewed one.
    await clock.advanceAsync(9 * MINUTE)
    expect(who(first)).toBe('ada@example.com')
    expect(who(second)).toBe('ada@example.com')
  })

  it("keeps a snapshot newer than the open tab's state (the session was renewed by the server render)", async () => {
    const { clock, adapter, open, snapshot } = await browser()
    const first = open()
    await clock.advanceAsync(2 * MINUTE)
    // The request that rendered the page renewed the session; the open tab has not asked since.
    await adapter.touchSession(first.getState().session!.id)
    const taken = await snapshot()
    const second = open(taken)
    await clock.advanceAsync(1 * SECOND)
    expect(second.getState().deadline).toBe(first.getState().deadline! + 2 * MINUTE)
  })
})

describe('a stale snapshot while the server cannot be reached', () => {
  it('still warns and signs out at the local deadline', async () => {
    const clock = createVirtualClock()
    const adapter = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com' })
    const answer = await adapter.getClient()
    await clock.advanceAsync(2 * MINUTE)
    adapter.fail('offline')
    const client = createSessionClient({ adapter, clock, eventTarget: new EventTarget(), crossTab: false, initialClient: { client: answer.data, serverNow: answer.serverNow } })
    clients.push(client)
    client.mount()
    // SHORT_POLICY: 10 minutes of inactivity. With no server answer the client cannot tell a stale snapshot
    // from a clock that is off, so it reads the snapshot as current: the deadline is 10 minutes from now.
    await clock.advanceAsync(9 * MINUTE + 10 * SECOND)
    expect(client.getState().phase).toBe('warning')
    await clock.advanceAsync(1 * MINUTE)
    expect(client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'inactivity' })
  })
})
