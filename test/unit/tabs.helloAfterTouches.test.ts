import { afterEach, expect, it } from 'vitest'
import { createMemoryAdapter } from '../../src/adapters/memory'
import { createSessionClient } from '../../src/core/client'
import { createMemoryTabHub } from '../../src/core/tabs/memoryTransport'
import type { SessionClient } from '../../src/core/types'
import { createVirtualClock } from '../../src/core/virtualClock'
import { MINUTE, SECOND, SHORT_POLICY } from './helpers'

// A tab that opens next to one in use hands over the leader's state. Before the leader's hand-over
// held its current session (touches merged in), it was the last whole-client answer: after more than
// the inactivity timeout of use with touches only, its deadline had passed, and the new tab expired
// it and signed every tab out.

let clients: SessionClient[] = []
afterEach(() => {
  for (const client of clients) client.destroy()
  clients = []
})

it('a tab opened after 15 minutes of use (touches only) does not sign anyone out', async () => {
  const clock = createVirtualClock()
  const adapter = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com', latencyMs: 200 })
  const hub = createMemoryTabHub(clock)
  const open = () => {
    const input = new EventTarget()
    const client = createSessionClient({ adapter, clock, eventTarget: input, crossTab: hub.tab() })
    clients.push(client)
    client.mount()
    return { client, input }
  }
  const a = open()
  await clock.advanceAsync(1 * SECOND)
  // SHORT_POLICY: 10 minutes of inactivity; 15 minutes of typing, so only touches renew the session.
  for (let minute = 0; minute < 15; minute++) {
    a.input.dispatchEvent(new Event('keydown'))
    await clock.advanceAsync(MINUTE)
  }
  expect(a.client.getState().status).toBe('signed-in')
  const b = open()
  const seen: string[] = []
  b.client.subscribe((state) => seen.push(`${state.status}/${state.phase}`))
  await clock.advanceAsync(2 * SECOND)
  expect(a.client.getState().status).toBe('signed-in')
  expect(b.client.getState().status).toBe('signed-in')
  expect(seen).not.toContain('signed-out/expired')
})
