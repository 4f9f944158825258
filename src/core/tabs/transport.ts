/**
 * The two browser features tabs coordinate with, as small interfaces so tests
 * can run several clients in one process with in-memory versions.
 */

/**
 * A message channel shared by the tabs of one origin (BroadcastChannel).
 *
 * What TabSync relies on, and what it copes with in a custom channel (the
 * `crossTab` option): messages are structured-cloned data, may be lost,
 * duplicated or reordered (tab news is ordered by time, not by arrival). A
 * channel may hand a tab its own messages, and may go on delivering after
 * `close()`: TabSync ignores its own messages (by `from`) and everything
 * that arrives before `start()` or after `stop()`.
 */
export interface TabChannel {
  /** Sends to the other tabs (a BroadcastChannel never hands a tab its own messages). */
  postMessage(message: unknown): void
  /**
   * Calls `listener` with each message. May return an unsubscribe function:
   * TabSync calls it on stop, before `close()`.
   */
  subscribe(listener: (data: unknown) => void): (() => void) | void
  /** Closes the channel: nothing more is sent (a BroadcastChannel also delivers nothing more). */
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

/**
 * Where tabs meet: a channel factory and a lock manager (see `TabChannel` for
 * what a custom channel must do; the locks must behave like the Web Locks API:
 * one holder per name, granted in request order, freed when the holder's
 * callback settles or its tab dies, `steal` taking it from the holder).
 */
export interface TabTransport {
  /** Opens the channel `name`. */
  channel(name: string): TabChannel
  locks: TabLockManager
}

/** The browser's BroadcastChannel and Web Locks, or null where either is missing (each tab then works alone). */
export const browserTabTransport = (): TabTransport | null => {
  const locks = (globalThis.navigator as { locks?: TabLockManager } | undefined)?.locks
  if (!globalThis.BroadcastChannel || !locks) return null
  return {
    locks,
    channel(name) {
      // A BroadcastChannel has postMessage and close already: it only needs `subscribe`
      // (closing it ends delivery, so no unsubscribe function).
      const channel = new BroadcastChannel(name)
      return Object.assign(channel, {
        subscribe: (listener: (data: unknown) => void) => channel.addEventListener('message', (event) => listener(event.data)),
      })
    },
  }
}
