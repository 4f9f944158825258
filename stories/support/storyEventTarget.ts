// The `eventTarget` a story world's client listens on: `window`, seen through
// a filter. Input on an element outside the story (the control bar, another
// story on the same docs page) is not this user's activity, and the world can
// deliver a browser event (`online`, `offline`) to its own client alone.

interface Registration {
  type: string
  listener: EventListenerOrEventListenerObject
  capture: boolean
  filtered: (event: Event) => void
}

const captureOf = (options?: boolean | EventListenerOptions) =>
  typeof options === 'boolean' ? options : Boolean(options?.capture)

const call = (listener: EventListenerOrEventListenerObject, event: Event) => {
  if (typeof listener === 'function') listener(event)
  else listener.handleEvent(event)
}

export class StoryEventTarget implements EventTarget {
  #registrations: Registration[] = []
  #root: HTMLElement | null = null

  /** The element the story renders in; null = every event counts. */
  setRoot(root: HTMLElement | null): void {
    this.#root = root
  }

  /** Whether an event belongs to this story: it happened in the story, or to the page as a whole. */
  #accepts(event: Event): boolean {
    const root = this.#root
    const target = event.target
    if (!root || !(target instanceof Element)) return true
    const { body, documentElement } = target.ownerDocument
    return target === body || target === documentElement || root.contains(target)
  }

  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void {
    if (!listener) return
    const capture = captureOf(options)
    if (this.#registrations.some((r) => r.type === type && r.listener === listener && r.capture === capture)) return
    const filtered = (event: Event) => {
      if (this.#accepts(event)) call(listener, event)
    }
    this.#registrations.push({ type, listener, capture, filtered })
    window.addEventListener(type, filtered, options)
  }

  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void {
    const capture = captureOf(options)
    const index = this.#registrations.findIndex((r) => r.type === type && r.listener === listener && r.capture === capture)
    if (index === -1) return
    const [registration] = this.#registrations.splice(index, 1)
    window.removeEventListener(type, registration!.filtered, capture)
  }

  /** Delivers `event` to this target's listeners only (not to `window`). */
  dispatchEvent(event: Event): boolean {
    for (const registration of this.#registrations.filter((r) => r.type === event.type)) {
      call(registration.listener, event)
    }
    return !event.defaultPrevented
  }

  /** `dispatchEvent(new Event(type))`. */
  dispatch(type: string): void {
    this.dispatchEvent(new Event(type))
  }
}
