'use client'
import { useRef, type KeyboardEvent, type RefObject, type SyntheticEvent } from 'react'
import { focusFallback, mainLandmark } from './focusFallback'
import { composeEventHandlers } from './Slot'
import { useIsomorphicLayoutEffect } from './useIsomorphicLayoutEffect'

/** Arguments of `useModalDialog`. */
export interface UseModalDialogParams {
  /** Whether the dialog is shown (with `showModal()`). */
  open: boolean
  /** Escape, or the browser closing the dialog on its own: the component decides what that means. */
  onDismiss: () => void
  /** The element to focus once the dialog is shown. Default: none (what `showModal()` focused: the first focusable). */
  initialFocus?: (dialog: HTMLDialogElement) => HTMLElement | null | undefined
  /** While open, a new value means new content: focus moves to `initialFocus` again. Default: undefined (never). */
  contentKey?: unknown
  /** The app's `cancel` handler, run first; its `preventDefault()` skips ours. Default: none. */
  onCancel?: (event: SyntheticEvent<HTMLDialogElement>) => void
  /** The app's `close` handler, run first. Default: none. */
  onClose?: (event: SyntheticEvent<HTMLDialogElement>) => void
  /** The app's `keydown` handler, run first; its `preventDefault()` leaves Tab to the browser. Default: none. */
  onKeyDown?: (event: KeyboardEvent<HTMLDialogElement>) => void
}

/** What to spread on the `<dialog>`, besides `ref={dialogRef}`. */
export interface ModalDialogHandlers {
  onCancel: (event: SyntheticEvent<HTMLDialogElement>) => void
  onClose: (event: SyntheticEvent<HTMLDialogElement>) => void
  onKeyDown: (event: KeyboardEvent<HTMLDialogElement>) => void
}

/**
 * The native modal `<dialog>` both sessionkit dialogs are: `showModal()`
 * while `open` (top layer, page inert), focus to `initialFocus` on open and
 * back to where it was on close (to the page's main landmark if that control is
 * gone, where an effect of the app may move it on), Escape as `onDismiss`, and Tab / Shift+Tab
 * wrapping inside. Chromium lets Tab leave a modal dialog for the browser's
 * own UI (the page is left with `document.activeElement` = body): the
 * keyboard would lose the dialog it must answer.
 */
export function useModalDialog({
  open,
  onDismiss,
  initialFocus,
  contentKey,
  onCancel,
  onClose,
  onKeyDown,
}: UseModalDialogParams): { dialogRef: RefObject<HTMLDialogElement | null>; dialogHandlers: ModalDialogHandlers } {
  const dialogRef = useRef<HTMLDialogElement | null>(null)

  useIsomorphicLayoutEffect(() => {
    const dialog = dialogRef.current
    if (!open || !dialog) return
    const document = dialog.ownerDocument
    // Noted before showModal(), which moves focus into the dialog.
    const returnFocusTo = document.activeElement
    if (!dialog.open) dialog.showModal()
    return () => {
      if (dialog.open) dialog.close()
      // The control that had focus may be gone (a sign-out unmounts the
      // signed-in page): then the page's main landmark, rather than leave the keyboard on <body>.
      focusFallback(document, () => (returnFocusTo instanceof HTMLElement && returnFocusTo.isConnected ? returnFocusTo : mainLandmark(document)), dialog)
    }
  }, [open])

  // After the effect above (declaration order): the dialog is shown, so its content can take focus.
  // Not on a new `initialFocus`: callers pass a new function each render, and
  // focus moves only as the dialog opens or its content changes (the function
  // of that render is the one called).
  useIsomorphicLayoutEffect(() => {
    const dialog = dialogRef.current
    if (open && dialog?.open) initialFocus?.(dialog)?.focus()
  }, [open, contentKey])

  // React runs the handlers of the last commit: `open` and `onDismiss` are those of what is on screen.
  const dialogHandlers: ModalDialogHandlers = {
    onCancel: composeEventHandlers(onCancel, (event) => {
      // Escape: the component decides, and closes through `open`.
      event.preventDefault()
      onDismiss()
    }),
    onClose: composeEventHandlers(onClose, (event) => {
      // The browser closed it on its own (an Escape it would not let us
      // cancel). Our own close() fires this too, later: by then we are
      // closed, or open again (StrictMode), and it is ignored.
      if (open && !event.currentTarget.open) onDismiss()
    }),
    onKeyDown: composeEventHandlers(onKeyDown, keepTabInside),
  }
  return { dialogRef, dialogHandlers }
}

