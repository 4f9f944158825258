// A story's own little universe: a memory backend, a session client and a
// virtual clock that only moves when the story (or the viewer) says so.
// No React here: stories, play functions and other engineers' stories share it.
import { createMemoryAdapter, type MemoryAdapter, type MemoryAdapterOptions } from '../../src/adapters/memory'
import { createSessionClient } from '../../src/core/client'
import type { LifetimePolicy } from '../../src/core/lifetimes'
import type { SessionClient, SessionClientOptions } from '../../src/core/types'
import { createVirtualClock, type VirtualClock } from '../../src/core/virtualClock'
import { withStoryDevices, type StoryDevices, type StoryDevicesOptions } from './storyDevices'
import { StoryEventTarget } from './storyEventTarget'

export const SECOND = 1_000
export const MINUTE = 60 * SECOND
export const HOUR = 60 * MINUTE

/** 10 minutes of inactivity, 1 hour at most: the warning (60 s) opens 9 minutes after sign-in. */
export const STORY_POLICY: LifetimePolicy = { inactivityTimeoutMs: 10 * MINUTE, maxLifetimeMs: HOUR }

/** Virtual milliseconds per real millisecond; 0 = paused. */
export type Speed = 0 | 1 | 10 | 60
export const SPEEDS: readonly Speed[] = [0, 1, 10, 60]

/** What a story can break on purpose. */
export type SimulatedFailure = 'offline' | 'server-error' | null

/** How often the real-time driver moves the virtual clock, in real ms. */
const DRIVER_INTERVAL_MS = 250

/** True inside Vitest's browser runner: play functions then own time alone. */
const underTest = typeof globalThis !== 'undefined' && '__vitest_browser__' in globalThis

/** Options of `createStoryWorld`. Durations are milliseconds. */
export interface StoryWorldOptions {
  /** The server's lifetime policy. Default `STORY_POLICY` (10 min inactivity, 1 h at most). */
  policy?: LifetimePolicy
  /** Client-side idle limit. Default null (off). */
  idleTimeout?: number | null
  /** How long before the deadline the warning opens. Default 60,000. */
  warnBefore?: number
  /** Touch the server at most this often while active. Default: the client's (a tenth of the inactivity timeout). */
  touchInterval?: number
  /** Who is signed in at the start, in order (the last is active); `[]` = signed out. Default `'ada@example.com'`. */
  signedInAs?: string | readonly string[]
  /** How long each backend call takes, in virtual time. Default 0 (answers at once). */
  latencyMs?: number
  /** Speed of the real-time driver in the browser. Default 1. Always 0 under Vitest: play functions drive time. */
  speed?: Speed
  /** More memory adapter options (users, templates, skew...). Default none. */
  adapter?: Omit<MemoryAdapterOptions, 'clock' | 'policy' | 'signedInAs' | 'latencyMs'>
  /** The user's other devices: the client's adapter then lists and revokes them (see storyDevices.ts). Default: none, and no device methods. */
  devices?: StoryDevicesOptions
  /** More client options (leewayInSeconds, activityThrottle...). Default none. */
  client?: Omit<Partial<SessionClientOptions>, 'adapter' | 'clock' | 'eventTarget' | 'crossTab'>
  /** Runs once the first load is done and before the story renders: put the world in the state the story shows. */
  setup?: (world: StoryWorld) => void | Promise<void>
}

/** A memory backend, a session client and the virtual clock they share, with the controls stories need. */
export interface StoryWorld {
  readonly clock: VirtualClock
  readonly adapter: MemoryAdapter
  /** The device list over the memory adapter, when `options.devices` asked for one. */
  readonly devices: StoryDevices | null
  readonly client: SessionClient
  /** Virtual time when the world was created. */
  readonly startedAt: number
  /** The real-time driver's speed (0 = paused). */
  readonly speed: Speed
  /** What the adapter is currently made to fail with. */
  readonly failure: SimulatedFailure
  /** Sets the real-time driver's speed. */
  setSpeed(speed: Speed): void
  /** Moves virtual time by `ms` and lets what it started settle. Queued behind any move in progress. */
  advance(ms: number): Promise<void>
  /** Moves to the moment the warning opens (`warnBefore` ahead of the deadline). Does nothing without a deadline. */
  jumpToWarning(): Promise<void>
  /** Moves to `msBefore` ahead of the deadline (default: the deadline itself, so the session ends). */
  jumpToDeadline(msBefore?: number): Promise<void>
  /** The network goes away: every call fails with `network_error`, and the client hears `offline`. */
  goOffline(): void
  /** The network comes back: calls succeed again, and the client hears `online` (so it retries at once). */
  goOnline(): void
  /** The server answers 500 to every call (true) or works again (false); no browser event either way. */
  setServerError(failing: boolean): void
  /**
   * "Signed out in another tab": the server revokes the active session (as a
   * sign-out on another device or tab would), then this client reloads and
   * learns of it. The warning shows its signed-out notice (reason `revoked`).
   */
  signOutElsewhere(): Promise<void>
  /** Delivers a browser event (`online`, `offline`, `focus`, `visibilitychange`...) to this world's client only. */
  dispatch(type: string): void
  /** The element the story renders in: input elsewhere on the page (the control bar, other stories) is not this user's. */
  attach(element: HTMLElement | null): void
  /** Calls `listener` when virtual time moves or a control changes. */
  subscribe(listener: () => void): () => void
  /** Starts the real-time driver (at `speed`) once the client is mounted; returns a function that stops it. */
  start(): () => void
  /** Stops the driver and the client for good. */
  destroy(): void
}

