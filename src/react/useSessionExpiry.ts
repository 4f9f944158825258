'use client'
import { shallow } from 'zustand/shallow'
import type { DeadlineReason, Phase } from '../core/deadline'
import type { LifetimePolicy } from '../core/lifetimes'
import type { SessionClientState } from '../core/types'
import { boundActions } from './boundActions'
import { useClientFor, type SessionHookOptions } from './context'
import { useRemainingSeconds } from './useRemainingSeconds'
import { useClientSelector } from './useSessionSelector'

/** What `useSessionExpiry()` returns: everything a custom countdown needs. */
export interface UseSessionExpiryReturn {
  /** `active`, `warning` (from `warnBefore` ahead of the deadline) or `expired`. */
  phase: Phase
  /** When the session ends (client time, ms), or null. */
  deadline: number | null
  /** Which limit sets the deadline, or null. */
  reason: DeadlineReason | null
  /** Whether `stayActive` can move the deadline (false for `max-lifetime`). */
  renewable: boolean
  /** `deadline − now` in ms (never below 0), or null without a deadline. Updated every second while `phase` is `warning`; not otherwise. */
  remainingMs: number | null
  /** "Stay signed in": records activity and renews the session on the server now. Stable. */
  stayActive: () => Promise<void>
  /** Signs out of every session. Stable. */
  signOut: () => Promise<void>
  /** The server's policy in force (inactivity timeout, maximum lifetime, multi-session, one device), once loaded; null before. */
  policy: LifetimePolicy | null
}

const selectExpiry = (state: SessionClientState) => ({
  phase: state.phase,
  deadline: state.deadline,
  reason: state.deadlineReason,
  renewable: state.renewable,
  policy: state.policy,
})

/**
 * A headless countdown to the end of the session. Re-renders when the
 * deadline moves and, in the warning phase only, once per second; in the
 * active phase it sets no timer at all.
 */
export function useSessionExpiry(options?: SessionHookOptions): UseSessionExpiryReturn {
  const client = useClientFor('useSessionExpiry', options)
  const { phase, deadline, reason, renewable, policy } = useClientSelector(client, selectExpiry, shallow)
  const clock = client.options.clock
  // Subscribing re-renders on each whole second; the value shown is then
  // recomputed from the deadline, never summed from ticks.
  useRemainingSeconds(clock, deadline, phase === 'warning')
  const remainingMs = deadline === null ? null : Math.max(0, deadline - clock.now())
  const { touch, signOutAll } = boundActions(client)
  return { phase, deadline, reason, renewable, remainingMs, stayActive: touch, signOut: signOutAll, policy }
}
