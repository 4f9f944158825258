import { DEFAULT_ACTIVITY_EVENTS } from './activity'
import { lacks, REQUIRED_ADAPTER_METHODS, type SessionAdapter } from './adapter'
import { systemClock, type Clock } from './clock'
import { warnOnce } from './development'
import { SessionKitError } from './errors'
import { MAX_LIFETIME_MS } from './lifetimes'
import { browserTabTransport, type TabTransport } from './tabs/transport'
import type { BeforeSignOut, ClientSnapshot, SessionClientOptions } from './types'
import { isArray, isFiniteNumber, isName, isRecord, parseClientResource } from './validate'

/** The options in force once defaults are applied. */
export interface ResolvedOptions {
  adapter: SessionAdapter
  clock: Clock
  idleTimeout: number | null
  warnBefore: number
  touchInterval: number | null
  activityEvents: readonly string[]
  activityThrottle: number
  leewayInSeconds: number
  beforeSignOut: BeforeSignOut | null
  beforeSignOutTimeout: number
  /** The server's snapshot to start from; undefined = none (load on mount), null = signed out. */
  initialClient: ClientSnapshot | null | undefined
  eventTarget: EventTarget | null
  /** How tabs meet; null = this tab works alone. */
  tabTransport: TabTransport | null
}

// Every message below is development-only text: a production build keeps the
// code and 'Invalid option.' (callers pass `process.env.NODE_ENV !== 'production' ? '…' : ''`).
// Typed on the const, so that a call narrows like a `never` function declaration's.
const invalid: (message: string) => never = (message) => {
  throw new SessionKitError('invalid_option', message || 'Invalid option.')
}

/** A number within [min, max]. The ranges used here are finite, so NaN and ±Infinity fall outside. */
const inRange = (value: unknown, min: number, max: number): value is number =>
  typeof value === 'number' && value >= min && value <= max

type DurationOption = 'idleTimeout' | 'warnBefore' | 'touchInterval' | 'activityThrottle' | 'beforeSignOutTimeout'

/** How to fix each duration option, for its development message (a production build keeps an empty table). */
const HINTS: Record<DurationOption, string> = process.env.NODE_ENV !== 'production'
  ? {
      idleTimeout: 'Use null to turn the idle limit off.',
      warnBefore: 'It is how long before the deadline the warning shows (WCAG asks for at least 20 s).',
      touchInterval: 'Leave it out for a tenth of the inactivity timeout.',
      activityThrottle: 'Leave it out for 1,000 ms.',
      beforeSignOutTimeout: 'It bounds how long saving work may hold a sign-out back; leave it out for 2,000 ms.',
    }
  : ({} as never)

/**
 * The one rule for `leewayInSeconds`, as a client option and per `getToken`
 * call: seconds from 0 to 3600 (an hour is already longer than any token).
 */
export const checkLeeway = (leewayInSeconds: unknown): number =>
  inRange(leewayInSeconds, 0, 3_600)
    ? leewayInSeconds
    : invalid(process.env.NODE_ENV !== 'production' ? `leewayInSeconds must be a number of seconds from 0 to 3600; got ${String(leewayInSeconds)}.` : '')

/** Checks a server snapshot at the one boundary where it enters: the same parser as the server's answers. */
const snapshot = (value: unknown): ClientSnapshot | null | undefined => {
  if (value == null) return value
  const { client, serverNow } = value as Partial<ClientSnapshot>
  if (!isRecord(value) || !isFiniteNumber(serverNow)) {
    invalid(
      process.env.NODE_ENV !== 'production'
        ? 'initialClient must be what GET /v1/client answers, { client, serverNow } (getClientSnapshot in sessionkit/server), or null for signed out.'
        : '',
    )
  }
  return { client: parseClientResource(client), serverNow: serverNow! }
}

