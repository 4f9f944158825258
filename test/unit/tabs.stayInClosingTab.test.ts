import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryAdapter } from '../../src/adapters/memory'
import { createMemoryTabHub } from '../../src/core/tabs/memoryTransport'
import { createVirtualClock } from '../../src/core/virtualClock'
import { MINUTE, SECOND, SHORT_POLICY } from './helpers'
import { closeOpenedTabs, openTab } from './tabHelpers'

// "Stay signed in" pressed in a tab that closes before the server's answer: the server renewed the session, but
// the renewed session never comes to the other tabs as news. At the old deadline they ask the server instead of
// ending a session it has just renewed.

afterEach(closeOpenedTabs)

const LATENCY_MS = 2 * SECOND

/** Two tabs on a server 2 s away (1 s each way), the server's inactivity limit 10 min, the warning 60 s ahead. */
async function twoTabs() {
  const clock = createVirtualClock()
  const adapter = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com', latencyMs: LATENCY_MS })
  const hub = createMemoryTabHub(clock)
  const a = openTab(clock, adapter, hub)
  const b = openTab(clock, adapter, hub)
  const start = clock.now()
  await clock.advanceAsync(LATENCY_MS + 100)
  const sessionId = b.client.getState().session!.id
  /** Moves the clock to `at` (ms since the tabs opened). */
  const until = (at: number) => clock.advanceAsync(start + at - clock.now())
  return { clock, adapter, hub, a, b, sessionId, start, until }
}

describe('given two tabs and "Stay signed in" in one that closes before the server answers', () => {
  it('keeps the other tab signed in with the renewed deadline, and the session active on the server', async () => {
    const { adapter, a, b, sessionId, start, until } = await twoTabs()
    const oldDeadline = b.client.getState().deadline!
    expect(oldDeadline).toBeLessThanOrEqual(start + 10 * MINUTE)
    await until(9 * MINUTE + 20 * SECOND)
    expect(b.client.getState()).toMatchObject({ status: 'signed-in', phase: 'warning', deadline: oldDeadline })
    void a.client.touch()
    // The server applies the touch after 1 s; the tab closes before its answer (at 2 s).
    await until(9 * MINUTE + 21.5 * SECOND)
    a.close()
    expect(b.client.getState()).toMatchObject({ status: 'signed-in', phase: 'warning', deadline: oldDeadline })
    await until(10 * MINUTE + 30 * SECOND)
    expect(adapter.peek(sessionId)!.status).toBe('active')
    const state = b.client.getState()
    expect(state).toMatchObject({ status: 'signed-in', phase: 'active' })
    expect(state.deadline).toBeGreaterThan(start + 19 * MINUTE)
  })

  it('signs the other tab out on time when the server refused that touch: its answer at the deadline says the time is up', async () => {
    const { adapter, a, b, start, until } = await twoTabs()
    const oldDeadline = b.client.getState().deadline!
    adapter.fail('server-error', { only: ['touchSession'] })
    await until(9 * MINUTE + 20 * SECOND)
    // Refused after the tab closed: nobody is there to hear it.
    a.client.touch().catch(() => undefined)
    await until(9 * MINUTE + 21.5 * SECOND)
    a.close()
    adapter.resetCalls()
    await until(oldDeadline - start - 100)
    expect(b.client.getState()).toMatchObject({ status: 'signed-in', phase: 'warning' })
    // One round trip (2 s) to hear it from the server, well within the check's 5 s.
    await until(oldDeadline - start + LATENCY_MS + 100)
    expect(b.client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'inactivity' })
    expect(adapter.calls.getClient).toBe(1)
  })
})

describe('given "Stay signed in" in one tab whose news is slow, and the other tab offline to the server at the deadline', () => {
  it('the network error of the check signs nobody out: the news comes within 5 s and the other tab carries on', async () => {
    const { adapter, hub, a, b, sessionId, start, until } = await twoTabs()
    const oldDeadline = b.client.getState().deadline!
    // The renewed session comes to the other tab late (a busy tab): held until the check's request has failed.
    const held: unknown[] = []
    hub.conditions.drop = (message) => (message as { type: string }).type === 'session' && !!held.push(message)
    await until(9 * MINUTE + 20 * SECOND)
    void a.client.touch()
    await until(9 * MINUTE + 20 * SECOND + LATENCY_MS + 100)
    expect(held.length).toBeGreaterThan(0)
    adapter.fail('offline', { only: ['getClient'] })
    await until(oldDeadline - start + LATENCY_MS + 500)
    expect(b.client.getState()).toMatchObject({ status: 'signed-in', phase: 'warning' })
    hub.conditions.drop = undefined
    for (const message of held) hub.tab().channel(`sessionkit:${adapter.key}`).postMessage(message)
    await until(oldDeadline - start + 30 * SECOND)
    expect(b.client.getState()).toMatchObject({ status: 'signed-in', phase: 'active' })
    expect(b.client.getState().deadline).toBeGreaterThan(start + 19 * MINUTE)
    expect(adapter.peek(sessionId)!.status).toBe('active')
  })
})
