import type { TokenResource, UserSessionResource } from './adapter'
import { SessionKitError } from './errors'
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
// wrong (in development) instead of as `undefined` somewhere deep in the
// client. Each parser returns a fresh object with the known fields only.
//
// A resource is described as a table of field -> check (`shape`); a check
// takes the value and its path, and returns the value or throws.

/** Checks one value found at `path` (none: the whole response); returns it (or a fresh copy) or throws `invalid_response`. */
type Check<T> = (value: unknown, path?: string) => T

// `what` says what the value must be; it is development-only text (callers pass `process.env.NODE_ENV !== 'production' ? '…' : ''`).
// Typed on the const, so that a call narrows like a `never` function declaration's.
const fail: (path: string | undefined, what: string, cause?: unknown) => never = (path, what, cause) => {
  throw new SessionKitError(
    'invalid_response',
    process.env.NODE_ENV !== 'production'
      ? `The server sent an unexpected response: ${path || 'the response'} ${what}. Check that the adapter speaks the sessionkit protocol.`
      : 'Unexpected server answer.',
    { cause },
  )
}

// A field's path (`sessions[0].user.id`) only feeds the development message:
// production passes '' down instead of building it (`… !== 'production' ? path : ''`, inline,
// so that a production bundle holds no path code at all).

/** A check from a predicate: the value itself when `ok`, else a failure saying `what`. */
const is =
  <T>(ok: (value: unknown) => boolean, what: string): Check<T> =>
  (value, path) =>
    ok(value) ? (value as T) : fail(path, what)

/** Whether `v` is a string (also for tab messages, tabs/messages.ts). */
export const isString = (v: unknown): v is string => typeof v === 'string'
/** `Array.isArray`, by a name the minifier shortens (also for options). */
export const isArray = Array.isArray
/** Whether `v` is an object and not an array (also for token claims, jwt.ts). */
export const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !isArray(v)

/** Whether `v` is a string other than '' (a name: an event's, a claim's, an adapter's key). */
export const isName = (v: unknown): v is string => isString(v) && !!v
/** Whether `v` is a string or null (also for tab messages). */
export const isStringOrNull = (v: unknown): v is string | null => v === null || isString(v)

const str = is<string>(isString, process.env.NODE_ENV !== 'production' ? 'must be a string' : '')
const strOrNull = is<string | null>(isStringOrNull, process.env.NODE_ENV !== 'production' ? 'must be a string or null' : '')
/** Whether `v` is a finite number (false for anything that is not a number: no coercion). Also for options, claims and tab messages. */
export const isFiniteNumber: (v: unknown) => boolean = Number.isFinite

const num = is<number>(isFiniteNumber, process.env.NODE_ENV !== 'production' ? 'must be a number' : '')
const numOrNull = is<number | null>((v) => v === null || isFiniteNumber(v), process.env.NODE_ENV !== 'production' ? 'must be a number or null' : '')
const positive = is<number>((v) => isFiniteNumber(v) && (v as number) > 0, process.env.NODE_ENV !== 'production' ? 'must be a positive number' : '')
const bool = is<boolean>((v) => typeof v === 'boolean', process.env.NODE_ENV !== 'production' ? 'must be true or false' : '')
const record = is<Record<string, unknown>>(isRecord, process.env.NODE_ENV !== 'production' ? 'must be an object' : '')
const status = is<SessionStatus>(
  (v) => SESSION_STATUSES.includes(v as SessionStatus),
  process.env.NODE_ENV !== 'production' ? `must be one of ${SESSION_STATUSES.join(', ')}` : '',
)

/** An optional field: absent stays absent (the object gets no key for it). */
const optional =
  <T>(check: Check<T>): Check<T | undefined> =>
  (value, path) =>
    value === undefined ? undefined : check(value, path)

const list =
  <T>(item: Check<T>): Check<T[]> =>
  (value, path) => {
    if (!isArray(value)) fail(path, process.env.NODE_ENV !== 'production' ? 'must be an array' : '')
    return value.map((element, index) => item(element, process.env.NODE_ENV !== 'production' ? `${path ?? ''}[${index}]` : ''))
  }

