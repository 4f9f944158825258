import { afterEach, describe, expect, it } from 'vitest'
import {
  checkAuthorization,
  reverificationChangeAt,
  verificationAgesAt,
  isReverified,
  resolveReverification,
  type AuthorizationSubject,
  type ReverificationCheck,
} from '../../src/core/authorization'
import { SessionKitError } from '../../src/core/errors'
import { DEMO_PASSWORD, DEMO_TOTP_CODE } from '../../src/adapters/memory'
import { MINUTE, setup } from './helpers'

type Ages = readonly [number, number] | null

/** [first, second] factor ages that pass and fail each preset, at its limit and one minute under. */
const PRESET_BOUNDARIES: [ReverificationCheck, { pass: Ages[]; fail: Ages[] }][] = [
  [
    'strict_mfa',
    {
      pass: [[9, 9], [0, 0]],
      // Both factors must be fresh, and a user without a second factor never passes.
      fail: [[10, 9], [9, 10], [10, 10], [0, -1], [-1, 0]],
    },
  ],
  [
    'strict',
    {
      pass: [[9, 9], [500, 9], [9, -1]],
      fail: [[0, 10], [9, 10], [10, -1], [-1, -1]],
    },
  ],
  [
    'moderate',
    {
      pass: [[0, 59], [59, -1]],
      fail: [[0, 60], [60, -1]],
    },
  ],
  [
    'lax',
    {
      pass: [[0, 1_439], [1_439, -1]],
      fail: [[0, 1_440], [1_440, -1]],
    },
  ],
]

describe('isReverified with the presets', () => {
  describe.each(PRESET_BOUNDARIES)('given %s', (preset, { pass, fail }) => {
    it.each(pass.map((ages) => [JSON.stringify(ages), ages] as const))('passes with ages %s', (_, ages) => {
      expect(isReverified(ages, preset)).toBe(true)
    })
    it.each(fail.map((ages) => [JSON.stringify(ages), ages] as const))('fails with ages %s', (_, ages) => {
      expect(isReverified(ages, preset)).toBe(false)
    })
    it('fails when the ages are unknown (null)', () => {
      expect(isReverified(null, preset)).toBe(false)
    })
  })

  it('resolves each preset to Clerk’s level and minutes', () => {
    expect(resolveReverification('strict_mfa')).toEqual({ level: 'multi_factor', afterMinutes: 10 })
    expect(resolveReverification('strict')).toEqual({ level: 'second_factor', afterMinutes: 10 })
    expect(resolveReverification('moderate')).toEqual({ level: 'second_factor', afterMinutes: 60 })
    expect(resolveReverification('lax')).toEqual({ level: 'second_factor', afterMinutes: 1_440 })
  })
})

describe('isReverified with a custom { level, afterMinutes }', () => {
  it.each([1, 2, 10, 60, 1_440, 99_998, 99_999])('first_factor within %i minutes: the limit fails, one minute under passes', (minutes) => {
    const check = { level: 'first_factor', afterMinutes: minutes } as const
    expect(isReverified([minutes - 1, -1], check)).toBe(true)
    expect(isReverified([minutes, 0], check)).toBe(false)
  })

  it('second_factor follows the second factor, or the first when none is enrolled', () => {
    const check = { level: 'second_factor', afterMinutes: 5 } as const
    expect(isReverified([100, 4], check)).toBe(true)
    expect(isReverified([0, 5], check)).toBe(false)
    expect(isReverified([4, -1], check)).toBe(true)
    expect(isReverified([5, -1], check)).toBe(false)
  })

  it('multi_factor needs both, recently', () => {
    const check = { level: 'multi_factor', afterMinutes: 99_999 } as const
    expect(isReverified([99_998, 99_998], check)).toBe(true)
    expect(isReverified([99_999, 0], check)).toBe(false)
    expect(isReverified([0, 99_999], check)).toBe(false)
    expect(isReverified([0, -1], check)).toBe(false)
  })

  it('treats -1 (not enrolled) as never verified for a factor that is asked for', () => {
    expect(isReverified([-1, 0], { level: 'first_factor', afterMinutes: 99_999 })).toBe(false)
    expect(isReverified([-1, -1], { level: 'second_factor', afterMinutes: 99_999 })).toBe(false)
  })

  it.each(['first_factor', 'second_factor', 'multi_factor'] as const)('fails %s when the ages are unknown (null)', (level) => {
    expect(isReverified(null, { level, afterMinutes: 99_999 })).toBe(false)
  })
})

