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
  /** What the session calls for: the warning, the signed-out notice, or nothing (closed, or a preview). */
  kind: 'none' | InactivityWarningKind
  reason: DeadlineReason | null
  renewable: boolean
  signOutReason: SignOutReason | null
  /** Where "Stay signed in" stands; read only while open (else: `idle`). */
  renewal?: Renewal
}

const view = (
  kind: WarningView['kind'],
  reason: DeadlineReason | null,
  renewable: boolean,
  signOutReason: SignOutReason | null,
): WarningView => ({ kind, reason, renewable, signOutReason })

/**
 * What the warning should show for `state`. A closed warning re-renders only
 * when this changes: never for a moved deadline or new activity.
 */
export function selectWarningView({ status, phase, deadlineReason, renewable, signOutReason }: SessionClientState): WarningView {
  if (status === 'signed-in' && phase === 'warning') return view('warning', deadlineReason, renewable, null)
  // Ended by a deadline or by the server: not by the user's own sign-out.
  if (signOutReason !== 'signed-out' && ((status === 'signed-out' && signOutReason !== null) || phase === 'expired')) {
    return view('expired', null, false, signOutReason ?? deadlineReason)
  }
  return view('none', null, false, null)
}

/**
 * What an open warning reads: `selectWarningView`, but outside the warning
 * phase still saying why the session would end (for a warning opened as a
 * preview), and where "Stay signed in" stands (a closed warning does not
 * read it, so it never re-renders for a touch).
 */
export function selectOpenWarningView(state: SessionClientState): WarningView {
  const shown = selectWarningView(state)
  const { deadlineReason, renewal } = state
  return { ...(shown.kind === 'none' ? view('none', deadlineReason, state.renewable || deadlineReason === null, null) : shown), renewal }
}

/** What the parts of an `InactivityWarning` share: the public view, spread, and what only the parts need. */
export interface InactivityWarningContextValue extends UseInactivityWarningReturn {
  /** What `useInactivityWarning` answers. */
  warning: UseInactivityWarningReturn
  client: SessionClient
  messages: InactivityWarningMessages
  format: MessageFormat
  /** The Root's `useId()`; the title and the description add their own suffix. */
  id: string
}

export const InactivityWarningContext = createContext<InactivityWarningContextValue | null>(null)
if (process.env.NODE_ENV !== 'production') InactivityWarningContext.displayName = 'InactivityWarningContext'

/** The context of the enclosing `InactivityWarning.Root`; throws naming both sides outside one. */
export function useInactivityWarningContext(caller: string | undefined): InactivityWarningContextValue {
  const value = useContext(InactivityWarningContext)
  if (value) return value
  throw new SessionKitError(
    'missing_provider',
    process.env.NODE_ENV !== 'production' ? `\`${caller}\` must be used within \`InactivityWarning.Root\`` : 'No InactivityWarning.Root.',
  )
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
  /**
   * "Stay signed in" on its way: `pending` until the server confirms the new deadline, `retrying` while it
   * cannot be reached, `failed` when the server refused it for another reason than the session's end (the
   * user may try again), else `idle`.
   */
  renewal: Renewal
  /** Renews the session; the warning stays open until the server confirms (then closes). Does nothing while `renewal` is `pending` or `retrying`. */
  stay: () => void
  /** Sign out of every session and close. */
  signOut: () => void
  /** Close without renewing (a warning that cannot be extended, or the signed-out notice). */
  dismiss: () => void
  /** Call `onSignInAgain` and close the notice. */
  signInAgain: () => void
}

/** The open warning's kind, reason and actions; only inside `InactivityWarning.Root`. */
export const useInactivityWarning = (): UseInactivityWarningReturn =>
  useInactivityWarningContext(process.env.NODE_ENV !== 'production' ? 'useInactivityWarning' : undefined).warning

/** What a countdown reads: the deadline, and whether it ticks (only while the warning shows). */
export const selectCountdown = (state: SessionClientState) => ({
  deadline: state.deadline,
  ticking: state.phase === 'warning',
})
