import { act, render, type RenderResult } from '@testing-library/react'
import { createElement, StrictMode, type ReactNode } from 'react'
import { afterEach } from 'vitest'
import { createMemoryAdapter, type MemoryAdapter, type MemoryAdapterOptions } from '../../../src/adapters/memory'
import { createSessionClient } from '../../../src/core/client'
import type { SessionClient } from '../../../src/core/types'
import { createVirtualClock, type VirtualClock } from '../../../src/core/virtualClock'
import { SessionProvider } from '../../../src/react'
import { withStoryDevices, type StoryDevices, type StoryDevicesOptions } from '../../../stories/support/storyDevices'
import { SHORT_POLICY } from './harness'

// A client whose adapter lists the user's devices: the memory backend plus the
// story worlds' device list (stories/support/storyDevices.ts), on a virtual clock.

export const HOUR = 3_600_000

/** Ada's phone and laptop, besides this browser. */
export const TWO_OTHERS: StoryDevicesOptions = {
  thisDevice: { device: 'Chrome 156 on Linux', ip: '127.0.0.1' },
  others: [
    { id: 'sess_phone', device: 'Safari 19 on iOS', ip: '10.0.0.7', lastActiveAgo: HOUR },
    { id: 'sess_laptop', device: 'Firefox 150 on Windows', ip: '10.0.0.9', lastActiveAgo: 2 * 24 * HOUR },
  ],
}

export interface DevicesWorld {
  clock: VirtualClock
  memory: MemoryAdapter
  devices: StoryDevices
  client: SessionClient
  advance(ms: number): Promise<void>
}

const clients: SessionClient[] = []
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy()
})

/** Signed in as Ada, with `devices` (default: a phone and a laptop besides this browser). */
export function devicesWorld({
  devices: deviceOptions = TWO_OTHERS,
  adapter: adapterOptions = {},
  withDevices = true,
}: { devices?: StoryDevicesOptions; adapter?: MemoryAdapterOptions; withDevices?: boolean } = {}): DevicesWorld {
  const clock = createVirtualClock()
  const memory = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com', ...adapterOptions })
  const devices = withStoryDevices(memory, clock, deviceOptions)
  const client = createSessionClient({ adapter: withDevices ? devices.adapter : memory, clock, eventTarget: window, crossTab: false })
  clients.push(client)
  return {
    clock,
    memory,
    devices,
    client,
    advance: async (ms) => {
      await act(async () => {
        await clock.advanceAsync(ms)
      })
    },
  }
}

/** Renders `ui` in StrictMode inside a provider for the world's client, and lets the first load (and list) land. */
export async function renderWithDevices(world: DevicesWorld, ui: ReactNode): Promise<RenderResult> {
  const result = render(createElement(StrictMode, null, createElement(SessionProvider, { client: world.client }, ui)))
  await world.advance(0)
  return result
}
