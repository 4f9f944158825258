'use client'
import {
  createContext,
  forwardRef,
  Fragment,
  useContext,
  useRef,
  type ButtonHTMLAttributes,
  type HTMLAttributes,
  type LiHTMLAttributes,
  type MouseEvent,
  type ReactNode,
  type Ref,
} from 'react'
import { SessionKitError } from '../core/errors'
import type { UserSession } from '../core/types'
import { useActiveDevicesContext } from './ActiveDevicesRoot'
import { cx } from './cx'
import { composeEventHandlers, Slot, useComposedRefs } from './Slot'
import { useIsomorphicLayoutEffect } from './useIsomorphicLayoutEffect'

/** Props shared by the text parts. */
export interface ActiveDevicesTextProps extends HTMLAttributes<HTMLElement> {
  /** Render your own element instead, with these props merged in. Default: false. */
  asChild?: boolean
}

/** The heading (`<h2>`, default "Active devices"), labelling the section while it is rendered. */
export const ActiveDevicesTitle = forwardRef<HTMLHeadingElement, ActiveDevicesTextProps>(function ActiveDevicesTitle(
  { asChild, children, className, ...props },
  ref,
) {
  const { messages, titleId } = useActiveDevicesContext('ActiveDevices.Title')
  const own = useRef<HTMLHeadingElement | null>(null)
  const composedRef = useComposedRefs(ref, own)
  // Only a title that exists labels the section; a label the app set itself is kept. The
  // section is found from the title: its own ref is attached only after this effect runs.
  useIsomorphicLayoutEffect(() => {
    const section = own.current?.closest('[data-sk-devices]')
    if (!section || section.hasAttribute('aria-labelledby') || section.hasAttribute('aria-label')) return
    section.setAttribute('aria-labelledby', titleId)
    return () => {
      if (section.getAttribute('aria-labelledby') === titleId) section.removeAttribute('aria-labelledby')
    }
  }, [titleId])
  const Component = asChild ? Slot : 'h2'
  return (
    <Component id={titleId} className={cx('sk-title', className)} {...props} ref={composedRef}>
      {children ?? messages.title}
    </Component>
  )
})

/** Props of `ActiveDevices.Status`: any `<p>` attribute. */
export type ActiveDevicesStatusProps = HTMLAttributes<HTMLParagraphElement>

/**
 * What is happening, in a polite live region (`<p role="status">`): loading,
 * "Signing out Safari 19 on iOS…", then "Signed out Safari 19 on iOS.", or
 * what failed, in words. Always rendered, empty when there is nothing to say,
 * so screen readers hear each change once.
 */
export const ActiveDevicesStatus = forwardRef<HTMLParagraphElement, ActiveDevicesStatusProps>(function ActiveDevicesStatus(
  { className, children, ...props },
  ref,
) {
  const { devices, messages, done, sessionOf } = useActiveDevicesContext('ActiveDevices.Status')
  const { pending, failed, error } = devices
  let text = ''
  if (pending) text = messages.pending(pending, sessionOf(pending))
  else if (failed && error) text = messages.failed({ action: failed, session: sessionOf(failed), error })
  else if (done) text = messages.done(done.action, done.session)
  return (
    <p
      role="status"
      aria-live="polite"
      aria-atomic="true"
      data-state={pending ? 'pending' : failed ? 'error' : done ? 'done' : 'idle'}
      className={cx('sk-status', 'sk-devices-status', className)}
      {...props}
      ref={ref}
    >
      {children ?? text}
    </p>
  )
})

/** Props of `ActiveDevices.List`. */
export interface ActiveDevicesListProps extends Omit<HTMLAttributes<HTMLUListElement>, 'children'> {
  /** Renders one device. Default: `<ActiveDevices.Item session={session} />`. */
  children?: (session: UserSession) => ReactNode
}

/**
 * The devices (`<ul>`), this one first. Nothing while the first list loads;
 * "Try again" when it could not load (when it leaves as the list loads, focus
 * goes to the section); after the list, a note when this is
 * the only device (`messages.noOtherDevices`).
 */
