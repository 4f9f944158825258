/** Opaque handle returned by `Clock.setTimeout`. */
export type TimerHandle = unknown

/**
 * The one source of time for sessionkit: every deadline, timer and timestamp
 * goes through a Clock, so tests and stories can run on virtual time.
 */
export interface Clock {
  /** Milliseconds since the epoch, like `Date.now()`. */
  now(): number
  /** Runs `callback` after about `ms` milliseconds. */
  setTimeout(callback: () => void, ms: number): TimerHandle
  /** Cancels a timer; unknown or already-fired handles are ignored. */
  clearTimeout(handle: TimerHandle): void
}

/**
 * One minute in ms. It lives here because this module imports nothing, so
 * esbuild writes it in place where it is used (it keeps a constant of a
 * module with imports as a variable). Other time constants sit with the
 * module they belong to.
 */
export const MINUTE_MS = 60_000

/** `setTimeout` overflows past 2^31-1 ms (24.8 days): a longer delay fires at once. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1

/**
 * How long a deadline timer sleeps before it looks at the wall clock again.
 * A computer that sleeps pauses timers; chunking keeps us at most this late
 * after it wakes, even when no wake-up event reaches the page.
 */
export const DEADLINE_CHECK_INTERVAL_MS = 5_000

/** Clamps a delay into what `setTimeout` handles correctly: 0 to 2^31-1 ms. */
export const clampDelay = (ms: number): number => (ms > 0 ? Math.min(ms, MAX_TIMER_DELAY_MS) : 0)

/** The real clock: `Date.now` and the global timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, clampDelay(ms)),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

/**
 * A restartable timer on `clock`: each call cancels the one before and, given
 * a callback, runs it after `ms`; a call without a callback only cancels.
 */
export const restartableTimer = (clock: Clock): (callback?: () => void, ms?: number) => void => {
  let handle: TimerHandle
  return (callback, ms) => {
    clock.clearTimeout(handle)
    if (callback) handle = clock.setTimeout(callback, ms!)
  }
}

/**
 * Calls `callback` once the clock reads `at` or later. Timers fire late after
 * sleep or in throttled background tabs, and wall clocks jump; so the timer
 * is re-armed in chunks of at most `checkIntervalMs` and the clock
 * is re-read each time it fires, and the callback runs only when the real
 * time has come. Returns a cancel function.
 */
export const scheduleAt = (clock: Clock, at: number, callback: () => void, checkIntervalMs = DEADLINE_CHECK_INTERVAL_MS): () => void => {
  const timer = restartableTimer(clock)
  const wait = () => timer(check, clampDelay(Math.min(at - clock.now(), checkIntervalMs)))
  const check = () => (at > clock.now() ? wait() : callback())
  // Waits even for an already-due deadline, so callers never re-enter themselves.
  wait()
  // Clearing the timer is all cancelling takes: a clock ignores a handle that already fired.
  return () => timer()
}
