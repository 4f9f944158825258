import { afterEach, describe, expect, it } from 'vitest'
import { createHttpAdapter } from '../../src/adapters/http'
import { createSessionClient } from '../../src/core/client'
import type { SessionClient } from '../../src/core/types'
import { loadConfig } from '../../server/config'
import { startServer, type RunningServer } from '../../server/main'
import { ADA, ALAN, removeDir, seededDataDir, cookieJarFetch } from './helpers'

// How a tab learns why its session ended when it reads the client again (a tab
// frozen in the background hears no cross-tab message), against the reference
// server over Node's http on 127.0.0.1, now that a client lists ended sessions
// only while they are recent.

let running: { server: RunningServer; dir: string } | null = null
const clients: SessionClient[] = []
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy()
  if (!running) return
  await running.server.close()
  removeDir(running.dir)
  running = null
})

async function start(env: Record<string, string>) {
  const dir = seededDataDir()
  const server = await startServer(loadConfig({ SESSIONKIT_DATA: dir, SESSIONKIT_PORT: '0', ...env }), { log: () => {} })
  running = { server, dir }
  return server
}

/** A browser: one cookie jar; each tab() is a session client on it with no cross-tab channel. */
function browser(server: RunningServer) {
  const adapter = createHttpAdapter({ baseUrl: server.url, fetch: cookieJarFetch() })
  return {
    tab() {
      const client = createSessionClient({ adapter, eventTarget: null, crossTab: false })
      clients.push(client)
      return client
    },
  }
}

// Several scrypt sign-ins: on a busy 2-core machine they take longer than the default 5 s.
const SIGN_IN_HEAVY_MS = 30_000

describe('a tab reading the client after its session ended', () => {
  it('learns it was replaced by a sign-in on another device, even after another sign-in and out here', async () => {
    const server = await start({ SESSIONKIT_SINGLE_DEVICE: '1', SESSIONKIT_RATE_LIMIT_SIGN_IN: 'off' })
    const laptop = browser(server)
    const background = laptop.tab()
    const front = laptop.tab()
    await front.signIn(ADA)
    await background.load()
    expect(background.getState().status).toBe('signed-in')

    await browser(server).tab().signIn(ADA)
    // Meanwhile the front tab signs Alan in and out on this browser.
    for (let cycle = 0; cycle < 1; cycle++) {
      await front.signIn(ALAN)
      await front.signOut()
    }
    await background.load()
    expect(background.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'replaced' })
  }, SIGN_IN_HEAVY_MS)
})
