'use client'
import {
  forwardRef,
  useRef,
  type ButtonHTMLAttributes,
  type ForwardRefExoticComponent,
  type HTMLAttributes,
  type PropsWithoutRef,
  type ReactNode,
  type Ref,
  type RefAttributes,
} from 'react'
import { shallow } from 'zustand/shallow'
import { selectCountdown, useInactivityWarningContext, type InactivityWarningContextValue } from './inactivityWarningContext'
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

/** Props of `InactivityWarning.Countdown`. */
export interface InactivityWarningCountdownProps extends Omit<HTMLAttributes<HTMLElement>, 'children'> {
  /** Formats the time left. Default: `messages.countdown` (`m:ss`). */
  format?: (remainingMs: number) => ReactNode
}

/** Props of the button parts. */
export interface InactivityWarningButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  /** Render your own element (a link, a design-system button) with these props and handlers merged in. Default: false. */
  asChild?: boolean
}

/** Props of `InactivityWarning.RenewalStatus`: any `<p>` attribute; `children` replace `messages.retrying`. */
export type InactivityWarningRenewalStatusProps = HTMLAttributes<HTMLParagraphElement>

type Context = InactivityWarningContextValue
type Part<P, E> = ForwardRefExoticComponent<PropsWithoutRef<P> & RefAttributes<E>>

/**
 * A part: renders what `render` makes of the enclosing Root's context and
 * the part's props. Named `InactivityWarning.<key>` (in development) from
 * its key in `inactivityWarningParts`, which the error outside a Root says.
 */
function part<P, E>(render: (context: Context, props: PropsWithoutRef<P>, ref: Ref<E>) => ReactNode): Part<P, E> {
  const Part: Part<P, E> = forwardRef<E, P>((props, ref) => render(useInactivityWarningContext(Part.displayName), props, ref))
  return Part
}

/**
 * Points the enclosing dialog's `aria-labelledby` / `aria-describedby` at a
 * part while it is rendered, so they never name a missing element. The
 * part's own element is found through its ref (attached before this effect
 * runs, unlike the dialog's); an attribute the app set itself is kept.
 */
function useDialogAttribute(attribute: string, id: string) {
  const own = useRef<HTMLElement | null>(null)
  useIsomorphicLayoutEffect(() => {
    const dialog = own.current?.closest('dialog')
    if (!dialog || dialog.hasAttribute(attribute)) return
    dialog.setAttribute(attribute, id)
    return () => {
      if (dialog.getAttribute(attribute) === id) dialog.removeAttribute(attribute)
    }
  }, [attribute, id])
  return own
}

/** What every part takes: `asChild` (where its props allow it), a class to add, and children to replace its default content. */
interface PartProps {
  asChild?: boolean
  children?: ReactNode
  className?: string
}

/**
 * A part's element: `tag` (or with `asChild` the app's own element, merged
 * in) with the part's `attributes`, its class and the app's joined, the
 * app's props over the attributes, and the app's children or else `content`.
 */
function renderPart<E extends HTMLElement>(
  tag: string,
  className: string,
  { asChild, children, className: extra, ...props }: PartProps,
  ref: Ref<E> | undefined,
  content: ReactNode,
  attributes?: object,
) {
  const Component = asChild ? Slot : tag
  return (
    <Component {...attributes} className={cx(className, extra)} {...props} ref={ref}>
      {children ?? content}
    </Component>
  )
}

