/** Why the page may have been asleep, or why the network may be back (or gone). */
export type WakeKind = 'visible' | 'focus' | 'pageshow' | 'online' | 'offline'

// visibilitychange is dispatched on `document`: only a capture listener on
// `window` is sure to see it. `focus` is deliberately not captured, so focus
// moving between fields does not count as the window waking up.
const CAPTURE: AddEventListenerOptions = Object.freeze({ capture: true, passive: true })
const AT_TARGET: AddEventListenerOptions = Object.freeze({ capture: false, passive: true })

/**
 * Calls `onWake` when the page comes back (tab visible, window focused, page
 * restored from the back/forward cache) or the network changes, so the caller
 * can re-derive every deadline from the clock and retry at once. Timers are
 * paused or late while a computer sleeps; these events are how a page learns
 * that it woke. `target` is usually `window`; null attaches nothing. Returns a
 * function that detaches every listener.
 */
export function watchWakeEvents(target: EventTarget | null, onWake: (kind: WakeKind) => void): () => void {
  if (!target) return () => {}
  const onVisibilityChange = () => {
    // Going hidden is not a wake-up.
    if (typeof document === 'undefined' || document.visibilityState === 'visible') onWake('visible')
  }
  const onFocus = () => onWake('focus')
  const onPageShow = () => onWake('pageshow')
  const onOnline = () => onWake('online')
  const onOffline = () => onWake('offline')

  target.addEventListener('visibilitychange', onVisibilityChange, CAPTURE)
  target.addEventListener('focus', onFocus, AT_TARGET)
  target.addEventListener('pageshow', onPageShow, AT_TARGET)
  target.addEventListener('online', onOnline, AT_TARGET)
  target.addEventListener('offline', onOffline, AT_TARGET)

  let attached = true
  return () => {
    if (!attached) return
    attached = false
    target.removeEventListener('visibilitychange', onVisibilityChange, true)
    target.removeEventListener('focus', onFocus, false)
    target.removeEventListener('pageshow', onPageShow, false)
    target.removeEventListener('online', onOnline, false)
    target.removeEventListener('offline', onOffline, false)
  }
}
