import type { TokenResource, UserSessionResource } from './adapter'
import { SessionKitError, isSessionKitError } from './errors'
import { validatePolicy, type LifetimePolicy } from './lifetimes'
import {
  SESSION_STATUSES,
  type ActorResource,
  type ClientResource,
  type OrganizationMembershipResource,
  type PublicUserData,
  type SessionResource,
  type SessionStatus,
  type UserResource,
} from './resources'

// Adapters are the app's code or a remote server: their answers are checked
// field by field, so a protocol mismatch fails here with the path that is
// wrong instead of as `undefined` somewhere deep in the client. Each parser
// returns a fresh object with the known fields only.

/** Checks a client answer from an adapter; throws `invalid_response` naming the first wrong field. */
export function parseClientResource(raw: unknown): ClientResource {
  const o = obj('', raw)
  return {
    id: str('id', o.id),
    sessions: arr('sessions', o.sessions, session),
    lastActiveSessionId: strOrNull('lastActiveSessionId', o.lastActiveSessionId),
    policy: policy('policy', o.policy),
    tokenLifetimeMs: positive('tokenLifetimeMs', o.tokenLifetimeMs),
  }
}

/** Checks a session answer from an adapter; throws `invalid_response` naming the first wrong field. */
export function parseSessionResource(raw: unknown): SessionResource {
  return session('', raw)
}

/** Checks a token answer from an adapter; throws `invalid_response` when it holds no token string. */
export function parseTokenResponse(raw: unknown): TokenResource {
  const o = obj('', raw)
  const jwt = str('jwt', o.jwt)
  if (jwt === '') fail('jwt', 'must not be empty')
  if (o.expiresAt === undefined) return { jwt }
  return { jwt, expiresAt: positive('expiresAt', o.expiresAt) }
}

/** Checks the list of the user's sessions on every device (`/v1/me/sessions`); throws `invalid_response` naming the first wrong field. */
export function parseUserSessions(raw: unknown): UserSessionResource[] {
  return arr('', raw, (path, v) => {
    const o = obj(path, v)
    return {
      id: str(at(path, 'id'), o.id),
      status: status(at(path, 'status'), o.status),
      device: str(at(path, 'device'), o.device),
      ip: strOrNull(at(path, 'ip'), o.ip),
      createdAt: positive(at(path, 'createdAt'), o.createdAt),
      lastActiveAt: positive(at(path, 'lastActiveAt'), o.lastActiveAt),
      isCurrent: bool(at(path, 'isCurrent'), o.isCurrent),
    }
  })
}

function fail(path: string, what: string, cause?: unknown): never {
  throw new SessionKitError(
    'invalid_response',
    `The server sent an unexpected response: ${path || 'the response'} ${what}. Check that the adapter speaks the sessionkit protocol.`,
    cause === undefined ? {} : { cause },
  )
}

const at = (path: string, key: string) => (path ? `${path}.${key}` : key)

function obj(path: string, v: unknown, expected = 'must be an object'): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(path, expected)
  return v as Record<string, unknown>
}

function str(path: string, v: unknown): string {
  if (typeof v !== 'string') fail(path, 'must be a string')
  return v
}

function num(path: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, 'must be a number')
  return v
}

function positive(path: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(path, 'must be a positive number')
  return v
}

function bool(path: string, v: unknown): boolean {
  if (typeof v !== 'boolean') fail(path, 'must be true or false')
  return v
}

function strOrNull(path: string, v: unknown): string | null {
  if (v !== null && typeof v !== 'string') fail(path, 'must be a string or null')
  return v
}

function numOrNull(path: string, v: unknown): number | null {
  if (v !== null && (typeof v !== 'number' || !Number.isFinite(v))) fail(path, 'must be a number or null')
  return v
}

function arr<T>(path: string, v: unknown, item: (path: string, value: unknown) => T): T[] {
  if (!Array.isArray(v)) fail(path, 'must be an array')
  return v.map((element, index) => item(`${path}[${index}]`, element))
}