describe('invalid reverification configurations', () => {
  const cases: [string, unknown, RegExp][] = [
    ['an unknown preset', 'paranoid', /Unknown reverification preset "paranoid"/],
    ['an empty preset name', '', /Unknown reverification preset ""/],
    ['an unknown level', { level: 'third_factor', afterMinutes: 10 }, /Unknown reverification level "third_factor"/],
    ['a missing level', { afterMinutes: 10 }, /Unknown reverification level "undefined"/],
    ['afterMinutes 0', { level: 'first_factor', afterMinutes: 0 }, /afterMinutes must be a whole number from 1 to 99,999; got 0/],
    ['afterMinutes 100,000', { level: 'first_factor', afterMinutes: 100_000 }, /from 1 to 99,999; got 100000/],
    ['negative afterMinutes', { level: 'second_factor', afterMinutes: -1 }, /from 1 to 99,999; got -1/],
    ['fractional afterMinutes', { level: 'second_factor', afterMinutes: 1.5 }, /got 1.5/],
    ['NaN afterMinutes', { level: 'multi_factor', afterMinutes: Number.NaN }, /got NaN/],
    ['infinite afterMinutes', { level: 'multi_factor', afterMinutes: Infinity }, /got Infinity/],
    ['afterMinutes as a string', { level: 'first_factor', afterMinutes: '10' }, /got 10/],
    ['a missing afterMinutes', { level: 'first_factor' }, /got undefined/],
    ['null', null, /preset name or \{ level, afterMinutes \}/],
    ['a number', 10, /preset name or \{ level, afterMinutes \}/],
  ]

  it.each(cases)('throws invalid_option for %s, naming the problem', (_, check, message) => {
    for (const run of [
      () => resolveReverification(check as ReverificationCheck),
      () => isReverified([0, 0], check as ReverificationCheck),
      // Even with nothing to compare, a wrong configuration is reported rather than hidden.
      () => isReverified(null, check as ReverificationCheck),
      () => checkAuthorization(subject(), { reverification: check as ReverificationCheck }),
    ]) {
      let thrown: unknown
      try {
        run()
      } catch (error) {
        thrown = error
      }
      expect(thrown).toBeInstanceOf(SessionKitError)
      expect(thrown).toMatchObject({ code: 'invalid_option' })
      expect((thrown as Error).message).toMatch(message)
    }
  })
})

function subject(overrides: Partial<AuthorizationSubject> = {}): AuthorizationSubject {
  return {
    lastActiveOrganizationId: 'org_acme',
    factorVerificationAge: [0, 0],
    organizationMemberships: [
      { organization: { id: 'org_acme' }, role: 'org:admin', permissions: ['org:invoices:read', 'org:invoices:delete'] },
      { organization: { id: 'org_globex' }, role: 'org:member', permissions: ['org:invoices:read'] },
    ],
    ...overrides,
  }
}

describe('checkAuthorization', () => {
  const all = { role: 'org:admin', permission: 'org:invoices:delete', reverification: 'strict' } as const

  it('passes when every given check passes', () => {
    expect(checkAuthorization(subject(), all)).toBe(true)
    expect(checkAuthorization(subject(), { reverification: 'strict' })).toBe(true)
    expect(checkAuthorization(subject(), { role: 'org:admin', reverification: 'lax' })).toBe(true)
  })

  it('fails when any one check fails', () => {
    expect(checkAuthorization(subject(), { ...all, role: 'org:member' })).toBe(false)
    expect(checkAuthorization(subject(), { ...all, permission: 'org:members:manage' })).toBe(false)
    expect(checkAuthorization(subject({ factorVerificationAge: [0, 10] }), all)).toBe(false)
    expect(checkAuthorization(subject({ lastActiveOrganizationId: 'org_globex' }), all)).toBe(false)
  })

  it('fails closed: no check, no subject, unknown ages, no active organization for a role', () => {
    expect(checkAuthorization(subject(), {})).toBe(false)
    expect(checkAuthorization(subject(), undefined as never)).toBe(false)
    expect(checkAuthorization(null, { reverification: 'lax' })).toBe(false)
    expect(checkAuthorization(subject({ factorVerificationAge: null }), { reverification: 'lax' })).toBe(false)
    expect(checkAuthorization(subject({ factorVerificationAge: null }), { ...all, reverification: 'lax' })).toBe(false)
    expect(checkAuthorization(subject({ lastActiveOrganizationId: null }), { role: 'org:admin' })).toBe(false)
    expect(checkAuthorization(subject({ lastActiveOrganizationId: null }), { permission: 'org:invoices:read' })).toBe(false)
  })

  it('checks reverification without an active organization (it is about the user, not the organization)', () => {
    expect(checkAuthorization(subject({ lastActiveOrganizationId: null }), { reverification: 'strict' })).toBe(true)
  })
})

