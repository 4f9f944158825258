'use client'
import { forwardRef, useCallback, useEffect, useId, useMemo, useRef, useState, type DialogHTMLAttributes, type MouseEvent } from 'react'
import { shallow } from 'zustand/shallow'
import type { SessionClient } from '../core/types'
import { useClientFor } from './context'
import {
  InactivityWarningContext,
  selectOpenWarningView,
  selectWarningView,
  type InactivityWarningContextValue,
  type InactivityWarningKind,
} from './inactivityWarningContext'
import { InactivityWarningAnnouncer, renewalOnItsWay } from './InactivityWarningParts'
import { resolveMessages, type InactivityWarningMessages } from './messages'
import { composeEventHandlers, useComposedRefs } from './Slot'
import { useInactivityWarningDevWarnings } from './useInactivityWarningDevWarnings'
import { useIsomorphicLayoutEffect } from './useIsomorphicLayoutEffect'
import { useModalDialog } from './useModalDialog'
import { useClientSelector } from './useSessionSelector'
import { cx } from './cx'

/**
 * Enter or Space this soon after the dialog shows was pressed for the page
 * (typing, a form's Enter), not read and answered: it activates no action.
 */
const KEYBOARD_GUARD_MS = 500

/** Props of `InactivityWarning.Root`: a native `<dialog>` plus session wiring. */
export interface InactivityWarningRootProps extends Omit<DialogHTMLAttributes<HTMLDialogElement>, 'open'> {
  /** Use this client instead of the nearest `SessionProvider`'s. Default: the provider's. */
  client?: SessionClient
  /** Controlled open state. Default: undefined (uncontrolled: opens with the warning phase and the signed-out notice). */
  open?: boolean
  /** Uncontrolled starting state. Default: whether the session is in its warning phase (or just expired). */
  defaultOpen?: boolean
  /** Called whenever the warning asks to open or close. Default: none. */
  onOpenChange?: (open: boolean) => void
  /** Any texts to replace, and `locale`. Default: English. */
  messages?: Partial<InactivityWarningMessages>
  /**
   * "Sign in again" in the signed-out notice; the notice closes either way.
   * Called while it still shows (the page inert): move focus from an effect
   * of the state it sets, else focus goes to the page's `<main>`. Default: just close.
   */
  onSignInAgain?: () => void
}

/** What the Root's stable callbacks read: the open state and the props of the last commit. */
interface LatestProps {
  open: boolean
  openProp?: boolean
  onOpenChange?: (open: boolean) => void
  onSignInAgain?: () => void
}

/**
 * The warning dialog: a native `<dialog>` opened with `showModal()` (top
 * layer, page inert), `role="alertdialog"`, not dismissed by a click
 * outside. Opens when the session enters its warning phase and turns into
 * the signed-out notice at expiry. Escape means "Stay signed in" (or closes
 * a warning that cannot be extended, or the notice). "Stay signed in" keeps
 * it open until the server confirms the new deadline (retrying while it
 * cannot be reached); the deadline signs out as ever. Focus moves to the
 * least destructive action on open, Tab stays inside, and focus returns on
 * close (to the page's `<main>` when that control is gone). Enter or Space within 500 ms of it showing activates nothing.
 * Renders its children only while open.
 */
