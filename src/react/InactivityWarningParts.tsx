'use client'
import {
  forwardRef,
  useMemo,
  useState,
  type AllHTMLAttributes,
  type ButtonHTMLAttributes,
  type ForwardRefExoticComponent,
  type HTMLAttributes,
  type PropsWithoutRef,
  type ReactNode,
  type Ref,
  type RefAttributes,
} from 'react'
import type { Renewal } from '../core/types'
import { useInactivityWarningContext, type InactivityWarningContextValue } from './inactivityWarningContext'
import { cx } from './cx'
import { composeEventHandlers, Slot, useComposedRefs } from './Slot'
import { useDialogAttribute } from './useDialogAttribute'
import { wholeSeconds } from './useRemainingSeconds'
import { useTimeLeft } from './useTimeLeft'

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

/** Props of `InactivityWarning.RenewalStatus`: any `<p>` attribute; `children` replace `messages.retrying` (not `messages.renewalFailed`). */
export type InactivityWarningRenewalStatusProps = HTMLAttributes<HTMLParagraphElement>

type Context = InactivityWarningContextValue
type Part<P, E> = ForwardRefExoticComponent<PropsWithoutRef<P> & RefAttributes<E>>

/**
 * A part: what the hook `usePart` makes of the enclosing Root's context and
 * the part's props (called once per render, so it may call hooks). Named
 * `InactivityWarning.<key>` (in development) from its key in
 * `inactivityWarningParts`, which the error outside a Root says.
 */
function part<P, E>(usePart: (context: Context, props: PropsWithoutRef<P>, ref: Ref<E>) => ReactNode): Part<P, E> {
  const Part: Part<P, E> = forwardRef<E, P>((props, ref) => {
    // The name is for the development error only.
    const context = useInactivityWarningContext(process.env.NODE_ENV !== 'production' ? Part.displayName : undefined)
    return usePart(context, props, ref)
  })
  return Part
}

/** What every part takes: `asChild` (where its props allow it), a class to add, and children to replace its default content. */
interface PartProps {
  asChild?: boolean
  children?: ReactNode
  className?: string
}

/** What a part sets on its element, under the app's props: any HTML attribute, and `data-*`. */
type PartAttributes = AllHTMLAttributes<HTMLElement> & { [data: `data-${string}`]: string | undefined }

/**
 * A part's element: `tag` (or with `asChild` the app's own element, merged
 * in) with the part's `attributes`, its class and the app's joined, the
 * app's props over the attributes, and the app's children or else `content`.
 */
function renderPart<E extends HTMLElement>(
  tag: string,
  className: string,
  { asChild, children, className: extra, ...props }: PartProps & AllHTMLAttributes<E>,
  ref: Ref<E> | undefined,
  content: ReactNode,
  attributes?: PartAttributes,
) {
  const Component = asChild ? Slot : tag
  return (
    <Component {...attributes} className={cx(className, extra)} {...props} ref={ref}>
      {children ?? content}
    </Component>
  )
}

