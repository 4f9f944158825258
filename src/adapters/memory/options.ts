import type { Clock } from '../../core/clock'
import { systemClock } from '../../core/clock'
import { SessionKitError } from '../../core/errors'
import { DEFAULT_POLICY, type LifetimePolicy, validatePolicy } from '../../core/lifetimes'
import { DEFAULT_TEMPLATES, type TokenTemplate } from './tokens'
import { DEMO_USERS, type MemoryUser } from './users'

/** Options of `createMemoryAdapter`. Durations are milliseconds. */
export interface MemoryAdapterOptions {
  /** Source of time and of the latency timers. Default: the system clock. */
  clock?: Clock
  /** How far the server's clock runs ahead of `clock` (negative = behind); server time is `clock.now() + serverSkewMs`. Default 0. */
  serverSkewMs?: number
  /** The lifetime policy the server enforces; checked with `validatePolicy`. Default `DEFAULT_POLICY` (7 days each). */
  policy?: LifetimePolicy
  /** Lifetime of minted tokens, in whole seconds' worth of ms (at least 1,000). Default 60,000. */
  tokenLifetimeMs?: number
  /** Who can sign in. Default `DEMO_USERS`. */
  users?: readonly MemoryUser[]
  /** Token templates by name, added to (or replacing) the built-in `profile` (email, name). Default none. */
  templates?: Record<string, TokenTemplate>
  /** Identifiers signed in when the adapter is created, in order; the last is active. Default none (signed out). */
  signedInAs?: string | readonly string[]
  /** How long each call takes on `clock`; the server acts halfway through. Default 0 (answers in a microtask). */
  latencyMs?: number
  /** The adapter's `key` (tabs talking to the same key share state). Default `'memory'`. */
  key?: string
}

/** The options with defaults applied and checked. */
export interface ResolvedMemoryOptions {
  clock: Clock
  serverSkewMs: number
  policy: LifetimePolicy
  tokenLifetimeMs: number
  users: readonly MemoryUser[]
  templates: Readonly<Record<string, TokenTemplate>>
  signedInAs: readonly string[]
  latencyMs: number
  key: string
}

export function resolveMemoryOptions(options: MemoryAdapterOptions = {}): ResolvedMemoryOptions {
  const {
    clock = systemClock,
    serverSkewMs = 0,
    policy = DEFAULT_POLICY,
    tokenLifetimeMs = 60_000,
    users = DEMO_USERS,
    templates = {},
    signedInAs = [],
    latencyMs = 0,
    key = 'memory',
  } = options
  if (typeof clock?.now !== 'function' || typeof clock.setTimeout !== 'function') {
    throw invalid('`clock` must be a Clock (now, setTimeout, clearTimeout), such as `createVirtualClock()`.')
  }
  if (!Number.isFinite(serverSkewMs)) {
    throw invalid(`\`serverSkewMs\` must be a finite number of milliseconds; got ${String(serverSkewMs)}.`)
  }
  if (!Number.isFinite(tokenLifetimeMs) || tokenLifetimeMs < 1_000) {
    throw invalid(`\`tokenLifetimeMs\` must be at least 1,000 (tokens count in whole seconds); got ${String(tokenLifetimeMs)}.`)
  }
  if (!Number.isFinite(latencyMs) || latencyMs < 0) {
    throw invalid(`\`latencyMs\` must be 0 or more milliseconds; got ${String(latencyMs)}.`)
  }
  if (typeof key !== 'string' || key === '') throw invalid('`key` must be a non-empty string.')
  for (const [name, template] of Object.entries(templates)) {
    if (typeof template !== 'function') throw invalid(`Token template "${name}" must be a function of the user.`)
  }
  return {
    clock,
    serverSkewMs,
    policy: { ...validatePolicy(policy) },
    tokenLifetimeMs,
    users,
    templates: { ...DEFAULT_TEMPLATES, ...templates },
    signedInAs: typeof signedInAs === 'string' ? [signedInAs] : [...signedInAs],
    latencyMs,
    key,
  }
}

function invalid(message: string): SessionKitError {
  return new SessionKitError('invalid_option', `createMemoryAdapter: ${message}`)
}
