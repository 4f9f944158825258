import type { SessionAdapter } from '../../src/core/adapter'
import { createSessionClient } from '../../src/core/client'
import type { createMemoryTabHub } from '../../src/core/tabs/memoryTransport'
import type { SessionClient } from '../../src/core/types'
import type { VirtualClock } from '../../src/core/virtualClock'

/** One tab of a simulated browser: its mounted client, and how to close the tab. */
export interface Tab {
  client: SessionClient
  close(): void
}

const opened: Tab[] = []

/** Opens `count` tabs of one browser (one hub) on `adapter`, each mounted; `closeOpenedTabs` closes them. */
export function openTabs(clock: VirtualClock, adapter: SessionAdapter, hub: ReturnType<typeof createMemoryTabHub>, count: number): Tab[] {
  const tabs: Tab[] = []
  for (let i = 0; i < count; i++) {
    const transport = hub.tab()
    const client = createSessionClient({ adapter, clock, eventTarget: new EventTarget(), crossTab: transport })
    const unmount = client.mount()
    const tab = {
      client,
      close() {
        unmount()
        client.destroy()
        transport.close()
      },
    }
    tabs.push(tab)
    opened.push(tab)
  }
  return tabs
}

/** Closes every tab `openTabs` opened (for afterEach). */
export function closeOpenedTabs(): void {
  for (const tab of opened.splice(0)) tab.close()
}
