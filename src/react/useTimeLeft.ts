'use client'
import { shallow } from 'zustand/shallow'
import type { SessionClient } from '../core/types'
import { selectCountdown } from './inactivityWarningContext'
import { useRemainingSeconds } from './useRemainingSeconds'
import { useClientSelector } from './useSessionSelector'

/**
 * The time left to the session's deadline: whole `seconds` (0 without a
 * deadline) and `remainingMs` (undefined without one). Re-read when `bucket`
 * of the whole seconds left changes (default: every second), while the
 * warning phase lasts.
 */
export function useTimeLeft(client: SessionClient, bucket?: (seconds: number) => number): { seconds: number; remainingMs: number | undefined } {
  const { deadline, ticking } = useClientSelector(client, selectCountdown, shallow)
  const clock = client.options.clock
  const seconds = useRemainingSeconds(clock, deadline, ticking, bucket) ?? 0
  return { seconds, remainingMs: deadline === null ? undefined : Math.max(0, deadline - clock.now()) }
}
