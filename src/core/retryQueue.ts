import { retryDelay } from './backoff'
import type { Clock, TimerHandle } from './clock'

export interface RetryQueue {
  /** Queues `operation` (deduplicated by identity) behind the next backoff step. */
  schedule(operation: () => void, retryAfterMs?: number): void
  /** Runs every queued operation now (back online, tab visible, or the timer fired); returns how many there were. */
  flush(): number
  /** A request succeeded: the next failure starts the backoff from the beginning. */
  succeeded(): void
  /** Forgets every queued operation (signed out, destroyed). */
  clear(): void
}

/**
 * Operations that failed for lack of a server (offline, 5xx, 429) and wait to
 * be tried again: with exponential backoff and jitter, or at once when the
 * browser says it is back online or the tab wakes up. One timer for all of
 * them, so a flaky network never fans out into many timers.
 */
export function createRetryQueue(clock: Clock): RetryQueue {
  const pending = new Set<() => void>()
  let attempt = 0
  let timer: TimerHandle | undefined
  /** Cancels the timer and empties the queue; returns what was queued. */
  const take = () => {
    clock.clearTimeout(timer)
    timer = undefined
    const operations = [...pending]
    pending.clear()
    return operations
  }
  const queue: RetryQueue = {
    schedule(operation, retryAfterMs) {
      pending.add(operation)
      if (timer === undefined) timer = clock.setTimeout(queue.flush, retryDelay(++attempt, retryAfterMs))
    },
    flush() {
      const operations = take()
      for (const operation of operations) operation()
      return operations.length
    },
    succeeded() {
      attempt = 0
    },
    clear() {
      take()
      attempt = 0
    },
  }
  return queue
}
