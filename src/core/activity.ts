import type { Clock, TimerHandle } from './clock'
import { SessionKitError } from './errors'

/** Input events that count as activity by default. */
export const DEFAULT_ACTIVITY_EVENTS: readonly string[] = Object.freeze([
  'pointerdown',
  'pointermove',
  'keydown',
  'wheel',
  'touchstart',
  'scroll',
  'focus',
  'visibilitychange',
])

/** How often subscribers learn of activity at most, in ms. Default 1,000. */
export const DEFAULT_ACTIVITY_THROTTLE_MS = 1_000

// Capture: activity counts even where the app stops propagation.
// Passive: never delays scrolling. One shared object: no allocation per attach.
const LISTENER_OPTIONS: AddEventListenerOptions = Object.freeze({ capture: true, passive: true })

/** Options of `ActivityTracker`. */
export interface ActivityTrackerOptions {
  /** Source of time and of the throttle timer. */
  clock: Clock
  /** Where input is listened for, usually `window`; null (SSR, tests) attaches nothing. */
  target: EventTarget | null
  /** Input events that count as activity. Default: `DEFAULT_ACTIVITY_EVENTS`. */
  events?: readonly string[]
  /** Subscribers learn of activity at most once per this many ms. Default 1,000. */
  throttleMs?: number
}

/** Called with the time of the latest input, at most once per throttle window. */
export type ActivityListener = (lastActivityAt: number) => void

/**
 * Records when the user last did something, as cheaply as the browser allows:
 * the first input of a throttle window writes one timestamp and takes the
 * listeners off; they come back when the window ends. Steady input thus costs
 * about one listener call per window, whatever its rate, and timestamps are
 * accurate to the window (1 s by default). Subscribers hear of it at most once
 * per window. Listeners are attached while someone is subscribed.
 */
export class ActivityTracker {
  readonly #clock: Clock
  readonly #target: EventTarget | null
  /** Every listened event but visibilitychange: they take turns with the throttle window. */
  readonly #inputEvents: readonly string[]
  readonly #listensForVisibility: boolean
  readonly #throttleMs: number
  readonly #listeners = new Set<ActivityListener>()

  #last: number
  /** The timestamp subscribers were last told; a window ends quietly when nothing newer came. */
  #reported: number
  #windowOpen = false
  #windowTimer: TimerHandle | undefined
  #inputAttached = false

  // Bound once here so the hot path never creates a closure.
  readonly #onInput: () => void
  readonly #onVisibilityChange: () => void
  readonly #onWindowEnd: () => void

  constructor(options: ActivityTrackerOptions) {
    const { clock, target, events = DEFAULT_ACTIVITY_EVENTS, throttleMs = DEFAULT_ACTIVITY_THROTTLE_MS } = options
    if (!(throttleMs >= 0) || !Number.isFinite(throttleMs)) {
      throw new SessionKitError(
        'invalid_option',
        `activityThrottle must be a finite number of milliseconds, 0 or more; got ${throttleMs}.`,
      )
    }
    this.#clock = clock
    this.#target = target
    this.#throttleMs = throttleMs
    const unique = [...new Set(events)]
    this.#listensForVisibility = unique.includes('visibilitychange')
    this.#inputEvents = unique.filter((type) => type !== 'visibilitychange')
    this.#last = clock.now()
    this.#reported = this.#last

    this.#onInput = () => {
      this.#last = this.#clock.now()
      // Most of what a listener costs is the browser invoking it at all. The
      // rest of this window would only sharpen the timestamp by under
      // `throttleMs`: not worth a call per key press or per frame of movement.
      this.#detachInput()
      if (!this.#windowOpen) this.#lead()
    }
    this.#onVisibilityChange = () => {
      // A tab going hidden is not the user doing something.
      if (typeof document !== 'undefined' && document.visibilityState !== 'visible') return
      this.#last = this.#clock.now()
      if (!this.#windowOpen) this.#lead()
    }
    this.#onWindowEnd = () => {
      this.#windowOpen = false
      this.#windowTimer = undefined
      this.#attachInput()
      if (this.#last !== this.#reported) this.#lead()
    }
  }

  /** When the user was last active (clock time, ms). Starts at construction time. */
  get lastActivityAt(): number {
    return this.#last
  }

  /**
   * Calls `listener` with the latest input time, at most once per throttle
   * window. The first subscriber attaches the event listeners, the last one
   * to leave detaches them. Returns an unsubscribe function.
   */
  subscribe(listener: ActivityListener): () => void {
    this.#listeners.add(listener)
    if (this.#listeners.size === 1) this.#attach()
    return () => {
      if (this.#listeners.delete(listener) && this.#listeners.size === 0) this.#detach()
    }
  }

  /** Activity from code ("Stay signed in", another tab): sets the time to now and tells subscribers at once. */
  record(): void {
    this.#last = this.#clock.now()
    if (this.#listeners.size === 0) return
    if (this.#windowOpen) this.#notify()
    else this.#lead()
  }

  /** Tells subscribers now and opens a window that holds back further news until it ends. */
  #lead(): void {
    this.#windowOpen = true
    this.#windowTimer = this.#clock.setTimeout(this.#onWindowEnd, this.#throttleMs)
    this.#notify()
  }

  #notify(): void {
    const at = this.#last
    this.#reported = at
    for (const listener of this.#listeners) listener(at)
  }

  #attach(): void {
    const target = this.#target
    if (!target) return
    if (this.#listensForVisibility) {
      target.addEventListener('visibilitychange', this.#onVisibilityChange, LISTENER_OPTIONS)
    }
    this.#attachInput()
  }

  #detach(): void {
    if (this.#windowTimer !== undefined) this.#clock.clearTimeout(this.#windowTimer)
    this.#windowTimer = undefined
    this.#windowOpen = false
    const target = this.#target
    if (!target) return
    if (this.#listensForVisibility) target.removeEventListener('visibilitychange', this.#onVisibilityChange, true)
    this.#detachInput()
  }

  #attachInput(): void {
    const target = this.#target
    if (this.#inputAttached || !target || this.#listeners.size === 0) return
    this.#inputAttached = true
    for (const type of this.#inputEvents) target.addEventListener(type, this.#onInput, LISTENER_OPTIONS)
  }

  #detachInput(): void {
    const target = this.#target
    if (!this.#inputAttached || !target) return
    this.#inputAttached = false
    for (const type of this.#inputEvents) target.removeEventListener(type, this.#onInput, true)
  }
}
