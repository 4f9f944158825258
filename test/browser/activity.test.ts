import { describe, expect, it } from 'vitest'
import { ActivityTracker, DEFAULT_ACTIVITY_EVENTS } from '../../src/core/activity'
import { systemClock, type Clock } from '../../src/core/clock'

/** The real clock, counting `now()` calls: each one is one invocation of the tracker's listener. */
function countingSystemClock(): Clock & { reads: number } {
  const clock = {
    reads: 0,
    now() {
      clock.reads++
      return systemClock.now()
    },
    setTimeout: systemClock.setTimeout,
    clearTimeout: systemClock.clearTimeout,
  }
  return clock
}

describe('ActivityTracker in Chromium', () => {
  it('invokes its listener a handful of times for 10,000 pointer moves', () => {
    const clock = countingSystemClock()
    const tracker = new ActivityTracker({ clock, target: window, events: DEFAULT_ACTIVITY_EVENTS, throttleMs: 1_000 })
    const notified: number[] = []
    const stop = tracker.subscribe((at) => notified.push(at))
    const readsBefore = clock.reads
    const start = systemClock.now()
    try {
      for (let i = 0; i < 10_000; i++) {
        document.body.dispatchEvent(new PointerEvent('pointermove', { bubbles: true, clientX: i % 500, clientY: 10 }))
      }
    } finally {
      stop()
    }
    expect(clock.reads - readsBefore).toBeGreaterThanOrEqual(1)
    expect(clock.reads - readsBefore).toBeLessThanOrEqual(3)
    expect(notified.length).toBeLessThanOrEqual(3)
    expect(tracker.lastActivityAt).toBeGreaterThanOrEqual(start)
  })

  it('invokes its listener a handful of times for 10,000 mixed moves and key presses', () => {
    const clock = countingSystemClock()
    const tracker = new ActivityTracker({ clock, target: window, events: DEFAULT_ACTIVITY_EVENTS, throttleMs: 1_000 })
    const stop = tracker.subscribe(() => {})
    const readsBefore = clock.reads
    try {
      for (let i = 0; i < 10_000; i++) {
        const event =
          i % 5 === 0
            ? new KeyboardEvent('keydown', { bubbles: true, key: 'a' })
            : new PointerEvent('pointermove', { bubbles: true, clientX: i % 500, clientY: 10 })
        document.body.dispatchEvent(event)
      }
    } finally {
      stop()
    }
    expect(clock.reads - readsBefore).toBeLessThanOrEqual(3)
  })

  it('(control) a plain listener counted the same way sees every key press', () => {
    const clock = countingSystemClock()
    const listener = () => void clock.now()
    window.addEventListener('keydown', listener, { capture: true, passive: true })
    try {
      for (let i = 0; i < 100; i++) document.body.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, key: 'a' }))
    } finally {
      window.removeEventListener('keydown', listener, true)
    }
    expect(clock.reads).toBe(100)
  })
})
