// The workloads, identical on every page (served as is, not bundled).
// Events are created before the timed region and dispatched on `document`,
// so the timings hold only dispatch + whatever listeners the page has.
// Dispatching on document (path: document, window) rather than on a deep
// element keeps the browser's own per-event work small, so a listener's
// share of the total is as large as it gets: the ratios are conservative.

const MIXES = {
  // 40/40/20 %: a mouse move is a pointermove and a mousemove; every fifth event is a key.
  mixed: ['pointermove', 'mousemove', 'pointermove', 'mousemove', 'keydown'],
  // Only the high-frequency pointer events of a moving mouse.
  pointer: ['pointermove', 'mousemove'],
}

/** `count` events cycling through the types of `mix`. */
function makeEvents(count, mix = 'mixed') {
  const types = MIXES[mix]
  const events = new Array(count)
  for (let i = 0; i < count; i++) {
    const type = types[i % types.length]
    const x = 10 + (i % 400)
    const y = 10 + ((i >> 3) % 300)
    if (type === 'keydown') {
      events[i] = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, composed: true, key: 'a', code: 'KeyA' })
    } else if (type === 'pointermove') {
      events[i] = new PointerEvent('pointermove', {
        bubbles: true, cancelable: true, composed: true, pointerId: 1, pointerType: 'mouse', isPrimary: true, clientX: x, clientY: y,
      })
    } else {
      events[i] = new MouseEvent('mousemove', { bubbles: true, cancelable: true, composed: true, clientX: x, clientY: y })
    }
  }
  return events
}

const target = document
let prepared = null

window.__bench = {
  /** Untimed: lets V8 and Blink warm the dispatch paths (and the page's listeners). */
  warmup(count) {
    for (const event of makeEvents(count)) target.dispatchEvent(event)
  },
  /** Creates the events of the next workload, outside any timing. */
  prepare(count, mix) {
    prepared = makeEvents(count, mix)
    return prepared.length
  },
  /**
   * The prepared events spread over `spanMs` in requestAnimationFrame batches:
   * each frame dispatches the events due by then. Sums performance.now() around the batches.
   */
  spread(spanMs) {
    const events = prepared
    prepared = null
    return new Promise((resolve) => {
      let sent = 0
      let frames = 0
      let dispatchMs = 0
      let maxBatchMs = 0
      const start = performance.now()
      const frame = (now) => {
        const due = Math.min(events.length, Math.ceil(((now - start) / spanMs) * events.length))
        if (due > sent) {
          frames++
          const t0 = performance.now()
          for (let i = sent; i < due; i++) target.dispatchEvent(events[i])
          const took = performance.now() - t0
          dispatchMs += took
          if (took > maxBatchMs) maxBatchMs = took
          sent = due
        }
        if (sent < events.length) requestAnimationFrame(frame)
        else resolve({ dispatchMs, frames, maxBatchMs, spanMs: performance.now() - start })
      }
      requestAnimationFrame(frame)
    })
  },
  /** The prepared events in one synchronous loop. */
  tight() {
    const events = prepared
    prepared = null
    const t0 = performance.now()
    for (let i = 0; i < events.length; i++) target.dispatchEvent(events[i])
    return { dispatchMs: performance.now() - t0 }
  },
  /** Page facts for sanity checks (crossOriginIsolated = 5 µs timer). */
  info() {
    return { crossOriginIsolated: self.crossOriginIsolated, page: window.__pageInfo?.() }
  },
}
