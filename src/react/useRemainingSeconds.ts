'use client'
import { useCallback, useSyncExternalStore } from 'react'
import type { Clock } from '../core/clock'

const SECOND = 1_000

/** Whole seconds left until `deadline`, rounded up: what a countdown shows. */
export function secondsLeft(clock: Clock, deadline: number): number {
  return Math.max(0, Math.ceil((deadline - clock.now()) / SECOND))
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
    (onTick: () => void) => {
      if (!ticking || deadline === null) return () => {}
      let handle: unknown
      const arm = () => {
        const remaining = deadline - clock.now()
        if (remaining <= 0) return
        handle = clock.setTimeout(() => {
          onTick()
          arm()
        }, remaining % SECOND || SECOND)
      }
      arm()
      return () => clock.clearTimeout(handle)
    },
    [clock, deadline, ticking],
  )
  const read = () => (deadline === null ? null : bucket(secondsLeft(clock, deadline)))
  return useSyncExternalStore(subscribe, read, read)
}
