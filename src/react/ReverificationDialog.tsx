'use client'
import {
  forwardRef,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type DialogHTMLAttributes,
} from 'react'
import type { SessionClient } from '../core/types'
import { useClientFor } from './context'
import { cx } from './cx'
import { reverificationQueue } from './reverificationContext'
import { ReverificationForm } from './ReverificationDialogForm'
import { resolveReverificationMessages, type ReverificationMessages } from './ReverificationDialogMessages'
import { useComposedRefs } from './Slot'
import { useIsomorphicLayoutEffect } from './useIsomorphicLayoutEffect'
import { useModalDialog } from './useModalDialog'

/** Props of `ReverificationDialog`: a native `<dialog>` plus session wiring. */
export interface ReverificationDialogProps extends Omit<DialogHTMLAttributes<HTMLDialogElement>, 'open' | 'children'> {
  /** Use this client instead of the nearest `SessionProvider`'s. Default: the provider's. */
  client?: SessionClient
  /** Any texts to replace. Default: English. */
  messages?: Partial<ReverificationMessages>
  /** Called when the dialog opens (a reverification is asked for) or closes. Default: none. */
  onOpenChange?: (open: boolean) => void
}

const noRequest = () => null

/**
 * The dialog `useReverification` asks through: render it once under
 * `SessionProvider`, next to `<InactivityWarning />`; it renders nothing
 * until an action needs reverification. A native `<dialog>` opened with
 * `showModal()` (top layer, page inert), `role="dialog"`: it holds a form
 * the user fills in at their own pace, not an alert to acknowledge. Asks for
 * the password and/or one-time code the level needs, shows a wrong one
 * inline and lets the user try again; Escape or Cancel gives up. Focus
 * moves to the field on open, Tab stays inside, and focus returns on close.
 */
export const ReverificationDialog = forwardRef<HTMLDialogElement, ReverificationDialogProps>(
  function ReverificationDialog(props, forwardedRef) {
    const { client: given, messages: overrides, onOpenChange, className, onCancel, onClose, onKeyDown, ...dialogProps } = props
    const client = useClientFor('ReverificationDialog', { client: given })
    const queue = reverificationQueue(client)

    // Registered in an effect (the host that shows requests must be mounted), hence state for the answer.
    const [host] = useState(() => ({}))
    const [registered, setRegistered] = useState(false)
    useEffect(() => {
      const remove = queue.addHost(host)
      setRegistered(true)
      return () => {
        remove()
        setRegistered(false)
      }
    }, [queue, host])
    const subscribe = registered ? queue.subscribe : noSubscribe
    const pending = useSyncExternalStore(subscribe, registered ? queue.current : noRequest, noRequest)
    const primary = useSyncExternalStore(subscribe, () => registered && queue.isPrimaryHost(host), () => false)
    const request = primary ? pending : null
    const open = request !== null

    const onOpenChangeRef = useRef(onOpenChange)
    useIsomorphicLayoutEffect(() => {
      onOpenChangeRef.current = onOpenChange
    })
    const wasOpen = useRef(false)
    useEffect(() => {
      if (wasOpen.current === open) return
      wasOpen.current = open
      onOpenChangeRef.current?.(open)
    }, [open])

    // Escape gives up, on our terms: the dialog closes when the request goes.
    const cancel = useCallback(() => request?.cancel(), [request])
    const { dialogRef, dialogHandlers } = useModalDialog({
      open,
      onDismiss: cancel,
      initialFocus: fieldOrCancel,
      onCancel,
      onClose,
      onKeyDown,
    })
    const messages = useMemo(() => resolveReverificationMessages(overrides), [overrides])
    const composedRef = useComposedRefs(forwardedRef, dialogRef)
    const titleId = useId()
    const descriptionId = useId()

    return (
      <dialog
        {...dialogProps}
        ref={composedRef}
        aria-modal="true"
        // Only while open: the parts they name exist only then.
        aria-labelledby={open ? titleId : undefined}
        aria-describedby={open ? descriptionId : undefined}
        className={cx('sk-dialog', 'sk-reverification', className)}
        data-state={open ? 'open' : 'closed'}
        {...dialogHandlers}
      >
        {/* Keyed by request: a new request starts at its first step with empty fields. */}
        {request ? (
          <ReverificationForm
            key={requestKey(request)}
            client={client}
            request={request}
            messages={messages}
            titleId={titleId}
            descriptionId={descriptionId}
          />
        ) : null}
      </dialog>
    )
  },
)

const noSubscribe = () => () => {}

/** showModal() focuses the first focusable on its own in a browser; the field (or Cancel, with no field) is what to answer. */
const fieldOrCancel = (dialog: HTMLDialogElement) => dialog.querySelector<HTMLElement>('.sk-input, [data-sk-action="cancel"]')

const keys = new WeakMap<object, number>()
let nextKey = 1
function requestKey(request: object): number {
  let key = keys.get(request)
  if (key === undefined) keys.set(request, (key = nextKey++))
  return key
}
