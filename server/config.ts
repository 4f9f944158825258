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
  /** The lifetimes and flags in force, as `GET /v1/client` reports them (flags always present). */
  policy: Required<LifetimePolicy>
  /** The preset named by SESSIONKIT_POLICY, or `null` for the built-in defaults (7 d / 7 d). */
  policyName: PolicyName | null
  /**
   * How long before a deadline the client warns (SESSIONKIT_WARN_BEFORE, default 60 s). The
   * server only checks the policy against it (a maximum lifetime must be longer); the app's
   * `warnBefore` option should match it.
   */
  warnBeforeMs: number
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

/** The names SESSIONKIT_POLICY accepts. */
export type PolicyName = keyof typeof POLICY_PRESETS

/**
 * The presets the configuration guide recommends. Any SESSIONKIT_* variable
 * set alongside overrides the preset's value for it.
 */
export const POLICY_PRESETS = {
  /** A web app: 30 min of inactivity, 7 days at most, several accounts, many devices. */
  web: { inactivityTimeoutMs: 30 * UNITS.m!, maxLifetimeMs: 7 * UNITS.d!, multiSession: true, singleDevice: false },
  /** A high-security app: 15 min, 24 h, one account and one device at a time. */
  'high-security': { inactivityTimeoutMs: 15 * UNITS.m!, maxLifetimeMs: 24 * UNITS.h!, multiSession: false, singleDevice: true },
} satisfies Record<string, Required<LifetimePolicy>>

/** Without SESSIONKIT_POLICY: Clerk's defaults, as before presets existed. */
const DEFAULT_SERVER_POLICY: Required<LifetimePolicy> = {
  inactivityTimeoutMs: 7 * UNITS.d!,
  maxLifetimeMs: 7 * UNITS.d!,
  multiSession: true,
  singleDevice: false,
}

/** Reads and validates the configuration; throws one ConfigError listing every problem. */
export function loadConfig(env: Env = process.env): ServerConfig {
  const problems: string[] = []
  const read = (name: string) => {
    const value = env[name]?.trim()
    return value === undefined || value === '' ? undefined : value
  }

  const port = parsePort(read('SESSIONKIT_PORT'), problems)
  const { name: policyName, preset } = parsePreset(read('SESSIONKIT_POLICY'), problems)
  const lifetime = (name: string, fallback: number | null) => parseLifetime(name, read(name), fallback, problems)
  const inactivityTimeoutMs = lifetime('SESSIONKIT_INACTIVITY_TIMEOUT', preset.inactivityTimeoutMs)
  const maxLifetimeMs = lifetime('SESSIONKIT_MAX_LIFETIME', preset.maxLifetimeMs)
  const warnBeforeMs = parseWarnBefore(read('SESSIONKIT_WARN_BEFORE'), problems)
  const flag = (name: string, fallback: boolean) => parseFlag(name, read(name), problems, fallback)
  const multiSession = flag('SESSIONKIT_MULTI_SESSION', preset.multiSession)
  const singleDevice = flag('SESSIONKIT_SINGLE_DEVICE', preset.singleDevice)
  const tokenLifetimeMs = parseTokenLifetime(read('SESSIONKIT_TOKEN_LIFETIME'), problems)

  // Combinations: one line each, naming the variables to change.
  if (inactivityTimeoutMs !== undefined && maxLifetimeMs !== undefined) {
    const source = policyName === null ? '' : ` (SESSIONKIT_POLICY=${policyName} sets them unless overridden)`
    try {
      // Both-off is a policy rule, not a per-variable one: reuse the library's own check and sentence.
      validatePolicy({ inactivityTimeoutMs, maxLifetimeMs })
    } catch (error) {
      problems.push(`SESSIONKIT_INACTIVITY_TIMEOUT and SESSIONKIT_MAX_LIFETIME are both "off". ${(error as Error).message}`)
    }
    if (maxLifetimeMs !== null && warnBeforeMs !== undefined && maxLifetimeMs <= warnBeforeMs) {
      problems.push(
        `SESSIONKIT_MAX_LIFETIME (${formatDuration(maxLifetimeMs)}) must be longer than SESSIONKIT_WARN_BEFORE (${formatDuration(warnBeforeMs)})${source}: otherwise the warning opens at sign-in. Raise the maximum lifetime or shorten the warning.`,
      )
    }
  }

  const config: ServerConfig = {
    port,
    host: read('SESSIONKIT_HOST') ?? '127.0.0.1',
    dataDir: path.resolve(read('SESSIONKIT_DATA') ?? '.data/'),
    policy: { inactivityTimeoutMs: inactivityTimeoutMs ?? null, maxLifetimeMs: maxLifetimeMs ?? null, multiSession, singleDevice },
    policyName,
    warnBeforeMs: warnBeforeMs ?? 60_000,
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

function parseFlag(name: string, value: string | undefined, problems: string[], fallback = false): boolean {
  if (value === undefined) return fallback
  if (value === '0') return false
  if (value === '1') return true
  problems.push(`${name} must be 1 (on) or 0 (off); got "${value}".`)
  return fallback
}

function parsePreset(value: string | undefined, problems: string[]): { name: PolicyName | null; preset: Required<LifetimePolicy> } {
  if (value === undefined) return { name: null, preset: DEFAULT_SERVER_POLICY }
  if (Object.hasOwn(POLICY_PRESETS, value)) return { name: value as PolicyName, preset: POLICY_PRESETS[value as PolicyName] }
  const names = Object.keys(POLICY_PRESETS).map((name) => `"${name}"`).join(' or ')
  problems.push(`SESSIONKIT_POLICY must be ${names} (or left out for 7d inactivity / 7d maximum); got "${value}".`)
  return { name: null, preset: DEFAULT_SERVER_POLICY }
}

/** `undefined` = invalid (already reported). */
function parseWarnBefore(value: string | undefined, problems: string[]): number | undefined {
  if (value === undefined) return 60_000
  const ms = parseDuration(value)
  if (ms === null || ms <= 0 || ms > UNITS.d!) {
    problems.push(`SESSIONKIT_WARN_BEFORE must be a duration from 1ms to 1d, such as 60s or 2m; got "${value}".`)
    return undefined
  }
  return ms
}

/** The largest unit that divides `ms` evenly: 86400000 → "1d", 90000 → "90s". */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) if (ms % UNITS[unit]! === 0) return `${ms / UNITS[unit]!}${unit}`
  return `${ms}ms`
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

/** The policy in force in words, for the start-up log: "web: 30m inactivity, 7d maximum, several accounts, many devices". */
export function describePolicy({ policy, policyName, warnBeforeMs }: ServerConfig): string {
  const limit = (ms: number | null, what: string) => (ms === null ? `no ${what}` : `${formatDuration(ms)} ${what}`)
  return [
    `${policyName ?? 'default'}: ${limit(policy.inactivityTimeoutMs, 'inactivity')}`,
    limit(policy.maxLifetimeMs, 'maximum'),
    `warning ${formatDuration(warnBeforeMs)} before`,
    policy.multiSession ? 'several accounts per browser' : 'one account per browser',
    policy.singleDevice ? 'one device at a time' : 'many devices',
  ].join(', ')
}
