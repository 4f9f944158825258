import { describe, expect, it } from 'vitest'
import { createMemoryAdapter, type MemoryAdapter } from '../../src/adapters/memory'
import type { AdapterMethod } from '../../src/core/adapter'
import { createSessionClient } from '../../src/core/client'
import { createVirtualClock } from '../../src/core/virtualClock'
import { MINUTE, SECOND, SHORT_POLICY } from './helpers'

// An answer that lands after destroy() (the provider unmounted, HMR) changes nothing:
// no deadline is armed again, nothing is retried, checked or ended later.

/** A mounted client on a server with a 1 s round trip, and what it sends once destroyed. */
async function clientWithAnswersOnTheirWay() {
  const clock = createVirtualClock()
  const memory = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com', latencyMs: SECOND })
  const sentAfterDestroy: AdapterMethod[] = []
  let destroyed = false
  const adapter = new Proxy(memory, {
    get(target, key: keyof MemoryAdapter) {
      const value = target[key]
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        if (destroyed) sentAfterDestroy.push(key as AdapterMethod)
        return (value as (...a: unknown[]) => unknown)(...args)
      }
    },
  })
  const input = new EventTarget()
  const client = createSessionClient({ adapter, clock, eventTarget: input, crossTab: false })
  const unmount = client.mount()
  await clock.advanceAsync(SECOND)
  const signedOut: unknown[] = []
  client.on('signedOut', (event) => void signedOut.push(event))
  const destroy = () => {
    unmount()
    client.destroy()
    destroyed = true
  }
  return { clock, memory, client, input, destroy, sentAfterDestroy, signedOut }
}

describe('given a client destroyed while a touch is on its way', () => {
  it('its answer arms no deadline: 30 min later nothing was checked, ended or sent', async () => {
    const { clock, client, input, destroy, sentAfterDestroy, signedOut } = await clientWithAnswersOnTheirWay()
    await clock.advanceAsync(MINUTE)
    input.dispatchEvent(new Event('keydown'))
    await clock.advanceAsync(200)
    destroy()
    const state = client.getState()
    await clock.advanceAsync(30 * MINUTE)
    expect(sentAfterDestroy).toEqual([])
    expect(signedOut).toEqual([])
    expect(client.getState()).toBe(state)
  })

  it('its failure (offline) is not retried', async () => {
    const { clock, memory, input, destroy, sentAfterDestroy } = await clientWithAnswersOnTheirWay()
    await clock.advanceAsync(MINUTE)
    memory.fail('offline', { only: ['touchSession'] })
    input.dispatchEvent(new Event('keydown'))
    await clock.advanceAsync(200)
    destroy()
    await clock.advanceAsync(5 * MINUTE)
    expect(sentAfterDestroy).toEqual([])
  })
})

describe('given a client destroyed while a load is on its way', () => {
  it('its answer arms no deadline: 30 min later nothing was checked, ended or sent', async () => {
    const { clock, client, destroy, sentAfterDestroy, signedOut } = await clientWithAnswersOnTheirWay()
    void client.load()
    await clock.advanceAsync(200)
    destroy()
    await clock.advanceAsync(30 * MINUTE)
    expect(sentAfterDestroy).toEqual([])
    expect(signedOut).toEqual([])
    expect(client.getState()).toMatchObject({ status: 'signed-in' })
  })

  it('its answer after an outage leaves the state as it was at destroy (still offline)', async () => {
    const { clock, memory, client, input, destroy } = await clientWithAnswersOnTheirWay()
    await clock.advanceAsync(MINUTE)
    memory.fail('offline', { only: ['touchSession'], times: 1 })
    input.dispatchEvent(new Event('keydown'))
    await clock.advanceAsync(SECOND)
    expect(client.getState().connectivity).toBe('offline')
    void client.load()
    await clock.advanceAsync(200)
    destroy()
    const state = client.getState()
    await clock.advanceAsync(30 * MINUTE)
    expect(client.getState()).toBe(state)
  })
})