/** Applies defaults and checks every option, throwing `invalid_option` with the fix. */
export const resolveOptions = (input: SessionClientOptions): ResolvedOptions => {
  if (!isRecord(input)) {
    invalid(process.env.NODE_ENV !== 'production' ? 'createSessionClient needs an options object with an adapter, e.g. { adapter: createMemoryAdapter() }.' : '')
  }
  const { adapter } = input
  if (!isRecord(adapter)) {
    invalid(
      process.env.NODE_ENV !== 'production'
        ? 'createSessionClient needs an adapter: pass createMemoryAdapter(), createHttpAdapter({ baseUrl }), createOidcAdapter({ issuer, clientId, redirectUri }) or your own SessionAdapter.'
        : '',
    )
  }
  const hasKey = isName(adapter.key)
  if (!hasKey || lacks(adapter, REQUIRED_ADAPTER_METHODS)) {
    invalid(
      process.env.NODE_ENV !== 'production'
        ? `The adapter lacks ${[...(hasKey ? [] : ['key']), ...REQUIRED_ADAPTER_METHODS.filter((m) => typeof adapter[m] !== 'function')].join(', ')}: every SessionAdapter needs key (a string naming the backend), getClient(), touchSession(sessionId) and endSession(sessionId); the rest is optional.`
        : '',
    )
  }
  const clock = input.clock ?? systemClock
  if (lacks(clock, ['now', 'setTimeout', 'clearTimeout'])) {
    invalid(process.env.NODE_ENV !== 'production' ? 'clock must have now(), setTimeout() and clearTimeout(); leave it out to use the system clock.' : '')
  }

  /** A duration option: ms within [min, max], or `fallback` when left out (null = that feature is off). */
  const duration = <F extends number | null>(name: DurationOption, fallback: F, min: number, max: number): number | F => {
    const value = (input[name] ?? fallback) as number | F
    if (value !== null && !inRange(value, min, max)) {
      invalid(process.env.NODE_ENV !== 'production' ? `${name} must be a number of milliseconds from ${min} to ${max}; got ${String(value)}. ${HINTS[name]}` : '')
    }
    return value
  }

  const idleTimeout = duration('idleTimeout', null, 1_000, MAX_LIFETIME_MS)
  const warnBefore = duration('warnBefore', 60_000, 0, MAX_LIFETIME_MS)
  if (idleTimeout !== null && warnBefore >= idleTimeout) {
    invalid(
      process.env.NODE_ENV !== 'production'
        ? `warnBefore (${warnBefore} ms) must be shorter than idleTimeout (${idleTimeout} ms), or the warning would show as soon as the user stops: lower warnBefore or raise idleTimeout.`
        : '',
    )
  }
  // Checked in this order: the first wrong option is the one reported.
  const touchInterval = duration('touchInterval', null, 1_000, MAX_LIFETIME_MS)
  const activityThrottle = duration('activityThrottle', 1_000, 1, 60_000)
  const leewayInSeconds = checkLeeway(input.leewayInSeconds ?? 10)
  const initialClient = snapshot(input.initialClient)
  const beforeSignOut = input.beforeSignOut ?? null
  if (beforeSignOut !== null && typeof beforeSignOut !== 'function') {
    invalid(process.env.NODE_ENV !== 'production' ? 'beforeSignOut must be a function (info) => Promise<void> | void, or left out.' : '')
  }
  const beforeSignOutTimeout = duration('beforeSignOutTimeout', 2_000, 0, 60_000)
  const activityEvents = input.activityEvents ?? DEFAULT_ACTIVITY_EVENTS
  if (!isArray(activityEvents) || !activityEvents.every(isName)) {
    invalid(process.env.NODE_ENV !== 'production' ? 'activityEvents must be an array of event names such as ["pointerdown", "keydown"].' : '')
  }
  const { crossTab = true, eventTarget } = input
  if (typeof crossTab !== 'boolean' && !(isRecord(crossTab) && !lacks(crossTab, ['channel']))) {
    invalid(process.env.NODE_ENV !== 'production' ? 'crossTab must be true, false, or a TabTransport ({ channel, locks }).' : '')
  }

  let tabTransport = crossTab === true ? browserTabTransport() : crossTab || null
  // A transport built on `navigator.locks` where the browser has no Web Locks (Safari before 15.4):
  // this tab works alone, as with the default there, rather than failing at mount.
  if (tabTransport && typeof tabTransport.locks?.request !== 'function') {
    if (process.env.NODE_ENV !== 'production') warnOnce('crossTab has no locks.request (does this browser lack Web Locks?): each tab works alone.')
    tabTransport = null
  }

  return {
    adapter,
    tabTransport,
    clock,
    idleTimeout,
    warnBefore,
    touchInterval,
    activityEvents,
    activityThrottle,
    leewayInSeconds,
    beforeSignOut,
    beforeSignOutTimeout,
    initialClient,
    // The window outside tests and server renders; null (given, or with no window) attaches nothing.
    eventTarget: eventTarget === undefined ? (globalThis.window ?? null) : eventTarget,
  }
}
