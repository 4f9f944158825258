/** Why the page may have been asleep, or why the network may be back (or gone). */
export type WakeKind = 'visible' | 'focus' | 'pageshow' | 'online' | 'offline'

export const VISIBILITY_CHANGE = 'visibilitychange'

// Passive: never delays scrolling. Shared objects: no allocation per attach.
const CAPTURE: AddEventListenerOptions = { capture: true, passive: true }
const AT_TARGET: AddEventListenerOptions = { passive: true }

/**
 * Adds (`on`) or removes `listener` for every type in `types` on `target`
 * (null: none), with `options` (default: capture, passive). Adding twice or
 * removing what is not there does nothing, as the DOM specifies.
 */
export function listen(target: EventTarget | null, types: readonly string[], listener: (event: Event) => void, on: boolean, options = CAPTURE): void {
  for (const type of types) {
    if (on) target?.addEventListener(type, listener, options)
    else target?.removeEventListener(type, listener, !!options.capture)
  }
}

/** Whether the tab is visible (true outside a browser). */
export const pageVisible = (): boolean => typeof document === 'undefined' || document.visibilityState === 'visible'

// Their event types are their wake kinds.
const WAKE_EVENTS: readonly WakeKind[] = ['focus', 'pageshow', 'online', 'offline']

/**
 * Calls `onWake` when the page comes back (tab visible, window focused, page
 * restored from the back/forward cache) or the network changes, so the caller
 * can re-derive every deadline from the clock and retry at once. Timers are
 * paused or late while a computer sleeps; these events are how a page learns
 * that it woke. `target` is usually `window`; null attaches nothing. Returns a
 * function that detaches every listener.
 */
export function watchWakeEvents(target: EventTarget | null, onWake: (kind: WakeKind) => void): () => void {
  // Going hidden is not a wake-up.
  const onVisibilityChange = () => {
    if (pageVisible()) onWake('visible')
  }
  const onEvent = (event: Event) => onWake(event.type as WakeKind)
  const toggle = (on: boolean) => {
    // visibilitychange is dispatched on `document`: only a capture listener on
    // `window` is sure to see it. `focus` is deliberately not captured, so focus
    // moving between fields does not count as the window waking up.
    listen(target, [VISIBILITY_CHANGE], onVisibilityChange, on)
    listen(target, WAKE_EVENTS, onEvent, on, AT_TARGET)
  }
  toggle(true)
  return () => toggle(false)
}
