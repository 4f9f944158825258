import type { SessionAdapter } from '../../src/core/adapter'
import { createSessionClient } from '../../src/core/client'
import type { createMemoryTabHub, MemoryTab } from '../../src/core/tabs/memoryTransport'
import type { TabTransport } from '../../src/core/tabs/transport'
import type { SessionClient, SessionClientOptions } from '../../src/core/types'
import type { VirtualClock } from '../../src/core/virtualClock'

/** One tab of a simulated browser: its mounted client, where its user input arrives, and how to close the tab. */
export interface Tab {
  client: SessionClient
  input: EventTarget
  close(): void
}

const opened: Tab[] = []

/**
 * Opens one tab of a browser (one `hub`) on `adapter`, mounted; `closeOpenedTabs` closes it.
 * `crossTab`: what the client gets of the hub's tab (default: the tab itself), e.g. one whose lock news is late.
 */
export function openTab(
  clock: VirtualClock,
  adapter: SessionAdapter,
  hub: ReturnType<typeof createMemoryTabHub>,
  options: Partial<SessionClientOptions> = {},
  crossTab: (tab: MemoryTab) => TabTransport = (tab) => tab,
): Tab {
  const transport = hub.tab()
  const input = new EventTarget()
  const client = createSessionClient({ adapter, clock, eventTarget: input, crossTab: crossTab(transport), ...options })
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

/** Opens `count` tabs of one browser (one hub) on `adapter`, each mounted; `closeOpenedTabs` closes them. */
export function openTabs(clock: VirtualClock, adapter: SessionAdapter, hub: ReturnType<typeof createMemoryTabHub>, count: number): Tab[] {
  return Array.from({ length: count }, () => openTab(clock, adapter, hub))
}

/** Closes every tab `openTab`/`openTabs` opened (for afterEach). */
export function closeOpenedTabs(): void {
  for (const tab of opened.splice(0)) tab.close()
}
