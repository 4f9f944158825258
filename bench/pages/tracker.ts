// Page (c): sessionkit's ActivityTracker as the session client uses it:
// target window, default events, 1 s throttle, one subscriber.
import { ActivityTracker } from '../../src/core/activity'
import { systemClock } from '../../src/core/clock'

const tracker = new ActivityTracker({ clock: systemClock, target: window, throttleMs: 1_000 })
let notified = 0
tracker.subscribe(() => {
  notified++
})
;(window as unknown as { __pageInfo: () => unknown }).__pageInfo = () => ({ notified, lastActivityAt: tracker.lastActivityAt })
