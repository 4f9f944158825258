import path from 'node:path'
import { validatePolicy, MAX_LIFETIME_MS, type LifetimePolicy } from '../src/core/lifetimes'

/** A fixed-window limit: at most `limit` requests per `windowMs`; `null` turns it off. */
export interface RateLimit {
  limit: number
  windowMs: number
}

/** Everything the reference server reads from its environment, validated. */
export interface ServerConfig {
  port: number
  host: string
  /** Directory holding the SQLite database (and so the signing key). */
  dataDir: string
  policy: LifetimePolicy
  tokenLifetimeMs: number
  /** `iss` of every token; `/api/me` rejects any other issuer. */
  issuer: string
  /** Enables `/__test/*` (clock control, request counts). Never in production. */
  testClock: boolean
  /** Honour X-Forwarded-For / X-Forwarded-Proto (only behind a proxy you run). */
  trustProxy: boolean
  /** Sign-in and reverification attempts, per client + IP. */
  signInRateLimit: RateLimit | null
  /** Touches, per client + IP. */
  touchRateLimit: RateLimit | null
  /** Built demo app to serve for non-API GETs; `null` = none. */
  staticDir: string | null
}

/** Every bad value at once, one sentence each, so a start-up fails with the full list. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  constructor(readonly problems: string[]) {
    super(`Invalid sessionkit server configuration:\n- ${problems.join('\n- ')}`)
  }
}

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }
const DURATION = /^(\d+)(ms|s|m|h|d)$/

/** `120s`, `2m`, `7d` → ms; `null` when the text is not a duration. */
export function parseDuration(text: string): number | null {
  const match = DURATION.exec(text.trim())
  if (!match) return null
  return Number(match[1]) * UNITS[match[2]!]!
}

type Env = Record<string, string | undefined>

/** Reads and validates the configuration; throws one ConfigError listing every problem. */
export function loadConfig(env: Env = process.env): ServerConfig {
  const problems: string[] = []
  const read = (name: string) => {
    const value = env[name]?.trim()
    return value === undefined || value === '' ? undefined : value
  }

  const port = parsePort(read('SESSIONKIT_PORT'), problems)
  const lifetime = (name: string, fallback: number | null) => parseLifetime(name, read(name), fallback, problems)
  const inactivityTimeoutMs = lifetime('SESSIONKIT_INACTIVITY_TIMEOUT', 7 * UNITS.d!)
  const maxLifetimeMs = lifetime('SESSIONKIT_MAX_LIFETIME', 7 * UNITS.d!)
  const tokenLifetimeMs = parseTokenLifetime(read('SESSIONKIT_TOKEN_LIFETIME'), problems)

  // Both-off is a policy rule, not a per-variable one: reuse the library's own check and sentence.
  if (inactivityTimeoutMs !== undefined && maxLifetimeMs !== undefined) {
    try {
      validatePolicy({ inactivityTimeoutMs, maxLifetimeMs })
    } catch (error) {
      problems.push(`SESSIONKIT_INACTIVITY_TIMEOUT and SESSIONKIT_MAX_LIFETIME are both "off". ${(error as Error).message}`)
    }
  }

  const config: ServerConfig = {
    port,
    host: read('SESSIONKIT_HOST') ?? '127.0.0.1',
    dataDir: path.resolve(read('SESSIONKIT_DATA') ?? '.data/'),
    policy: { inactivityTimeoutMs: inactivityTimeoutMs ?? null, maxLifetimeMs: maxLifetimeMs ?? null },
    tokenLifetimeMs,
    issuer: read('SESSIONKIT_ISSUER') ?? 'sessionkit',
    testClock: parseFlag('SESSIONKIT_TEST_CLOCK', read('SESSIONKIT_TEST_CLOCK'), problems),
    trustProxy: parseFlag('SESSIONKIT_TRUST_PROXY', read('SESSIONKIT_TRUST_PROXY'), problems),
    signInRateLimit: parseRateLimit('SESSIONKIT_RATE_LIMIT_SIGN_IN', read('SESSIONKIT_RATE_LIMIT_SIGN_IN'), '10/1m', problems),
    touchRateLimit: parseRateLimit('SESSIONKIT_RATE_LIMIT_TOUCH', read('SESSIONKIT_RATE_LIMIT_TOUCH'), '60/1m', problems),
    staticDir: read('SESSIONKIT_STATIC') === undefined ? null : path.resolve(read('SESSIONKIT_STATIC')!),
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return config
}

function parsePort(value: string | undefined, problems: string[]): number {
  if (value === undefined) return 5174
  const port = /^\d+$/.test(value) ? Number(value) : NaN
  if (!(port >= 0 && port <= 65_535)) {
    problems.push(`SESSIONKIT_PORT must be a whole number from 0 to 65535 (0 = any free port); got "${value}".`)
    return 5174
  }
  return port
}

/** `undefined` = invalid (already reported); `null` = off. */
function parseLifetime(name: string, value: string | undefined, fallback: number | null, problems: string[]) {
  if (value === undefined) return fallback
  if (value === 'off') return null
  const ms = parseDuration(value)
  if (ms === null) {
    problems.push(`${name} must be a duration such as 120s, 2m, 12h or 7d, or "off"; got "${value}".`)
    return undefined
  }
  if (ms <= 0 || ms > MAX_LIFETIME_MS) {
    problems.push(`${name} must be more than 0 and at most 400d (browsers cap cookies there), or "off"; got "${value}".`)
    return undefined
  }
  return ms
}

function parseTokenLifetime(value: string | undefined, problems: string[]): number {
  if (value === undefined) return 60_000
  const ms = parseDuration(value)
  if (value === 'off' || ms === null || ms < 1_000 || ms > UNITS.d! || ms % 1_000 !== 0) {
    problems.push(
      `SESSIONKIT_TOKEN_LIFETIME must be a whole number of seconds from 1s to 1d, such as 60s or 5m (it cannot be "off": tokens always expire); got "${value}".`,
    )
    return 60_000
  }
  return ms
}

function parseFlag(name: string, value: string | undefined, problems: string[]): boolean {
  if (value === undefined || value === '0') return false
  if (value === '1') return true
  problems.push(`${name} must be 1 (on) or 0 (off); got "${value}".`)
  return false
}

function parseRateLimit(name: string, value: string | undefined, fallback: string, problems: string[]): RateLimit | null {
  const text = value ?? fallback
  if (text === 'off') return null
  const [count, window] = text.split('/')
  const limit = /^\d+$/.test(count ?? '') ? Number(count) : 0
  const windowMs = window === undefined ? null : parseDuration(window)
  if (limit < 1 || windowMs === null || windowMs < 1_000) {
    problems.push(`${name} must look like 10/1m (requests per window of at least 1s), or "off"; got "${text}".`)
    return null
  }
  return { limit, windowMs }
}
