import { describe, expect, it } from 'vitest'
import { SessionKitError } from '../../src/core/errors'
import { DAY_MS } from '../../src/core/lifetimes'
import type { ClientResource, SessionResource } from '../../src/core/resources'
import { parseClientResource, parseSessionResource, parseTokenResponse } from '../../src/core/validate'

const T = Date.UTC(2026, 0, 1)

function makeSession(overrides: Partial<SessionResource> = {}): SessionResource {
  return {
    id: 'sess_1',
    userId: 'user_1',
    status: 'active',
    createdAt: T,
    updatedAt: T + 1_000,
    lastActiveAt: T + 1_000,
    expireAt: T + 7 * DAY_MS,
    abandonAt: T + 30 * DAY_MS,
    factorVerificationAge: [3, -1],
    actor: { sub: 'user_support', reason: 'ticket 42' },
    lastActiveOrganizationId: 'org_1',
    publicUserData: { firstName: 'Ada', lastName: 'Lovelace', identifier: 'ada@example.com', imageUrl: null },
    user: {
      id: 'user_1',
      firstName: 'Ada',
      lastName: 'Lovelace',
      identifier: 'ada@example.com',
      imageUrl: 'https://example.com/ada.png',
      organizationMemberships: [
        {
          organization: { id: 'org_1', name: 'Analytical Engines', slug: 'engines' },
          role: 'org:admin',
          permissions: ['org:invoices:read', 'org:invoices:delete'],
        },
      ],
    },
    ...overrides,
  }
}

function makeClient(): ClientResource {
  return {
    id: 'client_1',
    sessions: [
      makeSession(),
      makeSession({
        id: 'sess_2',
        status: 'ended',
        expireAt: null,
        abandonAt: null,
        factorVerificationAge: null,
        actor: null,
        lastActiveOrganizationId: null,
      }),
    ],
    lastActiveSessionId: 'sess_1',
    policy: { inactivityTimeoutMs: 7 * DAY_MS, maxLifetimeMs: null },
    tokenLifetimeMs: 60_000,
  }
}

/** A client answer as JSON, changed by `edit` (which may reach into any nested field). */
function rawClient(edit: (raw: any) => void): unknown {
  const raw = JSON.parse(JSON.stringify(makeClient()))
  edit(raw)
  return raw
}

function errorOf(parse: () => unknown): SessionKitError {
  try {
    parse()
  } catch (error) {
    return error as SessionKitError
  }
  throw new Error('the parser accepted an invalid response')
}

