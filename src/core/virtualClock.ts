import { clampDelay, type Clock } from './clock'

/** A Clock whose time moves only when told: for tests, stories and demos. */
export interface VirtualClock extends Clock {
  /** Moves time forward by `ms`, firing every timer that falls due, in order. */
  advance(ms: number): void
  /**
   * Like `advance`, but lets async work settle after each timer (promises and
   * one event-loop turn), so what a timer starts (a touch, a token fetch)
   * completes before the next one fires.
   */
  advanceAsync(ms: number): Promise<void>
  /**
   * Moves the wall clock by `ms` without firing any timer: what a laptop lid,
   * a frozen tab or a user changing the system time looks like to a page.
   * Timers fire on the next `advance`.
   */
  jump(ms: number): void
  /** Sets the wall clock to `at` without firing timers. */
  set(at: number): void
  /** How many timers are waiting. */
  pendingTimers(): number
}

interface VirtualTimer {
  id: number
  due: number
  callback: () => void
}

/** Creates a virtual clock starting at `start` (default: 2026-01-01T00:00:00Z). */
export function createVirtualClock(start: number = Date.UTC(2026, 0, 1)): VirtualClock {
  let now = start
  let nextId = 1
  // Timers keep their own schedule: a jump moves the wall clock but a
  // sleeping computer's timers do not fire until time passes again.
  let timerTime = start
  const timers = new Map<number, VirtualTimer>()

  const nextDue = (limit: number): VirtualTimer | undefined => {
    let found: VirtualTimer | undefined
    for (const timer of timers.values()) {
      if (timer.due <= limit && (!found || timer.due < found.due || (timer.due === found.due && timer.id < found.id))) {
        found = timer
      }
    }
    return found
  }

  const step = (target: number): boolean => {
    const timer = nextDue(target)
    if (!timer) return false
    timers.delete(timer.id)
    const delta = timer.due - timerTime
    timerTime = timer.due
    now += delta
    timer.callback()
    return true
  }

  const checkAmount = (ms: number) => {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`A virtual clock cannot move by ${ms} ms.`)
  }

  return {
    now: () => now,
    setTimeout(callback, ms) {
      const id = nextId++
      timers.set(id, { id, due: timerTime + clampDelay(ms), callback })
      return id
    },
    clearTimeout(handle) {
      timers.delete(handle as number)
    },
    advance(ms) {
      checkAmount(ms)
      const target = timerTime + ms
      while (step(target)) {
        /* fire every due timer in order */
      }
      now += target - timerTime
      timerTime = target
    },
    async advanceAsync(ms) {
      checkAmount(ms)
      const target = timerTime + ms
      await flushMicrotasks()
      while (step(target)) await flushMicrotasks()
      now += target - timerTime
      timerTime = target
      await flushMicrotasks()
    },
    jump(ms) {
      if (!Number.isFinite(ms)) throw new RangeError(`A virtual clock cannot jump by ${ms} ms.`)
      now += ms
    },
    set(at) {
      if (!Number.isFinite(at)) throw new RangeError(`A virtual clock cannot be set to ${at}.`)
      now = at
    },
    pendingTimers: () => timers.size,
  }
}

/**
 * Lets async work settle between timers: queued promise callbacks, and one
 * turn of the event loop for work the platform finishes off the main thread
 * (WebCrypto signing, a fetch). Uses setImmediate or a MessageChannel, which
 * do not wait the 4 ms a nested setTimeout(0) may.
 */
async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve()
  await new Promise<void>((resolve) => {
    const { setImmediate } = globalThis as { setImmediate?: (callback: () => void) => void }
    if (setImmediate) setImmediate(resolve)
    else if (typeof MessageChannel === 'function') {
      const channel = new MessageChannel()
      channel.port1.onmessage = () => {
        channel.port1.close()
        resolve()
      }
      channel.port2.postMessage(null)
    } else globalThis.setTimeout(resolve, 0)
  })
  for (let i = 0; i < 20; i++) await Promise.resolve()
}