/** A polite live region, read out whole. */
const liveRegion: PartAttributes = { role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' }

/**
 * The title or the description: its element, the dialog attribute it fills,
 * its class (`sk-<name>`, also its id after the Root's), and its default text.
 */
const textPart = <E extends HTMLElement>(
  tag: 'h2' | 'p',
  attribute: 'aria-labelledby' | 'aria-describedby',
  name: 'title' | 'description',
  text: (context: Context) => ReactNode,
) =>
  part<InactivityWarningTextProps, E>(function useTextPart(context, props, ref) {
    const id = context.id + name
    const composedRef = useComposedRefs(ref, useDialogAttribute<E>(attribute, id))
    return renderPart(tag, `sk-${name}`, props, composedRef, text(context), { id })
  })

/** What a button part shows: its label, its action, and whether that action is on its way. */
interface ButtonShown {
  label: ReactNode
  run: () => void
  busy?: boolean
}

/**
 * A button part, rendered while `shownIn` gives what it shows (null: not
 * rendered); the app's props and handler first, then the action unless
 * `preventDefault()` was called.
 */
const buttonPart = (action: string, variant: 'primary' | 'secondary', shownIn: (context: Context) => ButtonShown | null) =>
  part<InactivityWarningButtonProps, HTMLButtonElement>((context, props, ref) => {
    const shown = shownIn(context)
    if (!shown) return null
    return renderPart(
      'button',
      'sk-button',
      // aria-disabled, not disabled: a disabled button loses focus to <body>, outside the dialog and its Tab handling.
      { ...props, 'aria-disabled': shown.busy || props['aria-disabled'], onClick: composeEventHandlers(props.onClick, shown.run) },
      ref,
      shown.label,
      { type: props.asChild ? undefined : 'button', 'data-sk-action': action, 'data-variant': variant },
    )
  })

/** The title (`<h2>`), labelling the dialog. Default text depends on the kind: warning, warning that cannot be extended, or signed out. */
export const InactivityWarningTitle = textPart<HTMLHeadingElement>('h2', 'aria-labelledby', 'title', ({ kind, renewable, messages }) =>
  kind === 'expired' ? messages.expiredTitle : renewable ? messages.title : messages.endingTitle,
)

/** The description (`<p>`), describing the dialog. Default text tells the time left, or why the user was signed out. */
export const InactivityWarningDescription = textPart<HTMLParagraphElement>(
  'p',
  'aria-describedby',
  'description',
  ({ kind, reason, renewable, signOutReason, messages, format }) => {
    if (kind === 'expired') return messages.expiredDescription(signOutReason, format)
    const parts = { countdown: <InactivityWarningCountdown />, reason }
    return (renewable ? messages.description : messages.endingDescription)(parts, format)
  },
)

/**
 * The time left (`<time>`), recomputed from the deadline once per second
 * while the warning lasts. Not a live region: screen readers hear the time
 * only at thresholds. The only part that re-renders while the warning is open.
 */
export const InactivityWarningCountdown = part<InactivityWarningCountdownProps, HTMLTimeElement>(function useCountdown(
  { client, messages, format },
  { format: formatProp, ...props },
  ref,
) {
  const remainingMs = useTimeLeft(client) ?? 0
  const text = formatProp ? formatProp(remainingMs) : messages.countdown(remainingMs, format)
  return renderPart('time', 'sk-countdown', props, ref, text, { dateTime: `PT${wholeSeconds(remainingMs)}S` })
})

/** "Stay signed in" on its way (pending, retrying): pressing it again does nothing. After a refusal (`failed`) it may be pressed again. */
export const renewalOnItsWay = (renewal: Renewal) => renewal === 'pending' || renewal === 'retrying'

/**
 * Says that "Stay signed in" cannot reach the server and is being retried
 * (`messages.retrying`), or that it was refused (`messages.renewalFailed`),
 * in a polite live region (`<p role="status">`). The region is there, empty,
 * for as long as the warning can be extended, so screen readers hear the
 * text once when it appears; it does not change from one retry to the next
 * and holds no countdown. Rendered only in a warning that can be extended.
 */
export const InactivityWarningRenewalStatus = part<InactivityWarningRenewalStatusProps, HTMLParagraphElement>(
  ({ kind, renewable, renewal, messages }, { children, ...props }, ref) => {
    if (kind !== 'warning' || !renewable) return null
    const said: Partial<Record<Renewal, ReactNode>> = { retrying: children ?? messages.retrying, failed: messages.renewalFailed }
    return renderPart('p', 'sk-status', props, ref, said[renewal], liveRegion)
  },
)

/**
 * "Stay signed in": renews the session; the warning closes once the server
 * confirms. Until then it reads "Renewing…" (`messages.renewing`) and is
 * `aria-disabled`, and another click does nothing; refused, it reads "Stay
 * signed in" again, to be pressed again. Rendered only in a warning that can
 * be extended.
 */
export const InactivityWarningStayButton = buttonPart('stay', 'primary', ({ kind, renewable, renewal, messages, stay }) => {
  const busy = renewalOnItsWay(renewal)
  return kind === 'warning' && renewable ? { label: busy ? messages.renewing : messages.stay, run: stay, busy } : null
})

/** "Sign out": signs out of every session now. Rendered only in the warning. */
export const InactivityWarningSignOutButton = buttonPart('sign-out', 'secondary', ({ kind, messages, signOut }) =>
  kind === 'warning' ? { label: messages.signOut, run: signOut } : null,
)

/** "Keep working": closes a warning that cannot be extended, so the user can save their work. */
export const InactivityWarningKeepWorkingButton = buttonPart('keep-working', 'secondary', ({ kind, renewable, messages, dismiss }) =>
  kind === 'warning' && !renewable ? { label: messages.keepWorking, run: dismiss } : null,
)

/** "Sign in again": calls `onSignInAgain` and closes the notice. Rendered only in the signed-out notice. */
export const InactivityWarningSignInAgainButton = buttonPart('sign-in-again', 'primary', ({ kind, messages, signInAgain }) =>
  kind === 'expired' ? { label: messages.signInAgain, run: signInAgain } : null,
)

/**
 * The parts of `InactivityWarning`, by the name it gives them (`InactivityWarning.Title`, …).
 * The exports above are what a tree-shaking bundler keeps one by one.
 */
export const inactivityWarningParts = {
  Title: InactivityWarningTitle,
  Description: InactivityWarningDescription,
  Countdown: InactivityWarningCountdown,
  RenewalStatus: InactivityWarningRenewalStatus,
  StayButton: InactivityWarningStayButton,
  SignOutButton: InactivityWarningSignOutButton,
  KeepWorkingButton: InactivityWarningKeepWorkingButton,
  SignInAgainButton: InactivityWarningSignInAgainButton,
}

// Names for React DevTools and for the error outside a Root: development only.
if (process.env.NODE_ENV !== 'production') {
  for (const [name, component] of Object.entries(inactivityWarningParts)) component.displayName = `InactivityWarning.${name}`
}

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

/**
 * A polite live region announcing the time left on open and at thresholds,
 * never every second; silent while "Stay signed in" is on its way or was
 * refused (the renewal's region speaks) and once the warning phase is over. Rendered by
 * the Root in the warning and in the signed-out notice.
 */
export const InactivityWarningAnnouncer = part<{ /** Whether the time may be said: the warning phase, no renewal on its way. */ speaking: boolean }, never>(function useAnnouncer(context, { speaking }) {
  const { client, kind, messages, format, renewable } = context
  const remainingMs = useTimeLeft(client, announcementThreshold)
  // Built as a threshold is crossed (or speaking resumes), from the time left
  // then: re-renders for anything else (the renewal, the new deadline, an app
  // passing `messages` inline, hence newly resolved) say nothing new. New
  // texts are said from the next threshold on.
  const timeLeft = useMemo(
    () => (speaking && remainingMs !== undefined ? messages.announcement(remainingMs, { ...format, renewable }) : ''),
    [announcementThreshold(wholeSeconds(remainingMs ?? 0)), speaking, renewable],
  )
  // The warning turning into the notice in place is said here, once. Not by
  // showing the dialog again: close() and showModal() would send focus out
  // to the page and back (screen readers would read the page's control
  // first), while a focus move inside the same dialog makes them read only
  // the button. A text change in a live region already there is what every
  // screen reader speaks, and polite waits for "Sign in again" to be read.
  // A notice shown anew is announced as the alertdialog opens: nothing here.
  const [openedAs] = useState(kind)
  const notice = kind === 'expired' && openedAs === 'warning'
  return renderPart(
    'div',
    'sk-visually-hidden',
    { style: visuallyHidden },
    undefined,
    notice ? (
      <>
        {messages.expiredTitle} {messages.expiredDescription(context.signOutReason, format)}
      </>
    ) : (
      timeLeft
    ),
    liveRegion,
  )
})