export const ActiveDevicesList = forwardRef<HTMLUListElement, ActiveDevicesListProps>(function ActiveDevicesList(
  { children: renderItem, className, ...props },
  ref,
) {
  const { devices, messages } = useActiveDevicesContext('ActiveDevices.List')
  const { sessions, failed, pending } = devices
  if (!sessions) return failed?.type !== 'load' || pending ? null : <RetryButton />
  return (
    <>
      <ul className={cx('sk-devices-list', className)} {...props} ref={ref}>
        {sessions.map((session) => (
          <Fragment key={session.id}>{renderItem ? renderItem(session) : <ActiveDevicesItem session={session} />}</Fragment>
        ))}
      </ul>
      {sessions.some((session) => !session.isCurrent) ? null : <p className="sk-devices-note">{messages.noOtherDevices}</p>}
    </>
  )
})

const ItemContext = createContext<UserSession | null>(null)

function useItemSession(caller: string): UserSession {
  const session = useContext(ItemContext)
  if (!session) throw new SessionKitError('missing_provider', process.env.NODE_ENV !== 'production' ? `\`${caller}\` must be used within \`ActiveDevices.Item\`` : 'No ActiveDevices.Item.')
  return session
}

/** Props of `ActiveDevices.Item`. */
export interface ActiveDevicesItemProps extends LiHTMLAttributes<HTMLLIElement> {
  /** The device to show. Required. */
  session: UserSession
}

/**
 * One device (`<li>`, `aria-current` on this one): its label, a "This
 * device" badge, the IP address and when it was last active (a `<time>`),
 * and its "Sign out". `children` replace that content; `ActiveDevices.SignOutButton`
 * inside still signs this device out.
 */
export const ActiveDevicesItem = forwardRef<HTMLLIElement, ActiveDevicesItemProps>(function ActiveDevicesItem(
  { session, children, className, ...props },
  ref,
) {
  const { messages, format } = useActiveDevicesContext('ActiveDevices.Item')
  return (
    <ItemContext.Provider value={session}>
      <li
        aria-current={session.isCurrent ? 'true' : undefined}
        data-current={session.isCurrent ? '' : undefined}
        className={cx('sk-device', className)}
        {...props}
        ref={ref}
      >
        {children ?? (
          <>
            <span className="sk-device-label">
              <span className="sk-device-name">{session.device}</span>
              {session.isCurrent ? <span className="sk-badge">{messages.thisDevice}</span> : null}
            </span>
            <span className="sk-device-details">
              <span>{messages.address(session.ip)}</span>
              <time dateTime={new Date(session.lastActiveAt).toISOString()} title={format.dateTime(session.lastActiveAt)}>
                {messages.lastActive(session, format)}
              </time>
            </span>
            <ActiveDevicesSignOutButton />
          </>
        )}
      </li>
    </ItemContext.Provider>
  )
})

/** Props of the button parts. */
export interface ActiveDevicesButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  /** Render your own element (a design-system button) with these props and handlers merged in. Default: false. */
  asChild?: boolean
}

/**
 * A button that may leave with what it acts on: when it unmounts while
 * focused (its device was signed out), focus goes to the section instead of
 * being lost to `<body>`. Layout cleanups run while the button is still in
 * the document, so it can still tell whether it has focus.
 */
function useFocusRootWhenGone<Own extends HTMLElement = HTMLElement>(root: { current: HTMLElement | null }) {
  const own = useRef<Own | null>(null)
  useIsomorphicLayoutEffect(
    () => () => {
      const button = own.current
      if (button && button.ownerDocument.activeElement === button) root.current?.focus()
    },
    [root],
  )
  return own
}

