'use client'
import { forwardRef, useRef, type ButtonHTMLAttributes, type HTMLAttributes, type ReactNode, type Ref } from 'react'
import { shallow } from 'zustand/shallow'
import { selectCountdown, useInactivityWarningContext } from './inactivityWarningContext'
import { cx } from './cx'
import { composeEventHandlers, Slot, useComposedRefs } from './Slot'
import { useIsomorphicLayoutEffect } from './useIsomorphicLayoutEffect'
import { useRemainingSeconds } from './useRemainingSeconds'
import { useClientSelector } from './useSessionSelector'

/** Props shared by the text parts. */
export interface InactivityWarningTextProps extends HTMLAttributes<HTMLElement> {
  /** Render your own element instead, with these props merged in. Default: false. */
  asChild?: boolean
}

/** The title (`<h2>`), labelling the dialog. Default text depends on the kind: warning, warning that cannot be extended, or signed out. */
export const InactivityWarningTitle = forwardRef<HTMLHeadingElement, InactivityWarningTextProps>(
  function InactivityWarningTitle({ asChild, children, className, ...props }, ref) {
    const { kind, renewable, messages, titleId } = useInactivityWarningContext('InactivityWarning.Title')
    const own = useRef<HTMLHeadingElement | null>(null)
    useDialogAttribute(own, 'aria-labelledby', titleId)
    const composedRef = useComposedRefs(ref, own)
    const Component = asChild ? Slot : 'h2'
    const text = kind === 'expired' ? messages.expiredTitle : renewable ? messages.title : messages.endingTitle
    return (
      <Component id={titleId} className={cx('sk-title', className)} {...props} ref={composedRef}>
        {children ?? text}
      </Component>
    )
  },
)

/** The description (`<p>`), describing the dialog. Default text tells the time left, or why the user was signed out. */
export const InactivityWarningDescription = forwardRef<HTMLParagraphElement, InactivityWarningTextProps>(
  function InactivityWarningDescription({ asChild, children, className, ...props }, ref) {
    const { kind, reason, renewable, signOutReason, messages, format, descriptionId } =
      useInactivityWarningContext('InactivityWarning.Description')
    const own = useRef<HTMLParagraphElement | null>(null)
    useDialogAttribute(own, 'aria-describedby', descriptionId)
    const composedRef = useComposedRefs(ref, own)
    const Component = asChild ? Slot : 'p'
    let text: ReactNode
    if (kind === 'expired') text = messages.expiredDescription(signOutReason, format)
    else if (renewable) text = messages.description({ countdown: <InactivityWarningCountdown />, reason }, format)
    else text = messages.endingDescription({ countdown: <InactivityWarningCountdown /> }, format)
    return (
      <Component id={descriptionId} className={cx('sk-description', className)} {...props} ref={composedRef}>
        {children ?? text}
      </Component>
    )
  },
)

/**
 * Points the enclosing dialog's `aria-labelledby` / `aria-describedby` at a
 * part while it is rendered, so they never name a missing element. The
 * part's own element is found through its ref (attached before this effect
 * runs, unlike the dialog's); an attribute the app set itself is kept.
 */
function useDialogAttribute(own: { current: HTMLElement | null }, attribute: string, id: string) {
  useIsomorphicLayoutEffect(() => {
    const dialog = own.current?.closest('dialog')
    if (!dialog || dialog.hasAttribute(attribute)) return
    dialog.setAttribute(attribute, id)
    return () => {
      if (dialog.getAttribute(attribute) === id) dialog.removeAttribute(attribute)
    }
  }, [own, attribute, id])
}

/** Props of `InactivityWarning.Countdown`. */
export interface InactivityWarningCountdownProps extends Omit<HTMLAttributes<HTMLElement>, 'children'> {
  /** Formats the time left. Default: `messages.countdown` (`m:ss`). */
  format?: (remainingMs: number) => ReactNode
}

/**
 * The time left (`<time>`), recomputed from the deadline once per second
 * while the warning lasts. Not a live region: screen readers hear the time
 * only at thresholds. The only part that re-renders while the warning is open.
 */
export const InactivityWarningCountdown = forwardRef<HTMLTimeElement, InactivityWarningCountdownProps>(
  function InactivityWarningCountdown({ format: formatProp, className, ...props }, ref) {
    const { client, messages, format } = useInactivityWarningContext('InactivityWarning.Countdown')
    const { deadline, ticking } = useClientSelector(client, selectCountdown, shallow)
    const clock = client.options.clock
    const seconds = useRemainingSeconds(clock, deadline, ticking) ?? 0
    const remainingMs = deadline === null ? 0 : Math.max(0, deadline - clock.now())
    return (
      <time ref={ref} dateTime={`PT${seconds}S`} className={cx('sk-countdown', className)} {...props}>
        {formatProp ? formatProp(remainingMs) : messages.countdown(remainingMs, format)}
      </time>
    )
  },
)

