import { createSessionClient } from '../../src/core/client'
import { decodeJwt } from '../../src/core/jwt'
import type { LifetimePolicy } from '../../src/core/lifetimes'
import type { SessionClientOptions } from '../../src/core/types'
import { createVirtualClock } from '../../src/core/virtualClock'
import { createMemoryAdapter, type MemoryAdapterOptions } from '../../src/adapters/memory'

export const SECOND = 1_000
export const MINUTE = 60 * SECOND
export const HOUR = 60 * MINUTE

/** Short lifetimes so tests read like the demo: 10 min idle, 1 h at most. */
export const SHORT_POLICY: LifetimePolicy = { inactivityTimeoutMs: 10 * MINUTE, maxLifetimeMs: HOUR }

interface Setup {
  adapter?: MemoryAdapterOptions
  client?: Partial<SessionClientOptions>
  signedIn?: boolean
}

/** A client signed in as Ada on a memory adapter, both on one virtual clock. */
export async function setup({ adapter: adapterOptions = {}, client: clientOptions = {}, signedIn = true }: Setup = {}) {
  const clock = createVirtualClock()
  const adapter = createMemoryAdapter({
    clock,
    policy: SHORT_POLICY,
    signedInAs: signedIn ? 'ada@example.com' : [],
    ...adapterOptions,
  })
  const client = createSessionClient({ adapter, clock, eventTarget: window, ...clientOptions })
  const unmount = client.mount()
  // The first load takes the adapter's latency.
  await clock.advanceAsync(adapterOptions.latencyMs ?? 0)
  return { clock, adapter, client, unmount }
}

const clients = new Set<{ destroy(): void }>()

/** `setup()`, with the client destroyed by `destroyClients` after the test. */
export async function signedIn(options: Setup = {}) {
  const env = await setup(options)
  clients.add(env.client)
  return env
}

/** Destroys every client `signedIn` made: use as `afterEach(destroyClients)`. */
export function destroyClients() {
  for (const client of clients) client.destroy()
  clients.clear()
}

/** The session id a token was minted for. */
export function sidOf(token: string | null): string | null {
  return token === null ? null : decodeJwt(token).sid
}

/** Real user input, as the browser would dispatch it. */
export function userInput(type = 'pointerdown') {
  window.dispatchEvent(new Event(type))
}