describe('parseClientResource', () => {
  it('returns an equal, fresh copy of a valid client, dropping unknown fields', () => {
    const raw = rawClient((r) => {
      r.extra = 'dropped'
      r.sessions[0].extra = 'dropped'
      r.sessions[0].user.organizationMemberships[0].organization.extra = 'dropped'
    })
    const parsed = parseClientResource(raw)
    expect(parsed).toStrictEqual(makeClient())
    expect(parsed.sessions[0]!.user).not.toBe((raw as ClientResource).sessions[0]!.user)
  })

  const cases: [string, unknown, string][] = [
    ['not an object', null, 'the response must be an object'],
    ['an array', [], 'the response must be an object'],
    ['no id', rawClient((r) => delete r.id), 'id must be a string'],
    ['sessions not an array', rawClient((r) => (r.sessions = {})), 'sessions must be an array'],
    ['a session that is not an object', rawClient((r) => (r.sessions[1] = 'sess_2')), 'sessions[1] must be an object'],
    ['an unknown status', rawClient((r) => (r.sessions[0].status = 'zombie')), 'sessions[0].status must be one of active, pending, ended, expired, removed, revoked, replaced, abandoned'],
    ['a string expireAt', rawClient((r) => (r.sessions[0].expireAt = '2026-01-08')), 'sessions[0].expireAt must be a number or null'],
    ['a missing abandonAt', rawClient((r) => delete r.sessions[1].abandonAt), 'sessions[1].abandonAt must be a number or null'],
    ['an infinite createdAt', rawClient((r) => (r.sessions[0].createdAt = Infinity)), 'sessions[0].createdAt must be a number'],
    ['a missing lastActiveAt', rawClient((r) => delete r.sessions[0].lastActiveAt), 'sessions[0].lastActiveAt must be a number'],
    ['a factor age that is not a pair', rawClient((r) => (r.sessions[0].factorVerificationAge = [3])), 'sessions[0].factorVerificationAge must be a pair of numbers or null'],
    ['a factor age that is not a number', rawClient((r) => (r.sessions[0].factorVerificationAge = [3, '1'])), 'sessions[0].factorVerificationAge[1] must be a number'],
    ['an actor that is a string', rawClient((r) => (r.sessions[0].actor = 'support')), 'sessions[0].actor must be an object or null'],
    ['an actor without sub', rawClient((r) => (r.sessions[0].actor = {})), 'sessions[0].actor.sub must be a string'],
    ['a numeric organization id', rawClient((r) => (r.sessions[0].lastActiveOrganizationId = 1)), 'sessions[0].lastActiveOrganizationId must be a string or null'],
    ['no publicUserData', rawClient((r) => delete r.sessions[0].publicUserData), 'sessions[0].publicUserData must be an object'],
    ['a null identifier', rawClient((r) => (r.sessions[0].publicUserData.identifier = null)), 'sessions[0].publicUserData.identifier must be a string'],
    ['a missing user imageUrl', rawClient((r) => delete r.sessions[0].user.imageUrl), 'sessions[0].user.imageUrl must be a string or null'],
    ['memberships not an array', rawClient((r) => (r.sessions[0].user.organizationMemberships = null)), 'sessions[0].user.organizationMemberships must be an array'],
    ['an organization without slug', rawClient((r) => delete r.sessions[0].user.organizationMemberships[0].organization.slug), 'sessions[0].user.organizationMemberships[0].organization.slug must be a string'],
    ['a permission that is not a string', rawClient((r) => (r.sessions[0].user.organizationMemberships[0].permissions[1] = 3)), 'sessions[0].user.organizationMemberships[0].permissions[1] must be a string'],
    ['a numeric lastActiveSessionId', rawClient((r) => (r.lastActiveSessionId = 0)), 'lastActiveSessionId must be a string or null'],
    ['no policy', rawClient((r) => delete r.policy), 'policy must be an object'],
    ['a policy duration as text', rawClient((r) => (r.policy.maxLifetimeMs = '7d')), 'policy.maxLifetimeMs must be a number or null'],
    ['a policy with both limits off', rawClient((r) => (r.policy.inactivityTimeoutMs = null)), 'policy is not a valid lifetime policy (A session policy needs'],
    ['a negative inactivity timeout', rawClient((r) => (r.policy.inactivityTimeoutMs = -5)), 'policy is not a valid lifetime policy (The policy\'s inactivityTimeoutMs must be a positive number'],
    ['a zero token lifetime', rawClient((r) => (r.tokenLifetimeMs = 0)), 'tokenLifetimeMs must be a positive number'],
    ['no token lifetime', rawClient((r) => delete r.tokenLifetimeMs), 'tokenLifetimeMs must be a positive number'],
  ]

  it.each(cases)('rejects %s as invalid_response naming the path', (_, raw, expected) => {
    const error = errorOf(() => parseClientResource(raw))
    expect(error).toBeInstanceOf(SessionKitError)
    expect(error.code).toBe('invalid_response')
    expect(error.message).toContain(`The server sent an unexpected response: ${expected}`)
    expect(error.message).toMatch(/\. Check that the adapter speaks the sessionkit protocol\.$/)
  })
})

describe('parseSessionResource', () => {
  it('returns an equal copy of a valid session', () => {
    const session = makeSession()
    expect(parseSessionResource(JSON.parse(JSON.stringify(session)))).toStrictEqual(session)
  })

  it('names fields from the session itself', () => {
    expect(errorOf(() => parseSessionResource({ ...makeSession(), expireAt: undefined })).message).toContain(
      'response: expireAt must be a number or null.',
    )
    expect(errorOf(() => parseSessionResource('sess_1')).message).toContain('response: the response must be an object.')
  })
})

describe('parseTokenResponse', () => {
  it('returns the jwt only', () => {
    expect(parseTokenResponse({ jwt: 'a.b.c', object: 'token' })).toStrictEqual({ jwt: 'a.b.c' })
  })

  it.each([
    [undefined, 'the response must be an object'],
    [{}, 'jwt must be a string'],
    [{ jwt: 42 }, 'jwt must be a string'],
    [{ jwt: '' }, 'jwt must not be empty'],
  ])('rejects %j as invalid_response', (raw, expected) => {
    const error = errorOf(() => parseTokenResponse(raw))
    expect(error.code).toBe('invalid_response')
    expect(error.message).toContain(expected)
  })
})
