import './dialogPolyfill'
import { act, cleanup, render, type RenderResult } from '@testing-library/react'
import { StrictMode, type ReactNode } from 'react'
import { afterEach } from 'vitest'
import { createMemoryAdapter, type MemoryAdapterOptions } from '../../../src/adapters/memory'
import { createSessionClient } from '../../../src/core/client'
import type { LifetimePolicy } from '../../../src/core/lifetimes'
import type { SessionClient, SessionClientOptions } from '../../../src/core/types'
import { createVirtualClock, type VirtualClock } from '../../../src/core/virtualClock'
import { SessionProvider } from '../../../src/react'

export const SECOND = 1_000
export const MINUTE = 60 * SECOND
export const HOUR = 60 * MINUTE

/** 10 minutes of inactivity, 1 hour at most: the warning (60 s) opens 9 minutes after sign-in. */
export const SHORT_POLICY: LifetimePolicy = { inactivityTimeoutMs: 10 * MINUTE, maxLifetimeMs: HOUR }

/** The session can only end by its maximum lifetime, 10 minutes after sign-in. */
export const MAX_LIFETIME_POLICY: LifetimePolicy = { inactivityTimeoutMs: null, maxLifetimeMs: 10 * MINUTE }

export interface World {
  clock: VirtualClock
  adapter: ReturnType<typeof createMemoryAdapter>
  client: SessionClient
  /** Moves virtual time and lets React commit what followed. */
  advance(ms: number): Promise<void>
  /** Moves virtual time to `ms` before the deadline. */
  advanceToBeforeDeadline(ms: number): Promise<void>
  /**
   * Moves virtual time to `ms` (within the warning) before the deadline until the warning shows. In
   * Chromium an event fired as the page is laid out after the previous test (a focus; a scroll, until
   * scroll stopped counting) can count as input and move the deadline; once the warning shows, input no longer does.
   */
  advanceIntoWarning(ms: number): Promise<void>
}

const clients: SessionClient[] = []

afterEach(() => {
  cleanup()
  for (const client of clients.splice(0)) client.destroy()
})

/** A client on a memory adapter and a virtual clock, signed in as Ada unless told otherwise. */
export function createWorld({
  adapter: adapterOptions = {},
  client: clientOptions = {},
  signedIn = true,
}: { adapter?: MemoryAdapterOptions; client?: Partial<SessionClientOptions>; signedIn?: boolean } = {}): World {
  const clock = createVirtualClock()
  const adapter = createMemoryAdapter({
    clock,
    policy: SHORT_POLICY,
    signedInAs: signedIn ? 'ada@example.com' : [],
    ...adapterOptions,
  })
  const client = createSessionClient({ adapter, clock, eventTarget: window, ...clientOptions })
  clients.push(client)
  const advance = async (ms: number) => {
    await act(async () => {
      await clock.advanceAsync(ms)
    })
  }
  return {
    clock,
    adapter,
    client,
    advance,
    advanceToBeforeDeadline: async (ms) => {
      const deadline = client.getState().deadline
      if (deadline === null) throw new Error('no deadline to advance to')
      await advance(deadline - ms - clock.now())
    },
    async advanceIntoWarning(ms) {
      for (let tries = 0; tries < 4 && client.getState().phase !== 'warning'; tries++) await this.advanceToBeforeDeadline(ms)
      if (client.getState().phase !== 'warning') throw new Error('the warning did not open')
    },
  }
}

/** Renders `ui` inside a provider for `world.client` (in StrictMode unless told not to) and waits for the first load. */
export async function renderWithSession(
  world: World,
  ui: ReactNode,
  { strict = true }: { strict?: boolean } = {},
): Promise<RenderResult> {
  const wrap = (children: ReactNode) => {
    const tree = <SessionProvider client={world.client}>{children}</SessionProvider>
    return strict ? <StrictMode>{tree}</StrictMode> : tree
  }
  const result = render(wrap(ui))
  await world.advance(0)
  return { ...result, rerender: (next: ReactNode) => result.rerender(wrap(next)) }
}

/** User input as the browser dispatches it on window. */
export function userInput(type = 'pointermove') {
  window.dispatchEvent(new Event(type, { bubbles: true }))
}
