'use client'
import { createContext, useContext } from 'react'
import { SessionKitError } from '../core/errors'
import type { DeadlineReason } from '../core/deadline'
import type { Renewal, SessionClient, SessionClientState, SignOutReason } from '../core/types'
import type { InactivityWarningMessages, MessageFormat } from './messages'

/** What an open `InactivityWarning` shows: the countdown, or the signed-out notice. */
export type InactivityWarningKind = 'warning' | 'expired'

/** The slice of state that decides whether the warning is open, and what it says. */
export interface WarningView {
  view: 'none' | InactivityWarningKind
  reason: DeadlineReason | null
  renewable: boolean
  signOutReason: SignOutReason | null
}

const NONE: WarningView = { view: 'none', reason: null, renewable: false, signOutReason: null }

/**
 * What the warning should show for `state`. A closed warning re-renders only
 * when this changes: never for a moved deadline or new activity.
 */
export function selectWarningView(state: SessionClientState): WarningView {
  if (state.status === 'signed-in' && state.phase === 'warning') {
    return { view: 'warning', reason: state.deadlineReason, renewable: state.renewable, signOutReason: null }
  }
  const endedByDeadline = state.status === 'signed-out' && state.signOutReason !== null && state.signOutReason !== 'signed-out'
  if (endedByDeadline || (state.phase === 'expired' && state.signOutReason !== 'signed-out')) {
    return { view: 'expired', reason: null, renewable: false, signOutReason: state.signOutReason ?? state.deadlineReason }
  }
  return NONE
}

/** Like `selectWarningView`, but outside the warning phase still says why the session would end (for a warning opened as a preview). */
export function selectOpenWarningView(state: SessionClientState): WarningView {
  const view = selectWarningView(state)
  if (view.view !== 'none') return view
  return { view: 'none', reason: state.deadlineReason, renewable: state.renewable || state.deadlineReason === null, signOutReason: null }
}

/** Where "Stay signed in" stands: read only while the warning is open, so a closed one never re-renders for a touch. */
export const selectRenewal = (state: SessionClientState): Renewal => state.renewal

/** What a closed warning reads instead of `selectRenewal`: nothing that changes. */
export const selectNoRenewal = (): Renewal => 'idle'

/** What the parts of an `InactivityWarning` share. */
export interface InactivityWarningContextValue {
  client: SessionClient
  kind: InactivityWarningKind
  reason: DeadlineReason | null
  renewable: boolean
  signOutReason: SignOutReason | null
  /** Where "Stay signed in" stands: `pending` until the server confirms, `retrying` while it cannot be reached. */
  renewal: Renewal
  messages: InactivityWarningMessages
  format: MessageFormat
  titleId: string
  descriptionId: string
  /** "Stay signed in": renew the session; the warning closes once the server confirms. Does nothing while a renewal is on its way. */
  stay: () => void
  /** Sign out of every session and close. */
  signOut: () => void
  /** Close without renewing (a warning that cannot be extended, or the signed-out notice). */
  dismiss: () => void
  /** Call `onSignInAgain` and close the notice. */
  signInAgain: () => void
}

export const InactivityWarningContext = createContext<InactivityWarningContextValue | null>(null)
InactivityWarningContext.displayName = 'InactivityWarningContext'

/** The context of the enclosing `InactivityWarning.Root`; throws naming both sides outside one. */
export function useInactivityWarningContext(caller: string): InactivityWarningContextValue {
  const value = useContext(InactivityWarningContext)
  if (!value) {
    throw new SessionKitError('missing_provider', `\`${caller}\` must be used within \`InactivityWarning.Root\``)
  }
  return value
}

/** What an open warning shows and its actions, for custom content inside `InactivityWarning.Root`. */
export interface UseInactivityWarningReturn {
  /** `warning` (counting down) or `expired` (the signed-out notice). */
  kind: InactivityWarningKind
  /** Why the session will end (while `warning`). */
  reason: DeadlineReason | null
  /** Whether "Stay signed in" can help (false for `max-lifetime`). */
  renewable: boolean
  /** Why the user was signed out (while `expired`). */
  signOutReason: SignOutReason | null
  /** "Stay signed in" on its way: `pending` until the server confirms the new deadline, `retrying` while it cannot be reached, else `idle`. */
  renewal: Renewal
  /** Renews the session; the warning stays open until the server confirms (then closes). Does nothing while `renewal` is not `idle`. */
  stay: () => void
  signOut: () => void
  dismiss: () => void
  signInAgain: () => void
}

/** The open warning's kind, reason and actions; only inside `InactivityWarning.Root`. */
export function useInactivityWarning(): UseInactivityWarningReturn {
  const { kind, reason, renewable, signOutReason, renewal, stay, signOut, dismiss, signInAgain } =
    useInactivityWarningContext('useInactivityWarning')
  return { kind, reason, renewable, signOutReason, renewal, stay, signOut, dismiss, signInAgain }
}

/** What a countdown reads: the deadline, and whether it ticks (only while the warning shows). */
export const selectCountdown = (state: SessionClientState) => ({
  deadline: state.deadline,
  ticking: state.phase === 'warning',
})
