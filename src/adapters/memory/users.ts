import { SessionKitError } from '../../core/errors'
import type { OrganizationMembershipResource, PublicUserData, UserResource } from '../../core/resources'

/**
 * A user the memory adapter knows, with their (plain-text, demo-only)
 * credentials. What the server reports is the `UserResource` part.
 */
export interface MemoryUser {
  id: string
  firstName: string | null
  lastName: string | null
  /** The email or username they sign in with (matched case-insensitively). */
  identifier: string
  /** Their password, in plain text: this is a simulation. */
  password: string
  /** Their one-time code for the second factor; `null` = no second factor enrolled. */
  totpCode: string | null
  /** Default null. */
  imageUrl?: string | null
  /** Default none. */
  organizationMemberships?: OrganizationMembershipResource[]
  /** Support staff: may act as another user (`startImpersonation`). Default false. */
  canImpersonate?: boolean
}

/** The password of every demo user. */
export const DEMO_PASSWORD = 'password'

/** The second-factor code of every demo user who has one enrolled. */
export const DEMO_TOTP_CODE = '424242'

const ACME = { id: 'org_acme', name: 'Acme Inc.', slug: 'acme' }
const GLOBEX = { id: 'org_globex', name: 'Globex', slug: 'globex' }

const ADMIN_PERMISSIONS = ['org:invoices:read', 'org:invoices:create', 'org:invoices:delete', 'org:members:manage']
const MEMBER_PERMISSIONS = ['org:invoices:read']

/**
 * Three demo users, all with password `password`:
 * - `ada@example.com`: second factor `424242`; admin of Acme, member of Globex.
 * - `grace@example.com`: second factor `424242`; member of Acme.
 * - `alan@example.com`: no second factor enrolled, no organization.
 */
export const DEMO_USERS: readonly MemoryUser[] = deepFreeze([
  {
    id: 'user_ada',
    firstName: 'Ada',
    lastName: 'Lovelace',
    identifier: 'ada@example.com',
    password: DEMO_PASSWORD,
    totpCode: DEMO_TOTP_CODE,
    imageUrl: null,
    organizationMemberships: [
      { organization: ACME, role: 'org:admin', permissions: ADMIN_PERMISSIONS },
      { organization: GLOBEX, role: 'org:member', permissions: MEMBER_PERMISSIONS },
    ],
  },
  {
    id: 'user_grace',
    firstName: 'Grace',
    lastName: 'Hopper',
    identifier: 'grace@example.com',
    password: DEMO_PASSWORD,
    totpCode: DEMO_TOTP_CODE,
    imageUrl: null,
    organizationMemberships: [{ organization: ACME, role: 'org:member', permissions: MEMBER_PERMISSIONS }],
  },
  {
    id: 'user_alan',
    firstName: 'Alan',
    lastName: 'Turing',
    identifier: 'alan@example.com',
    password: DEMO_PASSWORD,
    totpCode: null,
    imageUrl: null,
    organizationMemberships: [],
  },
])

/** The users of one adapter, looked up by id or identifier. */
export class UserDirectory {
  readonly #byId = new Map<string, MemoryUser>()
  readonly #byIdentifier = new Map<string, MemoryUser>()

  constructor(users: readonly MemoryUser[]) {
    if (!Array.isArray(users)) {
      throw new SessionKitError('invalid_option', 'The memory adapter\'s `users` must be an array of users.')
    }
    for (const user of users) {
      const key = typeof user?.identifier === 'string' ? user.identifier.toLowerCase() : ''
      if (typeof user?.id !== 'string' || key === '' || typeof user.password !== 'string') {
        throw new SessionKitError('invalid_option', 'Every memory adapter user needs a string `id`, `identifier` and `password`.')
      }
      if (this.#byId.has(user.id) || this.#byIdentifier.has(key)) {
        throw new SessionKitError(
          'invalid_option',
          `Two memory adapter users share the id or identifier of "${user.identifier}": give each user their own.`,
        )
      }
      // A private copy: later changes to the caller's objects do not reach the server.
      const copy = copyUser(user)
      this.#byId.set(copy.id, copy)
      this.#byIdentifier.set(key, copy)
    }
  }

  byId(id: string): MemoryUser | undefined {
    return this.#byId.get(id)
  }

  byIdentifier(identifier: string): MemoryUser | undefined {
    return this.#byIdentifier.get(identifier.toLowerCase())
  }
}

/** What the server reports of a user: never the password or the second-factor code. */
export function toUserResource(user: MemoryUser): UserResource {
  return {
    id: user.id,
    firstName: user.firstName,
    lastName: user.lastName,
    identifier: user.identifier,
    imageUrl: user.imageUrl ?? null,
    organizationMemberships: (user.organizationMemberships ?? []).map(copyMembership),
  }
}

export function toPublicUserData(user: MemoryUser): PublicUserData {
  return {
    firstName: user.firstName,
    lastName: user.lastName,
    identifier: user.identifier,
    imageUrl: user.imageUrl ?? null,
  }
}

/** The user's membership in an organization, if any. */
export function findMembership(user: MemoryUser, organizationId: string): OrganizationMembershipResource | undefined {
  return user.organizationMemberships?.find((membership) => membership.organization.id === organizationId)
}

function copyUser(user: MemoryUser): MemoryUser {
  return {
    ...user,
    imageUrl: user.imageUrl ?? null,
    totpCode: user.totpCode ?? null,
    organizationMemberships: (user.organizationMemberships ?? []).map(copyMembership),
  }
}

function copyMembership(membership: OrganizationMembershipResource): OrganizationMembershipResource {
  return {
    organization: { ...membership.organization },
    role: membership.role,
    permissions: [...membership.permissions],
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner)
    Object.freeze(value)
  }
  return value
}
