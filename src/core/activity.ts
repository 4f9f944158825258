import { restartableTimer, type Clock } from './clock'
import { listen, pageVisible, VISIBILITY_CHANGE } from './wakeEvents'

/**
 * Input events that count as activity by default. Not `scroll`: code scrolls too (a live feed,
 * a focused field brought into view), and an idle user must stay idle. The user's own scrolling
 * comes with a wheel, touchstart, keydown or pointerdown event.
 */
export const DEFAULT_ACTIVITY_EVENTS: readonly string[] = Object.freeze([
  'pointerdown',
  'pointermove',
  'keydown',
  'wheel',
  'touchstart',
  'focus',
  VISIBILITY_CHANGE,
])

/** How often subscribers learn of activity at most, in ms. Default 1,000. */
export const DEFAULT_ACTIVITY_THROTTLE_MS = 1_000

/** Options of `ActivityTracker`. */
export interface ActivityTrackerOptions {
  /** Source of time and of the throttle timer. */
  clock: Clock
  /** Where input is listened for, usually `window`; null (SSR, tests) attaches nothing. */
  target: EventTarget | null
  /** Input events that count as activity. Default: `DEFAULT_ACTIVITY_EVENTS`. */
  events?: readonly string[]
  /**
   * Subscribers learn of activity at most once per this many ms. Default 1,000.
   * The client passes its `activityThrottle`, checked where options enter (options.ts).
   */
  throttleMs?: number
}

/** Called with the time of the latest input, at most once per throttle window. */
export type ActivityListener = (lastActivityAt: number) => void

export interface ActivityTracker {
  /** When the user was last active (clock time, ms). Starts at construction time. */
  readonly lastActivityAt: number
  /**
   * Calls `listener` with the latest input time, at most once per throttle
   * window. The first subscriber attaches the event listeners, the last one
   * to leave detaches them. Returns an unsubscribe function.
   */
  subscribe(listener: ActivityListener): () => void
  /** Activity from code ("Stay signed in", another tab): sets the time to now and tells subscribers at once. */
  record(): void
}

/**
 * Records when the user last did something, as cheaply as the browser allows:
 * the first input of a throttle window writes one timestamp and takes the
 * listeners off; they come back when the window ends. Steady input thus costs
 * about one listener call per window, whatever its rate, and timestamps are
 * accurate to the window (1 s by default). Subscribers hear of it at most once
 * per window. Listeners are attached while someone is subscribed.
 *
 * Its state lives in the constructor's closure (a minifier renames local
 * variables, not properties); the constructor returns the tracker object.
 */
export class ActivityTracker {
  constructor({ clock, target, events = DEFAULT_ACTIVITY_EVENTS, throttleMs = DEFAULT_ACTIVITY_THROTTLE_MS }: ActivityTrackerOptions) {
    const listeners = new Set<ActivityListener>()
    // visibilitychange stays attached while anyone listens (it is rare and must
    // see a tab coming back); the other events take turns with the throttle window.
    const input = events.filter((type) => type !== VISIBILITY_CHANGE)
    let last = clock.now()
    /** The timestamp subscribers were last told; a window ends quietly when nothing newer came. */
    let reported = last
    let windowOpen = false
    const windowTimer = restartableTimer(clock)

    const notify = () => {
      const at = (reported = last)
      for (const listener of listeners) listener(at)
    }
    // Tells subscribers now and opens a window that holds back further news until it ends.
    const lead = () => {
      windowOpen = true
      windowTimer(endWindow, throttleMs)
      notify()
    }
    const endWindow = () => {
      windowOpen = false
      listen(target, input, onEvent, true)
      if (last !== reported) lead()
    }
    const onEvent = (event: Event) => {
      if (event.type !== VISIBILITY_CHANGE) {
        // Most of what a listener costs is the browser invoking it at all. The
        // rest of this window would only sharpen the timestamp by under
        // `throttleMs`: not worth a call per key press or per frame of movement.
        listen(target, input, onEvent, false)
      } else if (!pageVisible()) {
        // A tab going hidden is not the user doing something.
        return
      }
      last = clock.now()
      if (!windowOpen) lead()
    }

    return {
      get lastActivityAt() {
        return last
      },
      subscribe(listener) {
        listeners.add(listener)
        if (listeners.size === 1) listen(target, events, onEvent, true)
        return () => {
          if (listeners.delete(listener) && !listeners.size) {
            windowTimer()
            windowOpen = false
            listen(target, events, onEvent, false)
          }
        }
      },
      record() {
        last = clock.now()
        if (listeners.size) windowOpen ? notify() : lead()
      },
    }
  }
}
