'use client'
import { shallow } from 'zustand/shallow'
import type { SessionClient } from '../core/types'
import { selectCountdown } from './inactivityWarningContext'
import { useRemainingSeconds } from './useRemainingSeconds'
import { useClientSelector } from './useSessionSelector'

/**
 * The milliseconds left to the session's deadline (undefined without one),
 * never below 0. Re-read when `bucket` of the whole seconds left changes
 * (default: every second), while the warning phase lasts.
 */
export function useTimeLeft(client: SessionClient, bucket?: (seconds: number) => number): number | undefined {
  const { deadline, ticking } = useClientSelector(client, selectCountdown, shallow)
  const clock = client.options.clock
  // What re-renders the caller; the time is read anew at each render.
  useRemainingSeconds(clock, deadline, ticking, bucket)
  return deadline === null ? undefined : Math.max(0, deadline - clock.now())
}
