import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryAdapter } from '../../src/adapters/memory'
import { ActivityTracker, DEFAULT_ACTIVITY_EVENTS } from '../../src/core/activity'
import { createSessionClient } from '../../src/core/client'
import { isSessionKitError } from '../../src/core/errors'
import { createVirtualClock, type VirtualClock } from '../../src/core/virtualClock'

/** A virtual clock that counts `now()` calls: each one is one tracker listener invocation. */
function countingClock(): VirtualClock & { reads: number } {
  const clock = createVirtualClock()
  const counted = {
    ...clock,
    reads: 0,
    now() {
      counted.reads++
      return clock.now()
    },
  }
  return counted
}

/** Follows which listeners are attached to `target` right now (type, callback, capture). */
function watchListeners(target: EventTarget) {
  const attached = new Set<string>()
  const ids = new Map<unknown, number>()
  const key = (type: string, callback: unknown, options?: boolean | EventListenerOptions) => {
    if (!ids.has(callback)) ids.set(callback, ids.size)
    const capture = typeof options === 'boolean' ? options : Boolean(options?.capture)
    return `${type}:${ids.get(callback)}:${capture}`
  }
  const add = target.addEventListener.bind(target)
  const remove = target.removeEventListener.bind(target)
  const addSpy = vi.spyOn(target, 'addEventListener').mockImplementation((type, callback, options) => {
    attached.add(key(type, callback, options))
    add(type, callback, options)
  })
  const removeSpy = vi.spyOn(target, 'removeEventListener').mockImplementation((type, callback, options) => {
    attached.delete(key(type, callback, options))
    remove(type, callback, options)
  })
  return {
    types: () => [...attached].map((entry) => entry.split(':')[0]).sort(),
    addSpy,
    removeSpy,
  }
}

const dispatch = (type: string, on: EventTarget = window) => on.dispatchEvent(new Event(type, { bubbles: true }))

let visibility: DocumentVisibilityState = 'visible'
beforeEach(() => {
  visibility = 'visible'
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility })
})
afterEach(() => {
  vi.restoreAllMocks()
  Reflect.deleteProperty(document, 'visibilityState')
})

