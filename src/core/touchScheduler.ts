import type { Clock, TimerHandle } from './clock'

/** What the scheduler needs from the client. */
export interface TouchSchedulerOptions {
  clock: Clock
  /** The touch interval in force (ms); null = activity never touches. */
  interval: () => number | null
  /** When the user last gave input (the activity tracker's timestamp). */
  lastActivityAt: () => number
  /** Whether input may renew the session right now (signed in, no warning showing). */
  mayRenew: () => boolean
  /** Sends one touch to the server. */
  send: () => Promise<void>
}

/**
 * Touches the server at most once per interval while the user is active —
 * leading (the first input after a quiet interval touches at once) and
 * trailing (input inside an interval is reported when it ends) — so the
 * server's inactivity deadline follows real input without a request per event.
 */
export class TouchScheduler {
  #options: TouchSchedulerOptions
  #lastSentAt = -Infinity
  #trailing: TimerHandle | undefined
  #inFlight: Promise<void> | null = null

  constructor(options: TouchSchedulerOptions) {
    this.#options = options
  }

  /** The user gave input. */
  onActivity(): void {
    const { clock, interval } = this.#options
    const every = interval()
    if (every === null || this.#trailing !== undefined) return
    const wait = this.#lastSentAt + every - clock.now()
    if (wait <= 0) return void this.now().catch(() => undefined)
    this.#trailing = clock.setTimeout(() => {
      this.#trailing = undefined
      if (this.#options.lastActivityAt() > this.#lastSentAt && this.#options.mayRenew()) {
        this.now().catch(() => undefined)
      }
    }, wait)
  }

  /** Touches now ("Stay signed in", a retry); shares a touch already on its way. */
  now(): Promise<void> {
    if (this.#inFlight) return this.#inFlight
    this.cancel()
    this.#lastSentAt = this.#options.clock.now()
    this.#inFlight = this.#options.send().finally(() => {
      this.#inFlight = null
    })
    return this.#inFlight
  }

  /**
   * A new session, last renewed on the server at `lastTouchedAt` (client
   * time): the interval counts from there, so input right after a sign-in
   * does not touch again, while input on a page reopened later does.
   */
  reset(lastTouchedAt: number): void {
    this.cancel()
    this.#lastSentAt = lastTouchedAt
  }

  /** Drops a pending trailing touch. */
  cancel(): void {
    if (this.#trailing !== undefined) this.#options.clock.clearTimeout(this.#trailing)
    this.#trailing = undefined
  }
}