/** Props of the button parts. */
export interface InactivityWarningButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  /** Render your own element (a link, a design-system button) with these props and handlers merged in. Default: false. */
  asChild?: boolean
}

interface ActionButtonConfig {
  action: string
  variant: 'primary' | 'secondary'
  label: ReactNode
  run: () => void
}

/** A button part: the app's props and handler first, then the action unless `preventDefault()` was called. */
function renderActionButton(
  { asChild, children, className, onClick, ...rest }: InactivityWarningButtonProps,
  ref: Ref<HTMLButtonElement>,
  { action, variant, label, run }: ActionButtonConfig,
) {
  const Component = asChild ? Slot : 'button'
  return (
    <Component
      type={asChild ? undefined : 'button'}
      data-sk-action={action}
      data-variant={variant}
      className={cx('sk-button', className)}
      {...rest}
      ref={ref}
      onClick={composeEventHandlers(onClick, run)}
    >
      {children ?? label}
    </Component>
  )
}

/**
 * "Stay signed in": renews the session; the warning closes once the server
 * confirms. Until then it reads "Renewing…" (`messages.renewing`) and is
 * `aria-disabled`, and another click does nothing. Rendered only in a
 * warning that can be extended.
 */
export const InactivityWarningStayButton = forwardRef<HTMLButtonElement, InactivityWarningButtonProps>(
  function InactivityWarningStayButton(props, ref) {
    const { kind, renewable, renewal, messages, stay } = useInactivityWarningContext('InactivityWarning.StayButton')
    if (kind !== 'warning' || !renewable) return null
    const renewing = renewal !== 'idle'
    // aria-disabled, not disabled: a disabled button loses focus to <body>, outside the dialog and its Tab handling.
    const shown: InactivityWarningButtonProps = renewing ? { ...props, 'aria-disabled': true } : props
    return renderActionButton(shown, ref, {
      action: 'stay',
      variant: 'primary',
      label: renewing ? messages.renewing : messages.stay,
      run: stay,
    })
  },
)

/** Props of `InactivityWarning.RenewalStatus`: any `<p>` attribute; `children` replace `messages.retrying`. */
export type InactivityWarningRenewalStatusProps = HTMLAttributes<HTMLParagraphElement>

/**
 * Says that "Stay signed in" cannot reach the server and is being retried
 * (`messages.retrying`), in a polite live region (`<p role="status">`).
 * The region is there, empty, for as long as the warning can be extended,
 * so screen readers hear the text once when it appears; it does not change
 * from one retry to the next and holds no countdown. Rendered only in a
 * warning that can be extended.
 */
export const InactivityWarningRenewalStatus = forwardRef<HTMLParagraphElement, InactivityWarningRenewalStatusProps>(
  function InactivityWarningRenewalStatus({ children, className, ...props }, ref) {
    const { kind, renewable, renewal, messages } = useInactivityWarningContext('InactivityWarning.RenewalStatus')
    if (kind !== 'warning' || !renewable) return null
    return (
      <p role="status" aria-live="polite" aria-atomic="true" className={cx('sk-status', className)} {...props} ref={ref}>
        {renewal === 'retrying' ? (children ?? messages.retrying) : null}
      </p>
    )
  },
)

/** "Sign out": signs out of every session now. Rendered only in the warning. */
export const InactivityWarningSignOutButton = forwardRef<HTMLButtonElement, InactivityWarningButtonProps>(
  function InactivityWarningSignOutButton(props, ref) {
    const { kind, messages, signOut } = useInactivityWarningContext('InactivityWarning.SignOutButton')
    if (kind !== 'warning') return null
    return renderActionButton(props, ref, { action: 'sign-out', variant: 'secondary', label: messages.signOut, run: signOut })
  },
)

/** "Keep working": closes a warning that cannot be extended, so the user can save their work. */
export const InactivityWarningKeepWorkingButton = forwardRef<HTMLButtonElement, InactivityWarningButtonProps>(
  function InactivityWarningKeepWorkingButton(props, ref) {
    const { kind, renewable, messages, dismiss } = useInactivityWarningContext('InactivityWarning.KeepWorkingButton')
    if (kind !== 'warning' || renewable) return null
    return renderActionButton(props, ref, { action: 'keep-working', variant: 'secondary', label: messages.keepWorking, run: dismiss })
  },
)

/** "Sign in again": calls `onSignInAgain` and closes the notice. Rendered only in the signed-out notice. */
export const InactivityWarningSignInAgainButton = forwardRef<HTMLButtonElement, InactivityWarningButtonProps>(
  function InactivityWarningSignInAgainButton(props, ref) {
    const { kind, messages, signInAgain } = useInactivityWarningContext('InactivityWarning.SignInAgainButton')
    if (kind !== 'expired') return null
    return renderActionButton(props, ref, { action: 'sign-in-again', variant: 'primary', label: messages.signInAgain, run: signInAgain })
  },
)
