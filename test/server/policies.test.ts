import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError, describePolicy, loadConfig } from '../../server/config'
import { ADA, ALAN, makeServer, type TestServer } from './helpers'

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
const GRACE = { identifier: 'grace@example.com', password: 'password' }

/** The lines a start-up with this environment prints after "Invalid sessionkit server configuration:". */
function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as ConfigError).problems
  }
  throw new Error('expected a ConfigError')
}

let server: TestServer | undefined
afterEach(() => {
  server?.close()
  server = undefined
})

describe('policy presets', () => {
  it('web: 30 min inactivity, 7 days at most, several accounts, many devices', () => {
    const config = loadConfig({ SESSIONKIT_POLICY: 'web' })
    expect(config.policyName).toBe('web')
    expect(config.policy).toEqual({ inactivityTimeoutMs: 30 * MIN, maxLifetimeMs: 7 * DAY, multiSession: true, singleDevice: false })
  })

  it('high-security: 15 min, 24 h, one account, one device', () => {
    const config = loadConfig({ SESSIONKIT_POLICY: 'high-security' })
    expect(config.policy).toEqual({ inactivityTimeoutMs: 15 * MIN, maxLifetimeMs: DAY, multiSession: false, singleDevice: true })
  })

  it('lets each explicit variable override the preset', () => {
    const config = loadConfig({
      SESSIONKIT_POLICY: 'high-security',
      SESSIONKIT_INACTIVITY_TIMEOUT: '5m',
      SESSIONKIT_MAX_LIFETIME: 'off',
      SESSIONKIT_MULTI_SESSION: '1',
      SESSIONKIT_SINGLE_DEVICE: '0',
    })
    expect(config.policy).toEqual({ inactivityTimeoutMs: 5 * MIN, maxLifetimeMs: null, multiSession: true, singleDevice: false })
    expect(loadConfig({ SESSIONKIT_POLICY: 'web', SESSIONKIT_SINGLE_DEVICE: '1' }).policy.singleDevice).toBe(true)
  })

  it("keeps today's defaults without a preset, and the demo's short lifetimes (npm start) still start", () => {
    expect(loadConfig({}).policy).toEqual({ inactivityTimeoutMs: 7 * DAY, maxLifetimeMs: 7 * DAY, multiSession: true, singleDevice: false })
    const demo = loadConfig({ SESSIONKIT_INACTIVITY_TIMEOUT: '2m', SESSIONKIT_MAX_LIFETIME: '15m', SESSIONKIT_TOKEN_LIFETIME: '60s' })
    expect(demo.policy).toMatchObject({ inactivityTimeoutMs: 2 * MIN, maxLifetimeMs: 15 * MIN })
    expect(demo.warnBeforeMs).toBe(60_000)
  })

  it('says the policy in force in the start-up log', () => {
    expect(describePolicy(loadConfig({ SESSIONKIT_POLICY: 'high-security' }))).toBe(
      'high-security: 15m inactivity, 1d maximum, warning 1m before, one account per browser, one device at a time',
    )
    expect(describePolicy(loadConfig({ SESSIONKIT_MAX_LIFETIME: 'off' }))).toBe(
      'default: 7d inactivity, no maximum, warning 1m before, several accounts per browser, many devices',
    )
  })

  it('reports the policy in force, flags included, in GET /v1/client', async () => {
    server = makeServer({ SESSIONKIT_POLICY: 'high-security' })
    const client = (await server.browser().call('GET', '/v1/client')).json.data
    expect(client.policy).toEqual({ inactivityTimeoutMs: 15 * MIN, maxLifetimeMs: DAY, multiSession: false, singleDevice: true })
  })
})

describe('bad combinations fail at start with one clear line', () => {
  it('an unknown preset', () => {
    expect(problemsOf({ SESSIONKIT_POLICY: 'strict' })).toEqual([
      'SESSIONKIT_POLICY must be "web" or "high-security" (or left out for 7d inactivity / 7d maximum); got "strict".',
    ])
  })

  it('both limits off, also when a preset had set them', () => {
    for (const preset of [{}, { SESSIONKIT_POLICY: 'web' }] as Record<string, string>[]) {
      const problems = problemsOf({ ...preset, SESSIONKIT_INACTIVITY_TIMEOUT: 'off', SESSIONKIT_MAX_LIFETIME: 'off' })
      expect(problems).toHaveLength(1)
      expect(problems[0]).toMatch(/^SESSIONKIT_INACTIVITY_TIMEOUT and SESSIONKIT_MAX_LIFETIME are both "off"\. .*would let a session live forever/)
    }
  })

  it('a maximum lifetime no longer than the warning', () => {
    expect(problemsOf({ SESSIONKIT_MAX_LIFETIME: '30s' })).toEqual([
      'SESSIONKIT_MAX_LIFETIME (30s) must be longer than SESSIONKIT_WARN_BEFORE (1m): otherwise the warning opens at sign-in. Raise the maximum lifetime or shorten the warning.',
    ])
    expect(problemsOf({ SESSIONKIT_POLICY: 'high-security', SESSIONKIT_WARN_BEFORE: '1d' })).toEqual([
      'SESSIONKIT_MAX_LIFETIME (1d) must be longer than SESSIONKIT_WARN_BEFORE (1d) (SESSIONKIT_POLICY=high-security sets them unless overridden): otherwise the warning opens at sign-in. Raise the maximum lifetime or shorten the warning.',
    ])
    // A shorter warning makes the same maximum fine.
    expect(loadConfig({ SESSIONKIT_MAX_LIFETIME: '30s', SESSIONKIT_WARN_BEFORE: '10s' }).warnBeforeMs).toBe(10_000)
  })

  it('a malformed warning or flag', () => {
    expect(problemsOf({ SESSIONKIT_WARN_BEFORE: 'soon' })).toEqual([
      'SESSIONKIT_WARN_BEFORE must be a duration from 1ms to 1d, such as 60s or 2m; got "soon".',
    ])
    expect(problemsOf({ SESSIONKIT_SINGLE_DEVICE: 'yes' })).toEqual(['SESSIONKIT_SINGLE_DEVICE must be 1 (on) or 0 (off); got "yes".'])
    expect(problemsOf({ SESSIONKIT_MULTI_SESSION: 'true' })).toEqual(['SESSIONKIT_MULTI_SESSION must be 1 (on) or 0 (off); got "true".'])
  })

  it('prints each problem on its own line under one heading', () => {
    expect(() => loadConfig({ SESSIONKIT_POLICY: 'strict' })).toThrow(
      /^Invalid sessionkit server configuration:\n- SESSIONKIT_POLICY must be "web" or "high-security" [^\n]*\.$/,
    )
  })
})