/**
 * Creates a story world: signed in as Ada on a 10-minute inactivity policy
 * unless told otherwise, loaded, and put into shape by `setup`. Every timer
 * runs on the world's virtual clock; nothing waits in real time.
 */
export async function createStoryWorld(options: StoryWorldOptions = {}): Promise<StoryWorld> {
  const {
    policy = STORY_POLICY,
    idleTimeout = null,
    warnBefore = 60 * SECOND,
    touchInterval,
    signedInAs = 'ada@example.com',
    latencyMs = 0,
    speed: initialSpeed = 1,
    adapter: adapterOptions,
    devices: deviceOptions,
    client: clientOptions,
    setup,
  } = options

  const clock = createVirtualClock()
  const adapter = createMemoryAdapter({ ...adapterOptions, clock, policy, signedInAs, latencyMs })
  const devices = deviceOptions ? withStoryDevices(adapter, clock, deviceOptions) : null
  const events = new StoryEventTarget()
  const client = createSessionClient({
    ...clientOptions,
    adapter: devices?.adapter ?? adapter,
    clock,
    idleTimeout,
    warnBefore,
    ...(touchInterval === undefined ? {} : { touchInterval }),
    eventTarget: events,
    // Stories on one docs page must not elect one leader or sign each other out.
    crossTab: false,
  })

  const listeners = new Set<() => void>()
  const notify = () => {
    for (const listener of [...listeners]) listener()
  }

  // Every move of time goes through one queue, so the driver and a play
  // function never advance the clock at the same time.
  let queue: Promise<void> = Promise.resolve()
  const enqueue = (move: () => Promise<void>): Promise<void> => {
    const next = queue.then(move).finally(notify)
    queue = next.catch(() => undefined)
    return next
  }

  let speed: Speed = underTest ? 0 : initialSpeed
  let failure: SimulatedFailure = null
  let started = false
  let destroyed = false
  let interval: ReturnType<typeof setInterval> | undefined
  let lastTickAt = 0
  let owedRealMs = 0
  let driving = false

  const drive = () => {
    const now = performance.now()
    owedRealMs += now - lastTickAt
    lastTickAt = now
    // A slow advance (many timers at 60×) must not pile up moves: owe the time instead.
    if (driving) return
    const ms = owedRealMs * speed
    owedRealMs = 0
    driving = true
    void enqueue(() => clock.advanceAsync(ms)).finally(() => {
      driving = false
    })
  }
  const restartDriver = () => {
    if (interval !== undefined) clearInterval(interval)
    interval = undefined
    owedRealMs = 0
    if (!started || destroyed || speed === 0) return
    lastTickAt = performance.now()
    interval = setInterval(drive, DRIVER_INTERVAL_MS)
  }

  const toDeadline = (msBefore: number) =>
    enqueue(async () => {
      await clock.advanceAsync(0)
      const deadline = client.getState().deadline
      if (deadline === null) return
      const ms = deadline - msBefore - clock.now()
      if (ms > 0) await clock.advanceAsync(ms)
    })

  const world: StoryWorld = {
    clock,
    adapter,
    devices,
    client,
    startedAt: clock.now(),
    get speed() {
      return speed
    },
    get failure() {
      return failure
    },
    setSpeed(next) {
      if (!SPEEDS.includes(next)) throw new RangeError(`A story world runs at ${SPEEDS.join(', ')}×, not ${String(next)}.`)
      speed = next
      restartDriver()
      notify()
    },
    advance: (ms) => enqueue(() => clock.advanceAsync(ms)),
    jumpToWarning: () => toDeadline(client.options.warnBefore),
    jumpToDeadline: (msBefore = 0) => toDeadline(msBefore),
    goOffline() {
      failure = 'offline'
      adapter.fail('offline')
      events.dispatch('offline')
      notify()
    },
    goOnline() {
      failure = null
      adapter.fail(null)
      events.dispatch('online')
      notify()
    },
    setServerError(failing) {
      failure = failing ? 'server-error' : null
      adapter.fail(failing ? 'server-error' : null)
      notify()
    },
    async signOutElsewhere() {
      const sessionId = client.getState().session?.id
      if (!sessionId) return
      adapter.revokeSession(sessionId)
      await client.load().catch(() => undefined)
      notify()
    },
    dispatch: (type) => events.dispatch(type),
    attach: (element) => events.setRoot(element),
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    start() {
      started = true
      restartDriver()
      // Gone offline in `setup`, before the client listened: tell it now, as a browser would have.
      if (failure === 'offline') events.dispatch('offline')
      return () => {
        started = false
        restartDriver()
      }
    },
    destroy() {
      if (destroyed) return
      destroyed = true
      restartDriver()
      client.destroy()
      listeners.clear()
    },
  }

  await client.load().catch(() => undefined)
  await setup?.(world)
  await queue
  return world
}

/** `h:mm:ss` (or `m:ss` under an hour) for a duration in ms, rounded up to whole seconds. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / SECOND))
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = String(total % 60).padStart(2, '0')
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`
}
