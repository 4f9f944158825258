import { createMemoryAdapter, type MemoryAdapter } from '../../src/adapters/memory'
import { createSessionClient } from '../../src/core/client'
import { createMemoryTabHub } from '../../src/core/tabs/memoryTransport'
import type { SessionClient, SessionClientOptions } from '../../src/core/types'
import { createVirtualClock, type VirtualClock } from '../../src/core/virtualClock'
import { SHORT_POLICY } from './helpers'

/** One tab of a simulated browser: its client, where its user input arrives, and how to close it. */
export interface InputTab {
  client: SessionClient
  input: EventTarget
  close(): void
}

const opened: InputTab[] = []

/** Several tabs of one browser (one memory backend, one hub, one clock), each with its own input; `closeInputTabs` closes them. */
export async function tabsWithInput(count: number, options: Partial<SessionClientOptions> | ((index: number) => Partial<SessionClientOptions>) = {}) {
  const clock: VirtualClock = createVirtualClock()
  const adapter: MemoryAdapter = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com' })
  const hub = createMemoryTabHub(clock)
  const tabs: InputTab[] = []
  /** Opens one more tab (the `index`th). */
  const open = (index = tabs.length): InputTab => {
    const transport = hub.tab()
    const input = new EventTarget()
    const own = typeof options === 'function' ? options(index) : options
    const client = createSessionClient({ adapter, clock, eventTarget: input, crossTab: transport, ...own })
    const unmount = client.mount()
    const tab = {
      client,
      input,
      close() {
        unmount()
        client.destroy()
        transport.close()
      },
    }
    opened.push(tab)
    return tab
  }
  for (let i = 0; i < count; i++) tabs.push(open())
  const start = clock.now()
  await clock.advanceAsync(0)
  /** Moves the clock to `at` (ms since the tabs opened). */
  const until = (at: number) => clock.advanceAsync(start + at - clock.now())
  return { clock, adapter, hub, tabs, until, open }
}

/** Closes every tab `tabsWithInput` opened (for afterEach). */
export function closeInputTabs(): void {
  for (const tab of opened.splice(0)) tab.close()
}
