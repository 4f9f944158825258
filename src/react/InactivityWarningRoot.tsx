'use client'
import { forwardRef, useCallback, useEffect, useId, useMemo, useRef, type DialogHTMLAttributes, type MouseEvent } from 'react'
import { shallow } from 'zustand/shallow'
import type { SessionClient } from '../core/types'
import { boundActions } from './boundActions'
import { useClientFor } from './context'
import { warnOnce as devWarn } from '../core/development'
import {
  InactivityWarningContext,
  selectCountdown,
  selectNoRenewal,
  selectOpenWarningView,
  selectRenewal,
  selectWarningView,
  useInactivityWarningContext,
  type InactivityWarningContextValue,
} from './inactivityWarningContext'
import { resolveMessages, type InactivityWarningMessages } from './messages'
import { composeEventHandlers, useComposedRefs } from './Slot'
import { useControllableState } from './useControllableState'
import { useIsomorphicLayoutEffect } from './useIsomorphicLayoutEffect'
import { useModalDialog } from './useModalDialog'
import { useRemainingSeconds } from './useRemainingSeconds'
import { useClientSelector } from './useSessionSelector'
import { cx } from './cx'

/** WCAG 2.2.1 (Timing Adjustable) gives users at least 20 seconds to respond to a warning. */
const MIN_ACCESSIBLE_WARN_BEFORE_MS = 20_000

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
  /** "Sign in again" in the signed-out notice; the notice closes either way. Default: just close. */
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
 * close. Enter or Space within 500 ms of it showing activates nothing.
 * Renders its children only while open.
 */
