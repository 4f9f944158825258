import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, parseDuration } from '../../server/config'

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as ConfigError).problems
  }
  throw new Error('expected a ConfigError')
}

describe('loadConfig', () => {
  it('has working defaults', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({
      port: 5174,
      host: '127.0.0.1',
      dataDir: path.resolve('.data'),
      policy: { inactivityTimeoutMs: 7 * 86_400_000, maxLifetimeMs: 7 * 86_400_000, multiSession: true, singleDevice: false },
      policyName: null,
      warnBeforeMs: 60_000,
      tokenLifetimeMs: 60_000,
      testClock: false,
      trustProxy: false,
      signInRateLimit: { limit: 10, windowMs: 60_000 },
      touchRateLimit: { limit: 60, windowMs: 60_000 },
      staticDir: null,
    })
  })

  it('reads durations, off and flags', () => {
    const config = loadConfig({
      SESSIONKIT_PORT: '0',
      SESSIONKIT_INACTIVITY_TIMEOUT: '120s',
      SESSIONKIT_MAX_LIFETIME: 'off',
      SESSIONKIT_TOKEN_LIFETIME: '2m',
      SESSIONKIT_TEST_CLOCK: '1',
      SESSIONKIT_RATE_LIMIT_TOUCH: 'off',
      SESSIONKIT_RATE_LIMIT_SIGN_IN: '3/30s',
    })
    expect(config.port).toBe(0)
    expect(config.policy).toEqual({ inactivityTimeoutMs: 120_000, maxLifetimeMs: null, multiSession: true, singleDevice: false })
    expect(config.tokenLifetimeMs).toBe(120_000)
    expect(config.testClock).toBe(true)
    expect(config.touchRateLimit).toBeNull()
    expect(config.signInRateLimit).toEqual({ limit: 3, windowMs: 30_000 })
  })

  it('parses each unit', () => {
    expect(parseDuration('250ms')).toBe(250)
    expect(parseDuration('2m')).toBe(120_000)
    expect(parseDuration('1h')).toBe(3_600_000)
    expect(parseDuration('7d')).toBe(604_800_000)
    expect(parseDuration('7')).toBeNull()
    expect(parseDuration('-1s')).toBeNull()
  })

  it('lists one clear sentence per bad value, all at once', () => {
    const problems = problemsOf({
      SESSIONKIT_PORT: 'eighty',
      SESSIONKIT_INACTIVITY_TIMEOUT: '10 minutes',
      SESSIONKIT_MAX_LIFETIME: '500d',
      SESSIONKIT_TOKEN_LIFETIME: 'off',
      SESSIONKIT_TEST_CLOCK: 'yes',
    })
    expect(problems).toEqual([
      'SESSIONKIT_PORT must be a whole number from 0 to 65535 (0 = any free port); got "eighty".',
      'SESSIONKIT_INACTIVITY_TIMEOUT must be a duration such as 120s, 2m, 12h or 7d, or "off"; got "10 minutes".',
      'SESSIONKIT_MAX_LIFETIME must be more than 0 and at most 400d (browsers cap cookies there), or "off"; got "500d".',
      'SESSIONKIT_TOKEN_LIFETIME must be a whole number of seconds from 1s to 1d, such as 60s or 5m (it cannot be "off": tokens always expire); got "off".',
      'SESSIONKIT_TEST_CLOCK must be 1 (on) or 0 (off); got "yes".',
    ])
  })

  it('rejects both lifetimes off with the library policy message', () => {
    const problems = problemsOf({ SESSIONKIT_INACTIVITY_TIMEOUT: 'off', SESSIONKIT_MAX_LIFETIME: 'off' })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/both "off"/)
    expect(problems[0]).toMatch(/would let a session live forever/)
  })

  it('rejects zero, fractional-second token lifetimes and malformed rate limits', () => {
    expect(problemsOf({ SESSIONKIT_INACTIVITY_TIMEOUT: '0s' })[0]).toMatch(/more than 0/)
    expect(problemsOf({ SESSIONKIT_TOKEN_LIFETIME: '1500ms' })[0]).toMatch(/whole number of seconds/)
    expect(problemsOf({ SESSIONKIT_RATE_LIMIT_TOUCH: 'lots' })[0]).toMatch(/SESSIONKIT_RATE_LIMIT_TOUCH must look like 10\/1m/)
  })

  it('puts every problem in the error message', () => {
    expect(() => loadConfig({ SESSIONKIT_PORT: '70000' })).toThrow(/Invalid sessionkit server configuration:\n- SESSIONKIT_PORT/)
  })
})