/** A polite live region, read out whole. */
const liveRegion = { role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' }

/** The title or the description: its element, the dialog attribute it fills, its class, and its id and default text. */
const textPart = (
  tag: 'h2' | 'p',
  attribute: string,
  className: string,
  content: (context: Context) => [id: string, text: ReactNode],
) =>
  part<InactivityWarningTextProps, HTMLElement>((context, props, ref) => {
    const [id, text] = content(context)
    return renderPart(tag, className, props, useComposedRefs(ref, useDialogAttribute(attribute, id)), text, { id })
  })

/** The time left to the deadline, re-read when `bucket` of the whole seconds left changes (default: every second). */
function useTimeLeft(client: Context['client'], bucket?: (seconds: number) => number) {
  const { deadline, ticking } = useClientSelector(client, selectCountdown, shallow)
  const clock = client.options.clock
  const seconds = useRemainingSeconds(clock, deadline, ticking, bucket) ?? 0
  // No deadline: no time left to tell (undefined).
  return { seconds, remainingMs: deadline === null ? undefined : Math.max(0, deadline - clock.now()) }
}

/**
 * A button part: rendered while `use` gives its label and action (and
 * whether that action is on its way); the app's props and handler first,
 * then the action unless `preventDefault()` was called.
 */
const buttonPart = (
  action: string,
  variant: 'primary' | 'secondary',
  use: (context: Context) => false | [label: ReactNode, run: () => void, busy?: boolean],
) =>
  part<InactivityWarningButtonProps, HTMLButtonElement>((context, props, ref) => {
    const shown = use(context)
    if (!shown) return null
    const [label, run, busy] = shown
    return renderPart(
      'button',
      'sk-button',
      // aria-disabled, not disabled: a disabled button loses focus to <body>, outside the dialog and its Tab handling.
      { ...props, 'aria-disabled': busy || props['aria-disabled'], onClick: composeEventHandlers(props.onClick, run) } as PartProps,
      ref,
      label,
      { type: props.asChild ? undefined : 'button', 'data-sk-action': action, 'data-variant': variant },
    )
  })

/** The parts of `InactivityWarning`, by the name it gives them (`InactivityWarning.Title`, …). */
export const inactivityWarningParts = {
  /** The title (`<h2>`), labelling the dialog. Default text depends on the kind: warning, warning that cannot be extended, or signed out. */
  Title: textPart('h2', 'aria-labelledby', 'sk-title', ({ kind, renewable, messages, titleId }) => [
    titleId,
    kind === 'expired' ? messages.expiredTitle : renewable ? messages.title : messages.endingTitle,
  ]) as Part<InactivityWarningTextProps, HTMLHeadingElement>,

  /** The description (`<p>`), describing the dialog. Default text tells the time left, or why the user was signed out. */
  Description: textPart('p', 'aria-describedby', 'sk-description', ({ kind, reason, renewable, signOutReason, messages, format, descriptionId }) => {
    const countdown = <InactivityWarningCountdown />
    return [
      descriptionId,
      kind === 'expired'
        ? messages.expiredDescription(signOutReason, format)
        : renewable
          ? messages.description({ countdown, reason }, format)
          : messages.endingDescription({ countdown }, format),
    ]
  }) as Part<InactivityWarningTextProps, HTMLParagraphElement>,

  /**
   * The time left (`<time>`), recomputed from the deadline once per second
   * while the warning lasts. Not a live region: screen readers hear the time
   * only at thresholds. The only part that re-renders while the warning is open.
   */
  Countdown: part<InactivityWarningCountdownProps, HTMLTimeElement>(({ client, messages, format }, { format: formatProp, ...props }, ref) => {
    const { seconds, remainingMs = 0 } = useTimeLeft(client)
    const text = formatProp ? formatProp(remainingMs) : messages.countdown(remainingMs, format)
    return renderPart('time', 'sk-countdown', props, ref, text, { dateTime: `PT${seconds}S` })
  }),

  /**
   * Says that "Stay signed in" cannot reach the server and is being retried
   * (`messages.retrying`), in a polite live region (`<p role="status">`).
   * The region is there, empty, for as long as the warning can be extended,
   * so screen readers hear the text once when it appears; it does not change
   * from one retry to the next and holds no countdown. Rendered only in a
   * warning that can be extended.
   */
  RenewalStatus: part<InactivityWarningRenewalStatusProps, HTMLParagraphElement>(
    ({ kind, renewable, renewal, messages }, { children, ...props }, ref) =>
      kind === 'warning' &&
      renewable &&
      renderPart('p', 'sk-status', props, ref, renewal === 'retrying' ? (children ?? messages.retrying) : null, liveRegion),
  ),

  /**
   * "Stay signed in": renews the session; the warning closes once the server
   * confirms. Until then it reads "Renewing…" (`messages.renewing`) and is
   * `aria-disabled`, and another click does nothing. Rendered only in a
   * warning that can be extended.
   */
  StayButton: buttonPart(
    'stay',
    'primary',
    ({ kind, renewable, renewal, messages, stay }) =>
      kind === 'warning' && renewable && [renewal === 'idle' ? messages.stay : messages.renewing, stay, renewal !== 'idle'],
  ),

  /** "Sign out": signs out of every session now. Rendered only in the warning. */
  SignOutButton: buttonPart('sign-out', 'secondary', ({ kind, messages, signOut }) => kind === 'warning' && [messages.signOut, signOut]),

  /** "Keep working": closes a warning that cannot be extended, so the user can save their work. */
  KeepWorkingButton: buttonPart(
    'keep-working',
    'secondary',
    ({ kind, renewable, messages, dismiss }) => kind === 'warning' && !renewable && [messages.keepWorking, dismiss],
  ),

  /** "Sign in again": calls `onSignInAgain` and closes the notice. Rendered only in the signed-out notice. */
  SignInAgainButton: buttonPart('sign-in-again', 'primary', ({ kind, messages, signInAgain }) => kind === 'expired' && [messages.signInAgain, signInAgain]),
}

// An expression, not a loop: a production bundle drops it whole.
if (process.env.NODE_ENV !== 'production') Object.entries(inactivityWarningParts).forEach(([name, component]) => (component.displayName = `InactivityWarning.${name}`))

export const {
  Title: InactivityWarningTitle,
  Description: InactivityWarningDescription,
  Countdown: InactivityWarningCountdown,
  RenewalStatus: InactivityWarningRenewalStatus,
  StayButton: InactivityWarningStayButton,
  SignOutButton: InactivityWarningSignOutButton,
  KeepWorkingButton: InactivityWarningKeepWorkingButton,
  SignInAgainButton: InactivityWarningSignInAgainButton,
} = inactivityWarningParts

/** Re-renders only at the thresholds screen readers hear: every 15 s, then at 10 s. */
const announcementThreshold = (seconds: number) => (seconds <= 10 ? 10 : Math.ceil(seconds / 15) * 15)

const visuallyHidden = {
  position: 'absolute',
  width: 1,
  height: 1,
  margin: -1,
  padding: 0,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
  border: 0,
} as const

/** A polite live region announcing the time left on open and at thresholds, never every second. Rendered by the Root in the warning. */
export function InactivityWarningAnnouncer({ client, messages, format, renewable }: Context) {
  const { remainingMs } = useTimeLeft(client, announcementThreshold)
  const text = remainingMs === undefined ? '' : messages.announcement(remainingMs, { ...format, renewable })
  return renderPart('div', 'sk-visually-hidden', { style: visuallyHidden } as PartProps, undefined, text, liveRegion)
}
