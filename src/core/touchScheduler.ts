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

export interface TouchScheduler {
  /** The user gave input. */
  onActivity(): void
  /** Touches now ("Stay signed in", a retry); shares a touch already on its way. */
  now(): Promise<void>
  /**
   * A new session, last renewed on the server at `lastTouchedAt` (client
   * time): the interval counts from there, so input right after a sign-in
   * does not touch again, while input on a page reopened later does.
   */
  reset(lastTouchedAt: number): void
  /** Drops a pending trailing touch. */
  cancel(): void
}

/**
 * Touches the server at most once per interval while the user is active —
 * leading (the first input after a quiet interval touches at once) and
 * trailing (input inside an interval is reported when it ends) — so the
 * server's inactivity deadline follows real input without a request per event.
 * Its state lives in the constructor's closure; the constructor returns the scheduler.
 */
export class TouchScheduler {
  constructor({ clock, interval, lastActivityAt, mayRenew, send }: TouchSchedulerOptions) {
    let lastSentAt = -Infinity
    let trailing: TimerHandle | undefined
    let inFlight: Promise<void> | null = null
    const cancel = () => {
      clock.clearTimeout(trailing)
      trailing = undefined
    }
    const reset = (lastTouchedAt: number) => {
      cancel()
      lastSentAt = lastTouchedAt
    }
    const now = () => {
      if (!inFlight) {
        reset(clock.now())
        inFlight = send().finally(() => {
          inFlight = null
        })
      }
      return inFlight
    }
    // `send` acts on its own failure (the failure policy) and rethrows for whoever awaits; nobody awaits this one.
    const touchNow = () => void now().catch(() => {})
    return {
      onActivity() {
        const every = interval()
        if (every === null || trailing !== undefined) return
        const wait = lastSentAt + every - clock.now()
        if (wait <= 0) return touchNow()
        trailing = clock.setTimeout(() => {
          trailing = undefined
          if (lastActivityAt() > lastSentAt && mayRenew()) touchNow()
        }, wait)
      },
      now,
      reset,
      cancel,
    }
  }
}
