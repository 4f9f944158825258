'use client'
import { forwardRef } from 'react'
import {
  inactivityWarningParts as parts,
  InactivityWarningDescription,
  InactivityWarningKeepWorkingButton,
  InactivityWarningRenewalStatus,
  InactivityWarningSignInAgainButton,
  InactivityWarningSignOutButton,
  InactivityWarningStayButton,
  InactivityWarningTitle,
} from './InactivityWarningParts'
import { InactivityWarningRoot, type InactivityWarningRootProps } from './InactivityWarningRoot'

/** Props of the ready-made `InactivityWarning`: all optional. */
export type InactivityWarningProps = Omit<InactivityWarningRootProps, 'children'>

/**
 * The default content: title, description with countdown, what a renewal
 * that cannot get through is doing, and the actions that fit. Each part
 * renders only where it belongs (Stay in a warning that can be extended,
 * Keep working in one that cannot, Sign in again in the notice), so one
 * element serves every kind.
 */
const content = (
  <>
    <InactivityWarningTitle />
    <InactivityWarningDescription />
    <InactivityWarningRenewalStatus />
    <div className="sk-actions">
      <InactivityWarningSignOutButton />
      <InactivityWarningKeepWorkingButton />
      <InactivityWarningStayButton />
      <InactivityWarningSignInAgainButton />
    </div>
  </>
)

/**
 * The inactivity warning, ready to use with no props: opens `warnBefore`
 * ahead of the deadline with a countdown, "Stay signed in" and "Sign out"
 * (or, for a session that cannot be extended, "Keep working" and "Sign out"),
 * and turns into the signed-out notice with "Sign in again" at expiry.
 * "Stay signed in" keeps it open until the server confirms the renewal,
 * saying "Can't reach the server — retrying" while it cannot.
 * Render it once, outside `SignedIn` (it must outlive the session to show
 * the notice). Build your own from its parts: `InactivityWarning.Root`,
 * `.Title`, `.Description`, `.Countdown`, `.RenewalStatus`, `.StayButton`,
 * `.SignOutButton`, `.KeepWorkingButton`, `.SignInAgainButton`.
 */
export const InactivityWarning = Object.assign(
  forwardRef<HTMLDialogElement, InactivityWarningProps>(function InactivityWarning(props, ref) {
    return (
      <InactivityWarningRoot {...props} ref={ref}>
        {content}
      </InactivityWarningRoot>
    )
  }),
  { Root: InactivityWarningRoot, ...parts },
)