describe('client.checkAuthorization on the memory adapter and a virtual clock', () => {
  let destroy: (() => void) | undefined
  afterEach(() => destroy?.())

  /** A week of inactivity allowed, no maximum: only the verification ages. */
  async function signedInAs(identifier: string) {
    const world = await setup({
      adapter: { policy: { inactivityTimeoutMs: 7 * 24 * 60 * MINUTE, maxLifetimeMs: null }, signedInAs: identifier },
    })
    destroy = () => world.client.destroy()
    const sessionId = world.client.getState().session!.id
    /** Makes both factors `minutes` old on the server and reloads, so the client starts from those ages. */
    const verifiedMinutesAgo = async (minutes: number, factors: { first?: boolean; second?: boolean } = { first: true, second: true }) => {
      const at = world.adapter.serverNow() - minutes * MINUTE
      world.adapter.setFactorVerifiedAt(sessionId, { ...(factors.first ? { first: at } : {}), ...(factors.second ? { second: at } : {}) })
      await world.client.load()
    }
    return { ...world, sessionId, verifiedMinutesAgo }
  }

  it('ages with time: strict and strict_mfa pass a moment before 10 minutes, fail at 10', async () => {
    const { client, clock } = await signedInAs('ada@example.com')
    expect(client.getState().session!.factorVerificationAge).toEqual([0, 0])
    await clock.advanceAsync(10 * MINUTE - 1)
    expect(client.checkAuthorization({ reverification: 'strict' })).toBe(true)
    expect(client.checkAuthorization({ reverification: 'strict_mfa' })).toBe(true)
    await clock.advanceAsync(1)
    expect(client.checkAuthorization({ reverification: 'strict' })).toBe(false)
    expect(client.checkAuthorization({ reverification: 'strict_mfa' })).toBe(false)
    expect(client.checkAuthorization({ reverification: 'moderate' })).toBe(true)
  })

  it.each([
    ['moderate', 60],
    ['lax', 1_440],
  ] as const)('ages with time: %s passes one minute under %i minutes, fails at the limit', async (preset, limit) => {
    const { client, clock, verifiedMinutesAgo } = await signedInAs('ada@example.com')
    await verifiedMinutesAgo(limit - 1)
    expect(client.getState().session!.factorVerificationAge).toEqual([limit - 1, limit - 1])
    expect(client.checkAuthorization({ reverification: preset })).toBe(true)
    await clock.advanceAsync(MINUTE - 1)
    expect(client.checkAuthorization({ reverification: preset })).toBe(true)
    await clock.advanceAsync(1)
    expect(client.checkAuthorization({ reverification: preset })).toBe(false)
  })

  it('ages with time: a custom 99,999-minute first_factor check passes at 99,998 minutes, fails at 99,999', async () => {
    const { client, clock, verifiedMinutesAgo } = await signedInAs('ada@example.com')
    const check = { level: 'first_factor', afterMinutes: 99_999 } as const
    await verifiedMinutesAgo(99_998, { first: true })
    expect(client.checkAuthorization({ reverification: check })).toBe(true)
    await clock.advanceAsync(MINUTE)
    expect(client.checkAuthorization({ reverification: check })).toBe(false)
  })

  it('starts counting again after verify(), and rejects a wrong code without signing out', async () => {
    const { client, clock } = await signedInAs('ada@example.com')
    await clock.advanceAsync(30 * MINUTE)
    expect(client.checkAuthorization({ reverification: 'strict' })).toBe(false)
    await expect(client.verify({ strategy: 'totp', code: '000000' })).rejects.toMatchObject({ code: 'invalid_credentials' })
    expect(client.getState().status).toBe('signed-in')
    await client.verify({ strategy: 'totp', code: DEMO_TOTP_CODE })
    expect(client.checkAuthorization({ reverification: 'strict' })).toBe(true)
    // The password is still 30 minutes old: multi-factor needs both.
    expect(client.checkAuthorization({ reverification: 'strict_mfa' })).toBe(false)
    await clock.advanceAsync(10 * MINUTE - 1)
    expect(client.checkAuthorization({ reverification: 'strict' })).toBe(true)
    await clock.advanceAsync(1)
    expect(client.checkAuthorization({ reverification: 'strict' })).toBe(false)
  })

  it('follows the password for a user without a second factor (Alan), who can never pass strict_mfa', async () => {
    const { client, clock } = await signedInAs('alan@example.com')
    expect(client.getState().session!.factorVerificationAge).toEqual([0, -1])
    expect(client.checkAuthorization({ reverification: 'strict' })).toBe(true)
    expect(client.checkAuthorization({ reverification: 'strict_mfa' })).toBe(false)
    await clock.advanceAsync(10 * MINUTE)
    expect(client.checkAuthorization({ reverification: 'strict' })).toBe(false)
    await client.verify({ strategy: 'password', password: DEMO_PASSWORD })
    expect(client.checkAuthorization({ reverification: 'strict' })).toBe(true)
    expect(client.checkAuthorization({ reverification: 'strict_mfa' })).toBe(false)
  })

  it('combines role, permission and reverification: every given check must pass', async () => {
    const { client, clock, sessionId } = await signedInAs('ada@example.com')
    await client.setActive(sessionId, { organizationId: 'org_acme' })
    const all = { role: 'org:admin', permission: 'org:invoices:delete', reverification: 'strict' } as const
    expect(client.checkAuthorization(all)).toBe(true)
    await clock.advanceAsync(10 * MINUTE)
    expect(client.checkAuthorization(all)).toBe(false)
    expect(client.checkAuthorization({ role: 'org:admin', permission: 'org:invoices:delete' })).toBe(true)
    await client.verify({ strategy: 'totp', code: DEMO_TOTP_CODE })
    expect(client.checkAuthorization(all)).toBe(true)
    await client.setActive(sessionId, { organizationId: 'org_globex' })
    expect(client.checkAuthorization(all)).toBe(false)
    expect(client.checkAuthorization({ reverification: 'strict' })).toBe(true)
  })

  it('fails every check once signed out', async () => {
    const { client } = await signedInAs('ada@example.com')
    await client.signOut()
    expect(client.checkAuthorization({ reverification: 'lax' })).toBe(false)
    expect(client.checkAuthorization({ reverification: { level: 'first_factor', afterMinutes: 99_999 } })).toBe(false)
  })

  it('throws invalid_option for an invalid check while signed in', async () => {
    const { client } = await signedInAs('ada@example.com')
    expect(() => client.checkAuthorization({ reverification: 'paranoid' as never })).toThrow(/Unknown reverification preset "paranoid"/)
  })
})

