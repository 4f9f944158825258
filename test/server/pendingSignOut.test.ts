import { afterEach, describe, expect, it } from 'vitest'
import { createHttpAdapter } from '../../src/adapters/http'
import { createSessionClient } from '../../src/core/client'
import type { SessionClient } from '../../src/core/types'
import { createVirtualClock } from '../../src/core/virtualClock'
import { loadConfig } from '../../server/config'
import { startServer, type RunningServer } from '../../server/main'
import { ADA, removeDir, seededDataDir } from './helpers'

// A sign-out made while the reference server cannot be reached, over Node's
// http on 127.0.0.1: the client's timers on a virtual clock, the requests real.

let running: { server: RunningServer; dir: string } | null = null
const clients: SessionClient[] = []
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy()
  if (!running) return
  await running.server.close()
  removeDir(running.dir)
  running = null
})

/** One browser in front of the server: its cookie jar, and a network that can go down. */
async function browser() {
  const dir = seededDataDir()
  const server = await startServer(loadConfig({ SESSIONKIT_DATA: dir, SESSIONKIT_PORT: '0' }), { log: () => {} })
  running = { server, dir }
  const clock = createVirtualClock()
  let cookie: string | null = null
  const network = { down: false }
  const inFlight = new Set<Promise<unknown>>()
  const adapter = createHttpAdapter({
    baseUrl: server.url,
    clock,
    retries: 0,
    fetch: (input, init) => {
      if (network.down) return Promise.reject(new TypeError('Failed to fetch'))
      const headers = new Headers(init.headers)
      if (cookie) headers.set('cookie', cookie)
      const response = fetch(input, { ...init, headers }).then((answer) => {
        const set = answer.headers.getSetCookie()[0]
        if (set) cookie = set.split(';')[0]!
        return answer
      })
      inFlight.add(response)
      void response.finally(() => inFlight.delete(response)).catch(() => undefined)
      return response
    },
  })
  /** Moves the client's clock, then waits for the requests its timers sent. */
  const advance = async (ms: number) => {
    await clock.advanceAsync(ms)
    while (inFlight.size > 0) {
      await Promise.allSettled([...inFlight])
      await clock.advanceAsync(0)
    }
  }
  const open = () => {
    const client = createSessionClient({ adapter, clock, eventTarget: null, crossTab: false })
    clients.push(client)
    return client
  }
  return { network, advance, open }
}

describe('given a sign-out while the reference server cannot be reached', () => {
  it('tells the server once it is back, so the page reloaded stays signed out', async () => {
    const { network, advance, open } = await browser()
    const client = open()
    await client.load()
    await client.signIn(ADA)
    expect(client.getState().status).toBe('signed-in')
    network.down = true
    await client.signOut()
    expect(client.getState().status).toBe('signed-out')
    network.down = false
    await advance(30_000)
    expect(client.getState().connectivity).toBe('online')
    const reloaded = open()
    await reloaded.load()
    expect(reloaded.getState().status).toBe('signed-out')
  })
})