/** "Try again" after the list failed to load. It leaves as the load starts: focus goes to the section, not to `<body>`. */
function RetryButton() {
  const { devices, messages, root } = useActiveDevicesContext('ActiveDevices.List')
  const own = useFocusRootWhenGone<HTMLButtonElement>(root)
  return (
    <button type="button" className="sk-button" data-sk-action="retry" ref={own} onClick={() => void devices.refresh()}>
      {messages.retry}
    </button>
  )
}

interface ActionButton {
  action: string
  variant: 'primary' | 'secondary'
  label: ReactNode
  busy: boolean
  run: () => void
}

/** A part's button. The part decides whether to render it, so an unwanted button unmounts (hands its focus to the section). */
function ActionButtonElement({
  props: { asChild, children, className, onClick, ...rest },
  forwardedRef,
  root,
  config: { action, variant, label, busy, run },
}: {
  props: ActiveDevicesButtonProps
  forwardedRef: Ref<HTMLButtonElement>
  root: { current: HTMLElement | null }
  config: ActionButton
}) {
  const own = useFocusRootWhenGone<HTMLButtonElement>(root)
  const ref = useComposedRefs(forwardedRef, own)
  const Component = asChild ? Slot : 'button'
  return (
    <Component
      type={asChild ? undefined : 'button'}
      data-sk-action={action}
      data-variant={variant}
      // aria-disabled, not disabled: a disabled button drops the focus it holds.
      aria-disabled={busy ? true : undefined}
      className={cx('sk-button', className)}
      {...rest}
      ref={ref}
      onClick={composeEventHandlers(onClick, (event: MouseEvent<HTMLButtonElement>) => {
        if (!busy) run()
        else event.preventDefault()
      })}
    >
      {children ?? label}
    </Component>
  )
}

/**
 * "Sign out" for one device of the enclosing Item (accessible name
 * `messages.signOutDevice(device)`, e.g. "Sign out Safari 19 on iOS"). Reads
 * "Signing out…" while that revocation is on its way, named
 * `messages.signingOutDevice(device)` ("Signing out Safari 19 on iOS") so the
 * name still holds the visible text; the device then leaves the list. Not
 * rendered for this device (sign out of this one as usual), nor while someone acts as the user.
 */
export const ActiveDevicesSignOutButton = forwardRef<HTMLButtonElement, ActiveDevicesButtonProps>(
  function ActiveDevicesSignOutButton(props, ref) {
    const session = useItemSession('ActiveDevices.SignOutButton')
    const { devices, messages, busy, root, actingAs, signOut } = useActiveDevicesContext('ActiveDevices.SignOutButton')
    // This device is signed out as usual; while acting, the server refuses to sign any device out.
    if (session.isCurrent || actingAs !== null) return null
    const { pending } = devices
    const mine = pending?.type === 'revoke' && pending.sessionId === session.id
    return (
      <ActionButtonElement
        props={{ 'aria-label': mine ? messages.signingOutDevice(session.device) : messages.signOutDevice(session.device), ...props }}
        forwardedRef={ref}
        root={root}
        config={{ action: 'revoke', variant: 'secondary', label: mine ? messages.signingOut : messages.signOut, busy, run: () => signOut(session) }}
      />
    )
  },
)

/**
 * "Sign out of all other devices". Rendered only once the list shows another
 * device, and not while someone acts as the user; reads "Signing out…" while on its way.
 */
export const ActiveDevicesSignOutOthersButton = forwardRef<HTMLButtonElement, ActiveDevicesButtonProps>(
  function ActiveDevicesSignOutOthersButton(props, ref) {
    const { devices, messages, busy, root, actingAs, signOutOthers } = useActiveDevicesContext('ActiveDevices.SignOutOthersButton')
    const { sessions, pending } = devices
    if (actingAs !== null || !sessions?.some((session) => !session.isCurrent)) return null
    const mine = pending?.type === 'revoke-others'
    return (
      <ActionButtonElement
        props={props}
        forwardedRef={ref}
        root={root}
        config={{ action: 'revoke-others', variant: 'secondary', label: mine ? messages.signingOut : messages.signOutOthers, busy, run: signOutOthers }}
      />
    )
  },
)
