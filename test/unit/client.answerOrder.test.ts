import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryAdapter } from '../../src/adapters/memory'
import type { SessionAdapter } from '../../src/core/adapter'
import { createSessionClient } from '../../src/core/client'
import { createMemoryTabHub } from '../../src/core/tabs/memoryTransport'
import type { SessionClient } from '../../src/core/types'
import { createVirtualClock, type VirtualClock } from '../../src/core/virtualClock'
import { MINUTE, SECOND, SHORT_POLICY, sidOf } from './helpers'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

/** How long a held-back answer stays on the wire after the server acted (ms). */
const HELD_BACK_MS = 500

/**
 * A memory backend with Grace and Ada signed in (Ada active), and an adapter
 * on it whose answers the test can hold back: `holdBack(method, when)` delays
 * the answers of `method` for which `when(args)` holds by 500 ms after the
 * server acted, as a slow network path would.
 */
function slowNetwork(clock: VirtualClock) {
  const memory = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: ['grace@example.com', 'ada@example.com'] })
  const held = new Map<string, (args: unknown[]) => boolean>()
  /** How far the server's clock was set back after the first answers (ms). */
  let setBackMs = 0
  const holdingBack =
    <A extends unknown[], R extends { serverNow: number }>(method: string, call: (...args: A) => Promise<R>) =>
    async (...args: A) => {
      const answer = await call(...args)
      if (held.get(method)?.(args)) await new Promise<void>((resolve) => clock.setTimeout(resolve, HELD_BACK_MS))
      return { ...answer, serverNow: answer.serverNow - setBackMs }
    }
  const adapter: SessionAdapter = {
    ...memory,
    setActiveSession: holdingBack('setActiveSession', memory.setActiveSession),
    getClient: holdingBack('getClient', memory.getClient),
  }
  const holdBack = (method: 'setActiveSession' | 'getClient', when: (args: unknown[]) => boolean = () => true) => held.set(method, when)
  const setServerClockBack = (ms: number) => {
    setBackMs = ms
  }
  return { memory, adapter, holdBack, setServerClockBack }
}

/** One client (one tab) on `slowNetwork`, mounted and loaded. */
async function twoAccounts() {
  const clock = createVirtualClock()
  const { memory, adapter, holdBack, setServerClockBack } = slowNetwork(clock)
  const client = createSessionClient({ adapter, clock, eventTarget: window })
  const unmount = client.mount()
  await clock.advanceAsync(0)
  cleanup = () => {
    unmount()
    client.destroy()
  }
  const [grace, ada] = client.getState().sessions.map((s) => s.id)
  return { clock, memory, client, grace: grace!, ada: ada!, holdBack, setServerClockBack }
}

/** Lets every answer land, held back or not. */
const settle = (clock: VirtualClock) => clock.advanceAsync(2 * HELD_BACK_MS)

describe('answers that cross on the wire', () => {
  it('ends on the session the user picked last when the earlier switch answers later', async () => {
    const { clock, memory, client, grace, ada, holdBack } = await twoAccounts()
    holdBack('setActiveSession', ([sessionId]) => sessionId === ada)
    const first = client.setActive(ada)
    await clock.advanceAsync(10)
    const second = client.setActive(grace)
    await settle(clock)
    await Promise.all([first, second])
    expect((await memory.getClient()).data.lastActiveSessionId).toBe(grace)
    expect(client.getState().session?.id).toBe(grace)
    expect(sidOf(await client.getToken())).toBe(grace)
  })

  it('lets the later of two switches the server made in the same millisecond win', async () => {
    const { clock, client, grace, ada, holdBack } = await twoAccounts()
    holdBack('setActiveSession', ([sessionId]) => sessionId === ada)
    const both = Promise.all([client.setActive(ada), client.setActive(grace)])
    await settle(clock)
    await both
    expect(client.getState().session?.id).toBe(grace)
    expect(sidOf(await client.getToken())).toBe(grace)
  })

  it('keeps a switch made while a slow reload (on focus, say) was on its way', async () => {
    const { clock, client, grace, holdBack } = await twoAccounts()
    holdBack('getClient')
    const reload = client.load()
    await clock.advanceAsync(10)
    await client.setActive(grace)
    await settle(clock)
    await reload
    expect(client.getState().session?.id).toBe(grace)
    expect(sidOf(await client.getToken())).toBe(grace)
  })

  it('still follows the server when a later answer reads an earlier server clock (the clock was set back)', async () => {
    const { clock, client, grace, ada, setServerClockBack } = await twoAccounts()
    await client.setActive(grace)
    setServerClockBack(MINUTE)
    await clock.advanceAsync(10)
    await client.setActive(ada)
    expect(client.getState().session?.id).toBe(ada)
    await client.load()
    expect(client.getState().session?.id).toBe(ada)
  })

  it('keeps the deadline "Stay signed in" renewed when a reload sent just before answers after it', async () => {
    const { clock, client, holdBack } = await twoAccounts()
    await clock.advanceAsync(client.getState().deadline! - 30 * SECOND - clock.now())
    expect(client.getState().phase).toBe('warning')
    // Back to the tab: the wake check reloads, on a slow path; the user clicks "Stay signed in" meanwhile.
    holdBack('getClient')
    const reload = client.load()
    await clock.advanceAsync(5)
    await client.touch()
    const renewed = client.getState().deadline
    await settle(clock)
    await reload
    expect(client.getState()).toMatchObject({ deadline: renewed, phase: 'active' })
    await clock.advanceAsync(2 * MINUTE)
    expect(client.getState().status).toBe('signed-in')
  })
})

describe('answers that cross on the wire in two tabs', () => {
  it('keeps an account switch made in one tab when a slow reload in the other answers after it', async () => {
    const clock = createVirtualClock()
    const { memory, adapter: slow, holdBack } = slowNetwork(clock)
    const hub = createMemoryTabHub(clock)
    const tabs = [memory, slow].map((adapter) => {
      const transport = hub.tab()
      const client = createSessionClient({ adapter, clock, eventTarget: new EventTarget(), crossTab: transport })
      return { client, transport, unmount: client.mount() }
    })
    cleanup = () => {
      for (const { client, transport, unmount } of tabs) {
        unmount()
        client.destroy()
        transport.close()
      }
    }
    await clock.advanceAsync(100)
    const [a, b] = tabs.map((tab) => tab.client) as [SessionClient, SessionClient]
    const grace = a.getState().sessions.find((s) => s.user.identifier === 'grace@example.com')!.id
    holdBack('getClient')
    const reload = b.load()
    await clock.advanceAsync(10)
    await a.setActive(grace)
    await settle(clock)
    await reload
    await clock.advanceAsync(100)
    expect((await memory.getClient()).data.lastActiveSessionId).toBe(grace)
    expect(a.getState().session?.id).toBe(grace)
    expect(b.getState().session?.id).toBe(grace)
    expect(sidOf(await b.getToken())).toBe(grace)
  })
})
