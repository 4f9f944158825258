/** Why the page may have been asleep, or why the network may be back (or gone). */
export type WakeKind = 'visible' | 'focus' | 'pageshow' | 'online' | 'offline'

export const VISIBILITY_CHANGE = 'visibilitychange'

/**
 * Adds (`on`) or removes `listener` for every type in `types` on `target`
 * (null: none); `capture` as given, passive (never delays scrolling). Adding
 * twice or removing what is not there does nothing, as the DOM specifies.
 */
export const listen = (target: EventTarget | null, types: readonly string[], listener: (event: Event) => void, on: boolean, capture = true): void => {
  for (const type of types) {
    if (on) target?.addEventListener(type, listener, { capture, passive: true })
    else target?.removeEventListener(type, listener, capture)
  }
}

/** Whether the tab is visible (true outside a browser). */
export const pageVisible = (): boolean => globalThis.document?.visibilityState !== 'hidden'

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
export const watchWakeEvents = (target: EventTarget | null, onWake: (kind: WakeKind) => void): () => void => {
  const onEvent = (event: Event) => {
    // Going hidden is not a wake-up.
    if (event.type !== VISIBILITY_CHANGE) onWake(event.type as WakeKind)
    else if (pageVisible()) onWake('visible')
  }
  const toggle = (on: boolean) => {
    // visibilitychange is dispatched on `document`: only a capture listener on
    // `window` is sure to see it. `focus` is deliberately not captured, so focus
    // moving between fields does not count as the window waking up.
    listen(target, [VISIBILITY_CHANGE], onEvent, on)
    listen(target, WAKE_EVENTS, onEvent, on, false)
  }
  toggle(true)
  return () => toggle(false)
}