export const InactivityWarningRoot = forwardRef<HTMLDialogElement, InactivityWarningRootProps>(
  function InactivityWarningRoot(props, forwardedRef) {
    const { client: given, open: openProp, defaultOpen, onOpenChange, messages: overrides, onSignInAgain, className, children, onCancel, onClose, onKeyDown, onClickCapture, ...dialogProps } = props
    const client = useClientFor('InactivityWarning', { client: given })
    const [open, setOpen] = useControllableState({
      prop: openProp,
      defaultProp: defaultOpen ?? selectWarningView(client.getState()).view !== 'none',
      onChange: onOpenChange,
      caller: 'InactivityWarning',
      propName: 'open',
    })
    // Closed, only what decides opening is read; opened outside the warning
    // phase (a preview), the current reason fills in what to say.
    const shown = useClientSelector(client, open ? selectOpenWarningView : selectWarningView, shallow)
    // Read only while open: a closed warning does not re-render for a touch.
    const renewal = useClientSelector(client, open ? selectRenewal : selectNoRenewal)

    useEffect(() => {
      if (client.options.warnBefore < MIN_ACCESSIBLE_WARN_BEFORE_MS) {
        devWarn(
          `warnBefore is ${client.options.warnBefore} ms: WCAG 2.2.1 asks for at least 20 seconds to respond. Set warnBefore to 20000 or more (default 60000).`,
        )
      }
    }, [client])

    // Follow the session: open on the warning or the notice, close when it is over.
    const trigger = shown.view === 'none' ? 'none' : `${shown.view}:${shown.reason}:${shown.renewable}:${shown.signOutReason}`
    const lastTrigger = useRef(trigger)
    useEffect(() => {
      if (lastTrigger.current === trigger) return
      lastTrigger.current = trigger
      setOpen(trigger !== 'none')
    }, [trigger, setOpen])

    const kind = shown.view === 'expired' ? 'expired' : 'warning'
    const onSignInAgainRef = useRef(onSignInAgain)
    useIsomorphicLayoutEffect(() => {
      onSignInAgainRef.current = onSignInAgain
    })

    const close = useCallback(() => setOpen(false), [setOpen])

    // A preview (opened outside the warning phase) has no phase to leave when
    // the renewal lands, so it waits for the renewal itself to settle.
    const stopWaiting = useRef<(() => void) | null>(null)
    const closeWhenRenewed = useCallback(() => {
      stopWaiting.current?.()
      const check = () => {
        const state = client.getState()
        if (state.renewal !== 'idle') return
        stop()
        if (selectWarningView(state).view === 'none') setOpen(false)
      }
      const unsubscribe = client.subscribe(check)
      const stop = () => {
        unsubscribe()
        stopWaiting.current = null
      }
      stopWaiting.current = stop
      check()
    }, [client, setOpen])
    useEffect(() => {
      if (!open) stopWaiting.current?.()
    }, [open])
    useEffect(() => () => stopWaiting.current?.(), [])

    const stay = useCallback(() => {
      const state = client.getState()
      // Already on its way (a second click, Escape): asking again would only restart the wait.
      if (state.renewal !== 'idle') return
      // Nothing to renew.
      if (state.status !== 'signed-in') return close()
      const preview = selectWarningView(state).view !== 'warning'
      // Done only when the server confirms the new deadline: the session then
      // leaves its warning phase and the trigger above closes the dialog.
      // Until then it stays open, saying so while the server cannot be reached.
      void client.touch().catch(() => undefined)
      if (preview) closeWhenRenewed()
    }, [client, close, closeWhenRenewed])
    const signOut = useCallback(() => {
      setOpen(false)
      void boundActions(client).signOutAll().catch(() => undefined)
    }, [client, setOpen])
    const signInAgain = useCallback(() => {
      onSignInAgainRef.current?.()
      setOpen(false)
    }, [setOpen])

    // Escape, as the dialog's `cancel` event: stay when that helps, else close.
    // Chromium may also close the dialog itself, without `cancel` (an Escape
    // it will not let the page cancel): staying keeps the warning open until
    // the renewal lands, so it is shown again rather than left closed behind
    // an `open` state (no retry message, no notice at the deadline).
    const escape = useCallback(() => {
      const { view, renewable } = selectWarningView(client.getState())
      if (view !== 'warning' || !renewable) return close()
      stay()
      const dialog = dialogRef.current
      if (dialog && !dialog.open && dialog.isConnected && selectWarningView(client.getState()).view === 'warning') {
        dialog.showModal()
        leastDestructiveAction(dialog)?.focus()
      }
      // dialogRef: a stable ref from useModalDialog below.
    }, [client, stay, close])

    const titleId = useId()
    const descriptionId = useId()
    const { messages, format } = useMemo(() => resolveMessages(overrides), [overrides])
    const context = useMemo<InactivityWarningContextValue>(
      () => ({ client, kind, reason: shown.reason, renewable: shown.renewable, signOutReason: shown.signOutReason, renewal, messages, format, titleId, descriptionId, stay, signOut, dismiss: close, signInAgain }),
      [client, kind, shown, renewal, messages, format, titleId, descriptionId, stay, signOut, close, signInAgain],
    )

    // The warning turning into the notice is new content: it gets focus, and the keyboard guard, anew.
    // Not `renewal`: "Renewing…" is the same button, keeping its focus.
    const contentKey = `${kind}:${shown.renewable}`
    const { dialogRef, dialogHandlers } = useModalDialog({
      open,
      onDismiss: escape,
      initialFocus: leastDestructiveAction,
      contentKey,
      onCancel,
      onClose,
      onKeyDown,
    })

    const shownAt = useRef(0)
    useIsomorphicLayoutEffect(() => {
      if (open) shownAt.current = client.options.clock.now()
    }, [open, contentKey, client])
    const guardKeyboard = (event: MouseEvent<HTMLDialogElement>) => {
      // A click from Enter or Space has no pointer behind it: `detail` (the click count) is 0.
      if (event.detail !== 0 || !(event.target instanceof Element) || !event.target.closest('[data-sk-action]')) return
      if (client.options.clock.now() - shownAt.current >= KEYBOARD_GUARD_MS) return
      // Capture phase: neither the part's action nor the app's own handler on it runs.
      event.preventDefault()
      event.stopPropagation()
    }

    const composedRef = useComposedRefs(forwardedRef, dialogRef)
    return (
      <dialog
        {...dialogProps}
        ref={composedRef}
        role="alertdialog"
        aria-modal="true"
        className={cx('sk-dialog', className)}
        data-state={open ? 'open' : 'closed'}
        data-kind={kind}
        {...dialogHandlers}
        onClickCapture={composeEventHandlers(onClickCapture, guardKeyboard)}
      >
        {open ? (
          <InactivityWarningContext.Provider value={context}>
            {children}
            {kind === 'warning' ? <Announcer /> : null}
          </InactivityWarningContext.Provider>
        ) : null}
      </dialog>
    )
  },
)

/** Least destructive first: Sign out only when the app rendered nothing else. */
const SAFE_ACTIONS = ['stay', 'sign-in-again', 'keep-working', 'sign-out']

/** The least destructive action present: Stay, else Sign in again, else Keep working, else Sign out. */
function leastDestructiveAction(dialog: HTMLDialogElement): HTMLElement | null {
  for (const action of SAFE_ACTIONS) {
    const target = dialog.querySelector<HTMLElement>(`[data-sk-action="${action}"]`)
    if (target) return target
  }
  return null
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

/** A polite live region announcing the time left on open and at thresholds, never every second. */
function Announcer() {
  const { client, messages, format, renewable } = useInactivityWarningContext('InactivityWarning.Announcer')
  const { deadline, ticking } = useClientSelector(client, selectCountdown, shallow)
  const clock = client.options.clock
  useRemainingSeconds(clock, deadline, ticking, announcementThreshold)
  const text = deadline === null ? '' : messages.announcement(Math.max(0, deadline - clock.now()), { ...format, renewable })
  return (
    <div role="status" aria-live="polite" aria-atomic="true" className="sk-visually-hidden" style={visuallyHidden}>
      {text}
    </div>
  )
}