/**
 * Tab on the last stop goes to the first, Shift+Tab on the first to the
 * last; in between, the browser moves focus as usual. A focused element
 * that is not a stop (the dialog itself, a `tabindex="-1"` element) counts
 * as at the edge when no stop lies beyond it in that direction. With no
 * stop at all, focus stays rather than leave the dialog.
 */
function keepTabInside(event: KeyboardEvent<HTMLDialogElement>) {
  const dialog = event.currentTarget
  const active = dialog.ownerDocument.activeElement
  // A dialog inside this one wraps its own keyboard.
  if (event.key !== 'Tab' || event.altKey || event.ctrlKey || event.metaKey || active?.closest('dialog') !== dialog) return
  const stops = tabStops(dialog)
  const backward = event.shiftKey
  const index = stops.findIndex((stop) => sameStop(stop, active))
  const atEdge =
    index < 0
      ? // Nothing beyond it: compareDocumentPosition's PRECEDING (2) backward, FOLLOWING (4) forward (a descendant follows).
        !stops.some((stop) => active.compareDocumentPosition(stop) & (backward ? 2 : 4))
      : index === (backward ? 0 : stops.length - 1)
  if (!atEdge) return
  event.preventDefault()
  const stop = backward ? stops.at(-1) : stops[0]
  if (!stop) return
  // A radio group is entered at its checked button.
  const checked = dialog.querySelectorAll<HTMLInputElement>('input[type="radio"]:checked')
  ;([...checked].find((radio) => sameStop(stop, radio)) ?? stop).focus()
}

const CANDIDATES =
  'a[href],area[href],button,input,select,textarea,iframe,summary,audio[controls],video[controls],[contenteditable]:not([contenteditable="false"]),[tabindex]'

/** Positive `tabindex` first, in its order; then 0, after any (a `long`: below 2³¹), in document order (the sort is stable). */
const tabOrder = (stop: HTMLElement) => stop.tabIndex || 2 ** 31

/** The dialog's Tab stops in the browser's order: positive `tabindex` first, then document order. */
function tabStops(dialog: HTMLDialogElement): HTMLElement[] {
  const stops: HTMLElement[] = []
  for (const element of dialog.querySelectorAll<HTMLElement>(CANDIDATES)) {
    if (element.tabIndex < 0 || element.matches(':disabled,input[type="hidden"]') || !isRendered(element)) continue
    // A radio group is one stop, wherever in it focus is.
    if (stops.some((stop) => sameStop(stop, element))) continue
    stops.push(element)
  }
  return stops.sort((a, b) => tabOrder(a) - tabOrder(b))
}

/** Shown and laid out. Without layout (jsdom), only `hidden` and `inert` are known. */
const isRendered = (element: HTMLElement): boolean =>
  element.checkVisibility ? element.checkVisibility({ visibilityProperty: true }) : !element.closest('[hidden],[inert]')

/** One stop: the element itself, or for a radio button its whole group (Tab enters a group once). */
const sameStop = (stop: HTMLElement, active: Element): boolean =>
  stop === active || (isRadio(stop) && isRadio(active) && stop.name !== '' && stop.name === active.name && stop.form === active.form)

const isRadio = (element: Element): element is HTMLInputElement =>
  element instanceof HTMLInputElement && element.type === 'radio'
