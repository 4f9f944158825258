import { retryDelay } from './backoff'
import type { Clock, TimerHandle } from './clock'

/**
 * Operations that failed for lack of a server (offline, 5xx, 429) and wait to
 * be tried again: with exponential backoff and jitter, or at once when the
 * browser says it is back online or the tab wakes up. One timer for all of
 * them, so a flaky network never fans out into many timers.
 */
export class RetryQueue {
  #clock: Clock
  #pending = new Set<() => void>()
  #attempt = 0
  #timer: TimerHandle | undefined

  constructor(clock: Clock) {
    this.#clock = clock
  }

  /** Queues `operation` (deduplicated by identity) behind the next backoff step. */
  schedule(operation: () => void, retryAfterMs?: number): void {
    this.#pending.add(operation)
    if (this.#timer !== undefined) return
    this.#attempt++
    this.#timer = this.#clock.setTimeout(() => this.flush(), retryDelay(this.#attempt, retryAfterMs))
  }

  /** Runs every queued operation now (back online, tab visible, or the timer fired). */
  flush(): void {
    this.#cancelTimer()
    const operations = [...this.#pending]
    this.#pending.clear()
    for (const operation of operations) operation()
  }

  /** A request succeeded: the next failure starts the backoff from the beginning. */
  succeeded(): void {
    this.#attempt = 0
  }

  get size(): number {
    return this.#pending.size
  }

  /** Forgets every queued operation (signed out, destroyed). */
  clear(): void {
    this.#cancelTimer()
    this.#pending.clear()
    this.#attempt = 0
  }

  #cancelTimer() {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer)
    this.#timer = undefined
  }
}
