import { createMemoryAdapter, type MemoryAdapter } from '../../src/adapters/memory'
import { createMemoryTabHub } from '../../src/core/tabs/memoryTransport'
import type { SessionClientOptions } from '../../src/core/types'
import { createVirtualClock, type VirtualClock } from '../../src/core/virtualClock'
import { SHORT_POLICY } from './helpers'
import { closeOpenedTabs, openTab, type Tab } from './tabHelpers'

/** One tab of a simulated browser: its client, where its user input arrives, and how to close it. */
export type InputTab = Tab

/** Several tabs of one browser (one memory backend, one hub, one clock), each with its own input; `closeInputTabs` closes them. */
export async function tabsWithInput(count: number, options: Partial<SessionClientOptions> | ((index: number) => Partial<SessionClientOptions>) = {}) {
  const clock: VirtualClock = createVirtualClock()
  const adapter: MemoryAdapter = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com' })
  const hub = createMemoryTabHub(clock)
  const tabs: InputTab[] = []
  /** Opens one more tab (the `index`th). */
  const open = (index = tabs.length): InputTab => openTab(clock, adapter, hub, typeof options === 'function' ? options(index) : options)
  for (let i = 0; i < count; i++) tabs.push(open())
  const start = clock.now()
  await clock.advanceAsync(0)
  /** Moves the clock to `at` (ms since the tabs opened). */
  const until = (at: number) => clock.advanceAsync(start + at - clock.now())
  return { clock, adapter, hub, tabs, until, open }
}

/** Closes every tab `tabsWithInput` opened (for afterEach). */
export const closeInputTabs = closeOpenedTabs
