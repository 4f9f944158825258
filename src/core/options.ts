import { DEFAULT_ACTIVITY_EVENTS } from './activity'
import { REQUIRED_ADAPTER_METHODS, type SessionAdapter } from './adapter'
import { systemClock, type Clock } from './clock'
import { SessionKitError } from './errors'
import { MAX_LIFETIME_MS } from './lifetimes'
import { browserTabTransport, type TabTransport } from './tabs/transport'
import type { BeforeSignOut, ClientSnapshot, SessionClientOptions } from './types'
import { parseClientResource } from './validate'

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

function invalid(message: string): SessionKitError {
  return new SessionKitError('invalid_option', message)
}

/** A duration option: a finite number of ms within [min, max]. */
function duration(name: string, value: unknown, min: number, max: number, hint: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw invalid(`${name} must be a number of milliseconds from ${min} to ${max}; got ${String(value)}. ${hint}`)
  }
  return value
}

/**
 * The one rule for `leewayInSeconds`, as a client option and per `getToken`
 * call: seconds from 0 to 3600 (an hour is already longer than any token).
 */
export function checkLeeway(leewayInSeconds: unknown): number {
  if (typeof leewayInSeconds !== 'number' || !Number.isFinite(leewayInSeconds) || leewayInSeconds < 0 || leewayInSeconds > 3_600) {
    throw invalid(`leewayInSeconds must be a number of seconds from 0 to 3600; got ${String(leewayInSeconds)}.`)
  }
  return leewayInSeconds
}

/** Checks a server snapshot at the one boundary where it enters: the same parser as the server's answers. */
function snapshot(value: unknown): ClientSnapshot | null | undefined {
  if (value === undefined || value === null) return value
  const raw = value as { client?: unknown; serverNow?: unknown }
  if (typeof raw !== 'object' || typeof raw.serverNow !== 'number' || !Number.isFinite(raw.serverNow)) {
    throw invalid('initialClient must be what GET /v1/client answers, { client, serverNow } (getClientSnapshot in sessionkit/server), or null for signed out.')
  }
  return { client: parseClientResource(raw.client), serverNow: raw.serverNow }
}

/** Applies defaults and checks every option, throwing `invalid_option` with the fix. */
export function resolveOptions(input: SessionClientOptions): ResolvedOptions {
  if (input === null || typeof input !== 'object') {
    throw invalid('createSessionClient needs an options object with an adapter, e.g. { adapter: createMemoryAdapter() }.')
  }
  const { adapter } = input
  if (adapter === null || typeof adapter !== 'object') {
    throw invalid(
      'createSessionClient needs an adapter: pass createMemoryAdapter(), createHttpAdapter({ baseUrl }), createOidcAdapter({ issuer, clientId, redirectUri }) or your own SessionAdapter.',
    )
  }
  const missing: string[] = REQUIRED_ADAPTER_METHODS.filter((m) => typeof adapter[m] !== 'function')
  if (typeof adapter.key !== 'string' || adapter.key === '') missing.unshift('key')
  if (missing.length > 0) {
    throw invalid(
      `The adapter lacks ${missing.join(', ')}: every SessionAdapter needs key (a string naming the backend), getClient(), touchSession(sessionId) and endSession(sessionId); the rest is optional.`,
    )
  }
  const clock = input.clock ?? systemClock
  if (typeof clock.now !== 'function' || typeof clock.setTimeout !== 'function' || typeof clock.clearTimeout !== 'function') {
    throw invalid('clock must have now(), setTimeout() and clearTimeout(); leave it out to use the system clock.')
  }

  const idleTimeout =
    input.idleTimeout == null
      ? null
      : duration('idleTimeout', input.idleTimeout, 1_000, MAX_LIFETIME_MS, 'Use null to turn the idle limit off.')
  const warnBefore = duration(
    'warnBefore',
    input.warnBefore ?? 60_000,
    0,
    MAX_LIFETIME_MS,
    'It is how long before the deadline the warning shows (WCAG asks for at least 20 s).',
  )
  if (idleTimeout !== null && warnBefore >= idleTimeout) {
    throw invalid(
      `warnBefore (${warnBefore} ms) must be shorter than idleTimeout (${idleTimeout} ms), or the warning would show as soon as the user stops: lower warnBefore or raise idleTimeout.`,
    )
  }
  const touchInterval =
    input.touchInterval == null
      ? null
      : duration('touchInterval', input.touchInterval, 1_000, MAX_LIFETIME_MS, 'Leave it out for a tenth of the inactivity timeout.')
  const activityThrottle = duration(
    'activityThrottle',
    input.activityThrottle ?? 1_000,
    1,
    60_000,
    'Leave it out for 1,000 ms.',
  )
  const leewayInSeconds = checkLeeway(input.leewayInSeconds ?? 10)
  const initialClient = snapshot(input.initialClient)
  const beforeSignOut = input.beforeSignOut ?? null
  if (beforeSignOut !== null && typeof beforeSignOut !== 'function') {
    throw invalid('beforeSignOut must be a function (info) => Promise<void> | void, or left out.')
  }
  const beforeSignOutTimeout = duration(
    'beforeSignOutTimeout',
    input.beforeSignOutTimeout ?? 2_000,
    0,
    60_000,
    'It bounds how long saving work may hold a sign-out back; leave it out for 2,000 ms.',
  )
  const activityEvents = input.activityEvents ?? DEFAULT_ACTIVITY_EVENTS
  if (!Array.isArray(activityEvents) || activityEvents.some((e) => typeof e !== 'string' || e === '')) {
    throw invalid('activityEvents must be an array of event names such as ["pointerdown", "keydown"].')
  }
  const eventTarget =
    input.eventTarget !== undefined ? input.eventTarget : typeof window !== 'undefined' ? window : null

  const { crossTab = true } = input
  if (typeof crossTab !== 'boolean' && (typeof crossTab !== 'object' || crossTab === null || typeof crossTab.channel !== 'function')) {
    throw invalid('crossTab must be true, false, or a TabTransport ({ channel, locks }).')
  }
  const tabTransport = crossTab === false ? null : crossTab === true ? browserTabTransport() : crossTab

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
    eventTarget,
  }
}