export const InactivityWarningRoot = forwardRef<HTMLDialogElement, InactivityWarningRootProps>(function InactivityWarningRoot(
  // `dialogProps` keeps the app's className, onCancel, onClose, onKeyDown and
  // onClickCapture: the dialog sets each after spreading `dialogProps`, with
  // the app's value composed in (its class joined, its handler run first).
  { client: given, open: openProp, defaultOpen, onOpenChange, messages: overrides, onSignInAgain, children, ...dialogProps },
  forwardedRef,
) {
  const client = useClientFor('InactivityWarning', { client: given })
  // What the session calls for now, not at the last render.
  const liveKind = () => selectWarningView(client.getState()).kind
  // Open: controlled by `open` (each change asked for through `onOpenChange`), or left to the warning (from `defaultOpen`).
  const [uncontrolled, setUncontrolled] = useState(() => defaultOpen ?? liveKind() !== 'none')
  const open = openProp ?? uncontrolled
  // The latest props, for the stable callbacks below. Filled from the first
  // render: the children's layout effects and ref callbacks run before the
  // Root's own layout effect, and may already call them.
  const props: LatestProps = { open, openProp, onOpenChange, onSignInAgain }
  const latest = useRef(props)
  useIsomorphicLayoutEffect(() => {
    latest.current = props
  })
  const setOpen = useCallback((next: boolean) => {
    const current = latest.current
    if (next === current.open) return
    if (current.openProp === undefined) {
      setUncontrolled(next)
      // Until React re-renders, later calls in this tick compare against the new value.
      current.open = next
    }
    current.onOpenChange?.(next)
  }, [])
  // Closed, only what decides opening is read; opened outside the warning
  // phase (a preview), the current reason fills in what to say.
  const shown = useClientSelector(client, open ? selectOpenWarningView : selectWarningView, shallow)
  const { reason, renewable, signOutReason, renewal = 'idle' } = shown

  // Development only, and the same in every render of an app's build: the
  // hook is always called, or never, and a production bundle drops its module.
  if (process.env.NODE_ENV !== 'production') useInactivityWarningDevWarnings(client, openProp !== undefined)

  // A preview (opened outside the warning phase) has no phase to leave when
  // the renewal lands, so "Stay signed in" there waits for the renewal itself to settle.
  const [waiting, setWaiting] = useState(false)
  // Follow the session: open on the warning or the notice (anew when what it
  // says changes), close when it is over. Not on mount: `open` started right.
  // And close a preview whose renewal settled (read while open: `renewal`
  // re-renders the Root), unless the session is in its warning phase by now.
  const trigger = shown.kind === 'none' ? '' : [shown.kind, reason, renewable, signOutReason].join()
  const lastTrigger = useRef(trigger)
  useEffect(() => {
    if (lastTrigger.current !== trigger) {
      lastTrigger.current = trigger
      setOpen(trigger !== '')
    }
    if (waiting && (!open || renewal === 'idle')) {
      setWaiting(false)
      if (open && liveKind() === 'none') setOpen(false)
    }
  })

  const actions = useMemo(() => {
    const dismiss = () => setOpen(false)
    return {
      // "Stay signed in".
      stay() {
        const state = client.getState()
        // Already on its way (a second click, Escape): asking again would only restart the wait. Refused: the user tries again.
        if (renewalOnItsWay(state.renewal)) return
        // Nothing to renew.
        if (state.status !== 'signed-in') return dismiss()
        // Done only when the server confirms the new deadline: the session then
        // leaves its warning phase and the trigger above closes the dialog.
        // Until then it stays open, saying so while the server cannot be reached.
        void client.touch().catch(ignore)
        if (selectWarningView(state).kind !== 'warning') setWaiting(true)
      },
      dismiss,
      signOut() {
        dismiss()
        // No session named: every session.
        void client.signOut().catch(ignore)
      },
      signInAgain() {
        latest.current.onSignInAgain?.()
        dismiss()
      },
    }
  }, [client, setOpen])

  // Escape, as the dialog's `cancel` event: stay when that helps, else close.
  // Chromium may also close the dialog itself, without `cancel` (an Escape
  // it will not let the page cancel): staying keeps the warning open until
  // the renewal lands, so it is shown again rather than left closed behind
  // an `open` state (no retry message, no notice at the deadline).
  const escape = () => {
    const { kind, renewable } = selectWarningView(client.getState())
    if (kind !== 'warning' || !renewable) return actions.dismiss()
    actions.stay()
    const dialog = dialogRef.current
    if (dialog && !dialog.open && dialog.isConnected && liveKind() === 'warning') {
      dialog.showModal()
      leastDestructiveAction(dialog)?.focus()
    }
  }

  const kind: InactivityWarningKind = shown.kind === 'expired' ? 'expired' : 'warning'
  const id = useId()
  // Resolved again only for new `messages`, not whenever what is shown changes.
  const resolved = useMemo(() => resolveMessages(overrides), [overrides])
  const context = useMemo<InactivityWarningContextValue>(() => {
    const warning = { kind, reason, renewable, signOutReason, renewal, ...actions }
    return { ...warning, warning, client, ...resolved, id }
  }, [kind, shown, actions, client, resolved, id])

  // The warning turning into the notice is new content: it gets focus, and the keyboard guard, anew.
  // Not `renewal`: "Renewing…" is the same button, keeping its focus.
  const contentKey = `${kind}:${renewable}`
  const shownAt = useRef(0)
  const { dialogRef, dialogHandlers } = useModalDialog({
    ...dialogProps,
    open,
    onDismiss: escape,
    // Called as the content shows (on open, and for new content): the keyboard guard starts there.
    initialFocus: (dialog) => {
      shownAt.current = client.options.clock.now()
      return leastDestructiveAction(dialog)
    },
    contentKey,
  })
  const ref = useComposedRefs(forwardedRef, dialogRef)
  const guardKeyboard = (event: MouseEvent<HTMLDialogElement>) => {
    // A click from Enter or Space has no pointer behind it: `detail` (the click count) is 0.
    if (event.detail || !(event.target instanceof Element) || !event.target.closest('[data-sk-action]')) return
    if (client.options.clock.now() - shownAt.current >= KEYBOARD_GUARD_MS) return
    // Capture phase: neither the part's action nor the app's own handler on it runs.
    event.preventDefault()
    event.stopPropagation()
  }

  return (
    <dialog
      {...dialogProps}
      ref={ref}
      role="alertdialog"
      aria-modal="true"
      className={cx('sk-dialog', dialogProps.className)}
      data-state={open ? 'open' : 'closed'}
      data-kind={kind}
      {...dialogHandlers}
      onClickCapture={composeEventHandlers(dialogProps.onClickCapture, guardKeyboard)}
    >
      {open && (
        <InactivityWarningContext.Provider value={context}>
          {children}
          {/* In the notice too: the warning turning into it is announced there. */}
          <InactivityWarningAnnouncer speaking={shown.kind === 'warning' && renewal === 'idle'} />
        </InactivityWarningContext.Provider>
      )}
    </dialog>
  )
})

const ignore = () => undefined

/** Least destructive first: Sign out only when the app rendered nothing else. */
const SAFE_ACTIONS = ['stay', 'sign-in-again', 'keep-working', 'sign-out']

/** The least destructive action present: Stay, else Sign in again, else Keep working, else Sign out. */
const leastDestructiveAction = (dialog: HTMLDialogElement) =>
  SAFE_ACTIONS.map((action) => dialog.querySelector<HTMLElement>(`[data-sk-action="${action}"]`)).find(Boolean)
