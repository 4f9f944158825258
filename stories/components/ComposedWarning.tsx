// An InactivityWarning laid out by the app from its parts: its own header,
// text that depends on what the warning shows, a big countdown, and the
// app's design-system buttons through `asChild`.
import { forwardRef, type ButtonHTMLAttributes } from 'react'
import { InactivityWarning, useInactivityWarning } from '../../src/react'
import './composed.css'

/** The app's own button: `asChild` hands it the part's props, handlers and ref. */
export const DesignButton = forwardRef<HTMLButtonElement, ButtonHTMLAttributes<HTMLButtonElement> & { tone?: 'primary' | 'quiet' }>(
  function DesignButton({ tone = 'quiet', className, ...props }, ref) {
    return <button ref={ref} type="button" {...props} className={`ds-button ds-button--${tone} ${className ?? ''}`} />
  },
)

function Body() {
  const { kind, renewable } = useInactivityWarning()
  if (kind === 'expired') return <InactivityWarning.Description className="composed-text" />
  return (
    <>
      <p className="composed-countdown">
        <InactivityWarning.Countdown format={(ms) => `${Math.ceil(ms / 1000)} s`} />
      </p>
      <InactivityWarning.Description className="composed-text">
        {renewable
          ? 'Nothing is lost yet: your draft is saved on this device. Stay to keep working.'
          : 'This session has reached its limit. Save your draft, then sign in again.'}
      </InactivityWarning.Description>
    </>
  )
}

/**
 * `onStayClick` is called with no argument: handing the React click event to a Storybook `fn()` spy
 * makes the Actions panel serialize it, which walks into the story store (a deprecation warning).
 */
export function ComposedWarning({ onStayClick, onSignInAgain }: { onStayClick?: () => void; onSignInAgain?: () => void }) {
  return (
    <InactivityWarning.Root className="composed-warning" onSignInAgain={onSignInAgain}>
      <div className="composed-header">
        <span className="composed-icon" aria-hidden="true">
          ⏳
        </span>
        <InactivityWarning.Title className="composed-title" />
      </div>
      <Body />
      <div className="composed-actions">
        <InactivityWarning.SignOutButton asChild>
          <DesignButton>Sign out now</DesignButton>
        </InactivityWarning.SignOutButton>
        <InactivityWarning.KeepWorkingButton asChild>
          <DesignButton>Save my draft first</DesignButton>
        </InactivityWarning.KeepWorkingButton>
        <InactivityWarning.StayButton asChild>
          <DesignButton tone="primary" onClick={() => onStayClick?.()}>
            Keep me signed in
          </DesignButton>
        </InactivityWarning.StayButton>
        <InactivityWarning.SignInAgainButton asChild>
          <DesignButton tone="primary">Back to sign-in</DesignButton>
        </InactivityWarning.SignInAgainButton>
      </div>
    </InactivityWarning.Root>
  )
}