/** An object with exactly these fields, checked in this order; unknown fields are dropped. */
const shape =
  <T>(fields: { [K in keyof T]-?: Check<T[K]> }): Check<T> =>
  (value, path) => {
    const o = record(value, path)
    const parsed = {} as T
    for (const key in fields) {
      const field = fields[key](o[key], process.env.NODE_ENV !== 'production' ? (path ? `${path}.${key}` : key) : '')
      if (field !== undefined) parsed[key] = field
    }
    return parsed
  }

const factorAges: Check<[number, number] | null> = (value, path) =>
  value === null
    ? null
    : isArray(value) && value.length === 2
      ? (list(num)(value, path) as [number, number])
      : fail(path, process.env.NODE_ENV !== 'production' ? 'must be a pair of numbers or null' : '')

// Actor claims are open-ended (who impersonates, why); only `sub` is required.
const actor: Check<ActorResource | null> = (value, path) => {
  if (value === null) return null
  if (!isRecord(value)) fail(path, process.env.NODE_ENV !== 'production' ? 'must be an object or null' : '')
  // An actor is always a field, so `path` is never ''.
  return { ...value, sub: str(value.sub, process.env.NODE_ENV !== 'production' ? `${path}.sub` : '') }
}

const publicFields = { firstName: strOrNull, lastName: strOrNull, identifier: str, imageUrl: strOrNull }

const membership = shape<OrganizationMembershipResource>({
  organization: shape({ id: str, name: str, slug: str }),
  role: str,
  permissions: list(str),
})

const session = shape<SessionResource>({
  id: str,
  userId: str,
  status,
  createdAt: num,
  updatedAt: num,
  lastActiveAt: num,
  expireAt: numOrNull,
  abandonAt: numOrNull,
  factorVerificationAge: factorAges,
  actor,
  lastActiveOrganizationId: strOrNull,
  publicUserData: shape<PublicUserData>(publicFields),
  // A user is its public data plus an id and memberships.
  user: shape<UserResource>({ id: str, ...publicFields, organizationMemberships: list(membership) }),
})

// Optional flags: absent means the default (several accounts, many devices).
const policyFields = shape<LifetimePolicy>({
  inactivityTimeoutMs: numOrNull,
  maxLifetimeMs: numOrNull,
  multiSession: optional(bool),
  singleDevice: optional(bool),
})

const policy: Check<LifetimePolicy> = (value, path) => {
  const parsed = policyFields(value, path)
  try {
    return validatePolicy(parsed)
  } catch (error) {
    // validatePolicy throws only `invalid_policy`. The server's policy is wrong,
    // not the app's: report it as a bad response, keeping the reason.
    fail(path, process.env.NODE_ENV !== 'production' ? `is not a valid lifetime policy (${(error as Error).message.replace(/\.$/, '')})` : '', error)
  }
}

const client = shape<ClientResource>({
  id: str,
  sessions: list(session),
  lastActiveSessionId: strOrNull,
  policy,
  tokenLifetimeMs: positive,
})

const token = shape<TokenResource>({
  jwt: (value, path) => str(value, path) || fail(path, process.env.NODE_ENV !== 'production' ? 'must not be empty' : ''),
  expiresAt: optional(positive),
})

const userSessions = list(
  shape<UserSessionResource>({
    id: str,
    status,
    device: str,
    ip: strOrNull,
    createdAt: positive,
    lastActiveAt: positive,
    isCurrent: bool,
  }),
)

// The parsers are the checks themselves, called with the response alone (no path: the whole response).

/** Checks a client answer from an adapter; throws `invalid_response` naming the first wrong field. */
export const parseClientResource: (raw: unknown) => ClientResource = client

/** Checks a session answer from an adapter; throws `invalid_response` naming the first wrong field. */
export const parseSessionResource: (raw: unknown) => SessionResource = session

/** Checks a token answer from an adapter; throws `invalid_response` when it holds no token string. */
export const parseTokenResponse: (raw: unknown) => TokenResource = token

/** Checks the list of the user's sessions on every device (`/v1/me/sessions`); throws `invalid_response` naming the first wrong field. */
export const parseUserSessions: (raw: unknown) => UserSessionResource[] = userSessions
