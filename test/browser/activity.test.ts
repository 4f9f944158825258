import { describe, expect, it } from 'vitest'
import { ActivityTracker, DEFAULT_ACTIVITY_EVENTS } from '../../src/core/activity'
import { systemClock, type Clock } from '../../src/core/clock'
import { createVirtualClock } from '../../src/core/virtualClock'

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

describe("what counts as the user's activity, in Chromium", () => {
  /** A tracker on window with the default events, on a virtual clock 5 s past its start: any activity shows as a notification. */
  function watch() {
    const clock = createVirtualClock()
    const tracker = new ActivityTracker({ clock, target: window, events: DEFAULT_ACTIVITY_EVENTS, throttleMs: 1_000 })
    const notified: number[] = []
    const stop = tracker.subscribe((at) => notified.push(at))
    clock.advance(5_000)
    return { notified, stop, clock }
  }

  it('the page scrolled by code (a live feed, a field brought into view) is not activity: an idle user stays idle', async () => {
    const tall = document.body.appendChild(Object.assign(document.createElement('div'), { style: 'height: 5000px' }))
    const { notified, stop } = watch()
    try {
      const scrolled = new Promise((resolve) => window.addEventListener('scroll', resolve, { once: true }))
      window.scrollTo(0, 800)
      await scrolled
      expect(notified).toEqual([])
    } finally {
      stop()
      window.scrollTo(0, 0)
      tall.remove()
    }
  })

  it('the user scrolling is activity: the wheel, a touch, the keys', () => {
    const { notified, stop, clock } = watch()
    const scrolls = [
      new WheelEvent('wheel', { bubbles: true, deltaY: 100 }),
      new TouchEvent('touchstart', { bubbles: true }),
      new KeyboardEvent('keydown', { bubbles: true, key: 'PageDown' }),
    ]
    const times: number[] = []
    try {
      for (const event of scrolls) {
        clock.advance(1_000) // one throttle window apart: each is heard on its own
        document.body.dispatchEvent(event)
        times.push(clock.now())
      }
      expect(notified).toEqual(times)
    } finally {
      stop()
    }
  })
})