describe('verification stamps', () => {
  const MIN = 60_000
  const now = 1_700_000_000_000

  it('turns stamps into whole-minute ages at now, -1 for a factor not enrolled, null when unknown', () => {
    expect(verificationAgesAt([now - 9.9 * MIN, null], now)).toEqual([9, -1])
    expect(verificationAgesAt([now - 10 * MIN, now], now)).toEqual([10, 0])
    expect(verificationAgesAt(null, now)).toBeNull()
  })

  it('a proof from 9.9 minutes ago passes strict now and stops passing exactly at 10 minutes', () => {
    const stamps = [now - 9.9 * MIN, null] as const
    expect(isReverified(verificationAgesAt(stamps, now), 'strict')).toBe(true)
    const change = reverificationChangeAt(stamps, 'strict', now)
    expect(change).toBe(now + 0.1 * MIN)
    expect(isReverified(verificationAgesAt(stamps, change! - 1), 'strict')).toBe(true)
    expect(isReverified(verificationAgesAt(stamps, change!), 'strict')).toBe(false)
    // Nothing more will change by time alone.
    expect(reverificationChangeAt(stamps, 'strict', change!)).toBeNull()
  })

  it('names the earlier of the two factors to grow too old', () => {
    expect(reverificationChangeAt([now - 2 * MIN, now - 5 * MIN], 'strict', now)).toBe(now + 5 * MIN)
    expect(reverificationChangeAt(null, 'strict', now)).toBeNull()
  })
})
