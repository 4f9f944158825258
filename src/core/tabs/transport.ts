/**
 * The two browser features tabs coordinate with, as small interfaces so tests
 * can run several clients in one process with in-memory versions.
 */

/** A message channel shared by the tabs of one origin (BroadcastChannel). */
export interface TabChannel {
  /** Sends to every other tab (never to this one). */
  postMessage(message: unknown): void
  /** Calls `listener` with each message from another tab, until the channel closes. */
  subscribe(listener: (data: unknown) => void): void
  /** Closes the channel: no more messages are sent or reach its listeners. */
  close(): void
}

/** The part of the Web Locks API (`navigator.locks`) leader election uses. */
export interface TabLockManager {
  request(
    name: string,
    options: { mode?: 'exclusive'; steal?: boolean; signal?: AbortSignal },
    callback: (lock: unknown) => Promise<void>,
  ): Promise<void>
}

/** Where tabs meet: a channel factory and a lock manager. */
export interface TabTransport {
  /** Opens the channel `name`. */
  channel(name: string): TabChannel
  locks: TabLockManager
}

/** The browser's BroadcastChannel and Web Locks, or null where either is missing (each tab then works alone). */
export function browserTabTransport(): TabTransport | null {
  const locks = (globalThis.navigator as { locks?: TabLockManager } | undefined)?.locks
  if (!globalThis.BroadcastChannel || !locks) return null
  return {
    locks,
    channel(name) {
      // A BroadcastChannel has postMessage and close already: it only needs `subscribe`.
      const channel = new BroadcastChannel(name)
      return Object.assign(channel, {
        subscribe: (listener: (data: unknown) => void) => channel.addEventListener('message', (event) => listener(event.data)),
      })
    },
  }
}