function session(path: string, raw: unknown): SessionResource {
  const o = obj(path, raw)
  return {
    id: str(at(path, 'id'), o.id),
    userId: str(at(path, 'userId'), o.userId),
    status: status(at(path, 'status'), o.status),
    createdAt: num(at(path, 'createdAt'), o.createdAt),
    updatedAt: num(at(path, 'updatedAt'), o.updatedAt),
    lastActiveAt: num(at(path, 'lastActiveAt'), o.lastActiveAt),
    expireAt: numOrNull(at(path, 'expireAt'), o.expireAt),
    abandonAt: numOrNull(at(path, 'abandonAt'), o.abandonAt),
    factorVerificationAge: factorAges(at(path, 'factorVerificationAge'), o.factorVerificationAge),
    actor: actor(at(path, 'actor'), o.actor),
    lastActiveOrganizationId: strOrNull(at(path, 'lastActiveOrganizationId'), o.lastActiveOrganizationId),
    publicUserData: publicUserData(at(path, 'publicUserData'), o.publicUserData),
    user: user(at(path, 'user'), o.user),
  }
}

function status(path: string, v: unknown): SessionStatus {
  if (!SESSION_STATUSES.includes(v as SessionStatus)) fail(path, `must be one of ${SESSION_STATUSES.join(', ')}`)
  return v as SessionStatus
}

function factorAges(path: string, v: unknown): [number, number] | null {
  if (v === null) return null
  if (!Array.isArray(v) || v.length !== 2) fail(path, 'must be a pair of numbers or null')
  return [num(`${path}[0]`, v[0]), num(`${path}[1]`, v[1])]
}

function actor(path: string, v: unknown): ActorResource | null {
  if (v === null) return null
  // Actor claims are open-ended (who impersonates, why); only `sub` is required.
  const o = obj(path, v, 'must be an object or null')
  return { ...o, sub: str(at(path, 'sub'), o.sub) }
}

function publicUserData(path: string, v: unknown): PublicUserData {
  const o = obj(path, v)
  return {
    firstName: strOrNull(at(path, 'firstName'), o.firstName),
    lastName: strOrNull(at(path, 'lastName'), o.lastName),
    identifier: str(at(path, 'identifier'), o.identifier),
    imageUrl: strOrNull(at(path, 'imageUrl'), o.imageUrl),
  }
}

function user(path: string, v: unknown): UserResource {
  // A user is its public data plus an id and memberships.
  const o = obj(path, v)
  return {
    id: str(at(path, 'id'), o.id),
    ...publicUserData(path, v),
    organizationMemberships: arr(at(path, 'organizationMemberships'), o.organizationMemberships, membership),
  }
}

function membership(path: string, v: unknown): OrganizationMembershipResource {
  const o = obj(path, v)
  const org = obj(at(path, 'organization'), o.organization)
  const orgPath = at(path, 'organization')
  return {
    organization: {
      id: str(at(orgPath, 'id'), org.id),
      name: str(at(orgPath, 'name'), org.name),
      slug: str(at(orgPath, 'slug'), org.slug),
    },
    role: str(at(path, 'role'), o.role),
    permissions: arr(at(path, 'permissions'), o.permissions, str),
  }
}

function policy(path: string, v: unknown): LifetimePolicy {
  const o = obj(path, v)
  const parsed: LifetimePolicy = {
    inactivityTimeoutMs: numOrNull(at(path, 'inactivityTimeoutMs'), o.inactivityTimeoutMs),
    maxLifetimeMs: numOrNull(at(path, 'maxLifetimeMs'), o.maxLifetimeMs),
  }
  // Optional flags: absent means the default (several accounts, many devices).
  if (o.multiSession !== undefined) parsed.multiSession = bool(at(path, 'multiSession'), o.multiSession)
  if (o.singleDevice !== undefined) parsed.singleDevice = bool(at(path, 'singleDevice'), o.singleDevice)
  try {
    return validatePolicy(parsed)
  } catch (error) {
    // The server's policy is wrong, not the app's: report it as a bad response, keeping the reason.
    if (!isSessionKitError(error, 'invalid_policy')) throw error
    fail(path, `is not a valid lifetime policy (${error.message.replace(/\.$/, '')})`, error)
  }
}