describe('ActivityTracker', () => {
  let clock: ReturnType<typeof countingClock>
  let tracker: ActivityTracker
  let notified: number[]
  let unsubscribe: () => void

  beforeEach(() => {
    clock = countingClock()
    tracker = new ActivityTracker({ clock, target: window, events: DEFAULT_ACTIVITY_EVENTS, throttleMs: 1_000 })
    notified = []
    unsubscribe = tracker.subscribe((at) => notified.push(at))
  })
  afterEach(() => unsubscribe())

  it('starts with the time it was created', () => {
    const start = clock.now()
    clock.advance(5_000)
    expect(new ActivityTracker({ clock, target: null, events: [], throttleMs: 1_000 }).lastActivityAt).toBe(
      start + 5_000,
    )
  })

  it('tells subscribers of the first input at once', () => {
    clock.advance(3_000)
    dispatch('keydown')
    expect(notified).toEqual([clock.now()])
    expect(tracker.lastActivityAt).toBe(clock.now())
  })

  it('counts input anywhere in the page, even where the app stops propagation', () => {
    const input = document.body.appendChild(document.createElement('input'))
    input.addEventListener('keydown', (event) => event.stopPropagation())
    clock.advance(10)
    input.dispatchEvent(new Event('keydown', { bubbles: true }))
    expect(notified).toEqual([clock.now()])
    input.remove()
  })

  it('counts focus moving into a field (focus does not bubble)', () => {
    const input = document.body.appendChild(document.createElement('input'))
    clock.advance(10)
    input.focus()
    expect(notified).toEqual([clock.now()])
    input.remove()
  })

  describe('given 1,000 key presses within one throttle window', () => {
    let readsBefore: number
    let first: number
    beforeEach(() => {
      first = clock.now()
      readsBefore = clock.reads
      for (let i = 0; i < 1_000; i++) {
        if (i > 0) clock.advance(0.5)
        dispatch('keydown')
      }
    })

    it('tells subscribers once while the window is open', () => {
      expect(notified).toHaveLength(1)
    })

    it('invokes its listener once: the first press, whose time it keeps', () => {
      // One clock read is one listener invocation: the rest never reached JS.
      expect(clock.reads - readsBefore).toBe(1)
      expect(tracker.lastActivityAt).toBe(first)
    })

    it('listens again when the window ends, and the next press is told at once', () => {
      clock.advance(1_000)
      expect(notified).toHaveLength(1)
      expect(clock.pendingTimers()).toBe(0)
      clock.advance(60_000)
      dispatch('pointerdown')
      expect(notified).toHaveLength(2)
      expect(notified[1]).toBe(clock.now())
    })
  })

  it('sends no trailing notice for a window without input', () => {
    dispatch('keydown')
    clock.advance(1_000)
    expect(notified).toHaveLength(1)
    expect(clock.pendingTimers()).toBe(0)
  })

  describe('given steady pointer movement', () => {
    it('invokes the listener once per window, however many events arrive', () => {
      clock.advance(100)
      const first = clock.now()
      const readsBefore = clock.reads
      for (let i = 0; i < 1_000; i++) {
        dispatch('pointermove', document.body)
        dispatch('keydown')
        dispatch('wheel')
        clock.advance(0.5)
      }
      // One clock read is one listener invocation: the rest never reached JS.
      expect(clock.reads - readsBefore).toBe(1)
      // The price: the time is that of the first move in the window.
      expect(tracker.lastActivityAt).toBe(first)
      expect(notified).toEqual([first])
    })

    it('listens again when the window ends', () => {
      dispatch('pointermove')
      clock.advance(1_000)
      clock.advance(250)
      dispatch('pointermove')
      expect(tracker.lastActivityAt).toBe(clock.now())
      expect(notified).toHaveLength(2)
    })

    it('detaches its input listeners after the first input and puts them back after the window', () => {
      unsubscribe()
      const listeners = watchListeners(window)
      unsubscribe = tracker.subscribe((at) => notified.push(at))
      expect(listeners.types()).toEqual([...DEFAULT_ACTIVITY_EVENTS].sort())

      dispatch('pointermove')
      // Only visibilitychange stays: it is rare and must see a tab coming back.
      expect(listeners.types()).toEqual(['visibilitychange'])

      clock.advance(1_000)
      expect(listeners.types()).toEqual([...DEFAULT_ACTIVITY_EVENTS].sort())
    })
  })

  describe('visibilitychange', () => {
    it('ignores a tab going hidden', () => {
      const before = tracker.lastActivityAt
      clock.advance(1_000)
      visibility = 'hidden'
      dispatch('visibilitychange', document)
      expect(tracker.lastActivityAt).toBe(before)
      expect(notified).toEqual([])
    })

    it('counts a tab coming back', () => {
      clock.advance(1_000)
      dispatch('visibilitychange', document)
      expect(tracker.lastActivityAt).toBe(clock.now())
      expect(notified).toEqual([clock.now()])
    })
  })

  describe('record()', () => {
    it('sets the time to now and tells subscribers at once, even inside a window', () => {
      dispatch('keydown')
      clock.advance(300)
      tracker.record()
      expect(notified).toEqual([clock.now() - 300, clock.now()])
      expect(tracker.lastActivityAt).toBe(clock.now())
      clock.advance(700) // nothing newer: no repeat at the end of the window
      expect(notified).toHaveLength(2)
    })

    it('opens a window, so input right after it waits for the window to end', () => {
      tracker.record()
      clock.advance(100)
      dispatch('keydown')
      expect(notified).toHaveLength(1)
      clock.advance(900)
      expect(notified).toEqual([clock.now() - 1_000, clock.now() - 900])
    })
  })

  describe('subscriptions', () => {
    it('attaches listeners for the first subscriber and removes all of them after the last', () => {
      unsubscribe()
      const listeners = watchListeners(window)
      const fresh = new ActivityTracker({ clock, target: window, events: DEFAULT_ACTIVITY_EVENTS, throttleMs: 1_000 })
      expect(listeners.types()).toEqual([])

      const stopA = fresh.subscribe(() => {})
      const stopB = fresh.subscribe(() => {})
      expect(listeners.types()).toEqual([...DEFAULT_ACTIVITY_EVENTS].sort())
      expect(listeners.addSpy).toHaveBeenCalledTimes(DEFAULT_ACTIVITY_EVENTS.length)
      for (const [, , options] of listeners.addSpy.mock.calls) {
        expect(options).toEqual({ capture: true, passive: true })
      }

      dispatch('pointermove')
      stopA()
      stopA() // twice is harmless
      expect(listeners.types()).toEqual(['visibilitychange'])
      stopB()
      expect(listeners.types()).toEqual([])
      expect(clock.pendingTimers()).toBe(0)
    })

    it('stops recording input once nobody listens', () => {
      unsubscribe()
      const before = tracker.lastActivityAt
      clock.advance(1_000)
      dispatch('keydown')
      dispatch('pointermove')
      expect(tracker.lastActivityAt).toBe(before)
      expect(clock.pendingTimers()).toBe(0)
    })

    it('cancels the window timer when the last subscriber leaves mid-window', () => {
      dispatch('keydown')
      expect(clock.pendingTimers()).toBe(1)
      unsubscribe()
      expect(clock.pendingTimers()).toBe(0)
    })

    it('starts afresh when subscribed again: the first input is told at once', () => {
      dispatch('pointermove')
      unsubscribe()
      unsubscribe = tracker.subscribe((at) => notified.push(at))
      clock.advance(10)
      dispatch('pointermove')
      expect(notified).toEqual([clock.now() - 10, clock.now()])
    })

    it('lets a subscriber unsubscribe while being told', () => {
      const seen: number[] = []
      const stop = tracker.subscribe((at) => {
        seen.push(at)
        stop()
      })
      dispatch('keydown')
      clock.advance(1_000)
      dispatch('keydown')
      expect(seen).toHaveLength(1)
      expect(notified).toHaveLength(2)
    })
  })

  it('listens only for the events it is given', () => {
    unsubscribe()
    const listeners = watchListeners(window)
    const keysOnly = new ActivityTracker({ clock, target: window, events: ['keydown', 'keydown'], throttleMs: 1_000 })
    const stop = keysOnly.subscribe(() => {})
    expect(listeners.types()).toEqual(['keydown'])
    stop()
    expect(listeners.types()).toEqual([])
  })

  it('works without a target (SSR, tests): record() still notifies', () => {
    unsubscribe()
    const bare = new ActivityTracker({ clock, target: null, events: DEFAULT_ACTIVITY_EVENTS, throttleMs: 1_000 })
    const seen: number[] = []
    const stop = bare.subscribe((at) => seen.push(at))
    clock.advance(5)
    bare.record()
    expect(seen).toEqual([clock.now()])
    expect(bare.lastActivityAt).toBe(clock.now())
    stop()
    expect(clock.pendingTimers()).toBe(0)
  })

  // The throttle is checked once, where options enter: the client's activityThrottle.
  it('rejects a negative or non-finite throttle with a sentence', () => {
    for (const activityThrottle of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      let error: unknown
      try {
        createSessionClient({ adapter: createMemoryAdapter({ clock }), clock, activityThrottle })
      } catch (caught) {
        error = caught
      }
      expect(isSessionKitError(error, 'invalid_option')).toBe(true)
      expect((error as Error).message).toMatch(/activityThrottle/)
    }
  })
})