describe('one device at a time (singleDevice)', () => {
  it('ends the sessions on other devices as replaced; their touch, token and client answer say so', async () => {
    server = makeServer({ SESSIONKIT_POLICY: 'high-security' })
    const deviceA = server.browser()
    const deviceB = server.browser()
    const elsewhere = server.browser()
    const a = await deviceA.signedInSessionId(ADA)
    const alan = await elsewhere.signedInSessionId(ALAN)
    const tokenA = (await deviceA.token(a)).json.data.jwt
    expect((await deviceA.call('GET', '/api/me', { headers: { authorization: `Bearer ${tokenA}` } })).status).toBe(200)

    server.clock.advance(MIN)
    const b = await deviceB.signedInSessionId(ADA)

    const clientA = (await deviceA.call('GET', '/v1/client')).json.data
    expect(clientA.lastActiveSessionId).toBeNull()
    expect(clientA.sessions).toEqual([expect.objectContaining({ id: a, status: 'replaced', updatedAt: server.clock.time })])
    for (const res of [await deviceA.call('POST', `/v1/client/sessions/${a}/touch`), await deviceA.token(a)]) {
      expect(res.status).toBe(401)
      expect(res.json.errors).toEqual([{ code: 'session_replaced', message: expect.stringMatching(/signed in on another device/) }])
    }
    // The token minted before the replacement is refused from that moment on.
    const me = await deviceA.call('GET', '/api/me', { headers: { authorization: `Bearer ${tokenA}` } })
    expect(me.status).toBe(401)
    expect(me.json.errors[0].code).toBe('unauthenticated')

    // Device B and other users are untouched.
    expect((await deviceB.call('POST', `/v1/client/sessions/${b}/touch`)).status).toBe(200)
    expect((await elsewhere.call('POST', `/v1/client/sessions/${alan}/touch`)).status).toBe(200)
  })

  it('keeps sessions on other devices without the flag (web)', async () => {
    server = makeServer({ SESSIONKIT_POLICY: 'web' })
    const deviceA = server.browser()
    const a = await deviceA.signedInSessionId(ADA)
    await server.browser().signedInSessionId(ADA)
    expect((await deviceA.call('POST', `/v1/client/sessions/${a}/touch`)).status).toBe(200)
  })

  it('leaves impersonation out: support acting as the user neither replaces nor is replaced', async () => {
    server = makeServer({ SESSIONKIT_POLICY: 'high-security' })
    const own = server.browser()
    const support = server.browser()
    const ada = await own.signedInSessionId(ADA)
    const acting = (await support.signIn(GRACE, { actAs: ADA.identifier })).json.data.lastActiveSessionId
    expect((await own.call('POST', `/v1/client/sessions/${ada}/touch`)).status).toBe(200)
    await server.browser().signedInSessionId(ADA)
    expect((await own.call('POST', `/v1/client/sessions/${ada}/touch`)).json.errors[0].code).toBe('session_replaced')
    expect((await support.call('POST', `/v1/client/sessions/${acting}/touch`)).status).toBe(200)
  })
})

describe('multi-session off', () => {
  it('keeps one account per browser: signing in as someone else signs the other out here', async () => {
    server = makeServer({ SESSIONKIT_POLICY: 'high-security' })
    const browser = server.browser()
    const ada = await browser.signedInSessionId(ADA)
    const client = (await browser.signIn(ALAN)).json.data
    expect(client.sessions.map((s: { id: string; status: string }) => [s.id === ada ? 'ada' : 'alan', s.status])).toEqual([
      ['ada', 'ended'],
      ['alan', 'active'],
    ])
    expect(client.lastActiveSessionId).not.toBe(ada)
  })

  it('keeps both accounts with multi-session on', async () => {
    server = makeServer({ SESSIONKIT_POLICY: 'web' })
    const browser = server.browser()
    await browser.signIn(ADA)
    const client = (await browser.signIn(ALAN)).json.data
    expect(client.sessions.map((s: { status: string }) => s.status)).toEqual(['active', 'active'])
  })
})
