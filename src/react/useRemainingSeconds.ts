'use client'
import { useCallback, useSyncExternalStore } from 'react'
import type { Clock } from '../core/clock'

const SECOND = 1_000

/** Whole seconds in `ms`, rounded up (a countdown reaches 0 at the deadline, not before), never below 0. */
export const wholeSeconds = (ms: number): number => Math.max(0, Math.ceil(ms / SECOND))

/** The components counting down to one deadline, and the one timer that tells them. */
type Ticker = Set<() => void> & { timer?: unknown }

const tickers = new WeakMap<Clock, Map<number, Ticker>>()

/**
 * One timer per clock and deadline, however many components count down to
 * it: they are told in the same task, so React commits them together.
 */
function subscribeToSeconds(clock: Clock, deadline: number, listener: () => void): () => void {
  const byDeadline = tickers.get(clock) ?? new Map<number, Ticker>()
  tickers.set(clock, byDeadline)
  const existing = byDeadline.get(deadline)
  const own: Ticker = existing ?? new Set()
  own.add(listener)
  if (!existing) {
    byDeadline.set(deadline, own)
    // Re-armed from the clock every time, while anyone listens.
    const arm = () => {
      const remaining = deadline - clock.now()
      if (remaining > 0 && own.size) {
        own.timer = clock.setTimeout(() => {
          for (const notify of [...own]) notify()
          arm()
        }, remaining % SECOND || SECOND)
      }
    }
    arm()
  }
  return () => {
    if (own.delete(listener) && !own.size) {
      clock.clearTimeout(own.timer)
      byDeadline.delete(deadline)
    }
  }
}

/**
 * Whole seconds left until `deadline`, re-read from `clock` each time a whole
 * second passes, while `ticking`. The timer is aligned to the deadline (it
 * fires when the remaining time is a whole number of seconds) and re-armed
 * from the clock every time, so a late timer never drifts and a sleeping
 * laptop shows the truth when it wakes. No timer exists while not ticking;
 * the value is null without a deadline.
 *
 * `bucket` maps the seconds to what the caller shows; the component
 * re-renders only when the bucket changes (default: every second).
 */
export function useRemainingSeconds(
  clock: Clock,
  deadline: number | null,
  ticking: boolean,
  bucket: (seconds: number) => number = (seconds) => seconds,
): number | null {
  const subscribe = useCallback(
    (onTick: () => void) => (ticking && deadline !== null ? subscribeToSeconds(clock, deadline, onTick) : () => {}),
    [clock, deadline, ticking],
  )
  const read = () => (deadline === null ? null : bucket(wholeSeconds(deadline - clock.now())))
  return useSyncExternalStore(subscribe, read, read)
}
