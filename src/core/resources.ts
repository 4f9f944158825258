import type { LifetimePolicy } from './lifetimes'

/** A session's status, as in Clerk. Only `active` counts as signed in. */
export type SessionStatus =
  | 'active'
  | 'pending'
  | 'ended'
  | 'expired'
  | 'removed'
  | 'revoked'
  | 'replaced'
  | 'abandoned'

export const SESSION_STATUSES: readonly SessionStatus[] = [
  'active',
  'pending',
  'ended',
  'expired',
  'removed',
  'revoked',
  'replaced',
  'abandoned',
]

/** The user's membership in one organization: their role and what it permits. */
export interface OrganizationMembershipResource {
  organization: { id: string; name: string; slug: string }
  /** e.g. `org:admin`. */
  role: string
  /** e.g. `org:invoices:delete`. */
  permissions: string[]
}

/** The signed-in user. */
export interface UserResource {
  id: string
  firstName: string | null
  lastName: string | null
  /** The email or username they sign in with. */
  identifier: string
  imageUrl: string | null
  organizationMemberships: OrganizationMembershipResource[]
}

/** What may be shown of a session's user without loading the whole user. */
export interface PublicUserData {
  firstName: string | null
  lastName: string | null
  identifier: string
  imageUrl: string | null
}

/** Set when someone (support staff, say) acts as the user: the UI should show it. */
export interface ActorResource {
  sub: string
  [claim: string]: unknown
}

/**
 * A session as the server reports it. Times are server-clock milliseconds
 * since the epoch; the client converts them with the measured skew.
 */
export interface SessionResource {
  id: string
  userId: string
  status: SessionStatus
  createdAt: number
  updatedAt: number
  lastActiveAt: number
  /** Inactivity deadline; moves on every touch. `null` when that limit is off. */
  expireAt: number | null
  /** Maximum-lifetime deadline; fixed at sign-in. `null` when that limit is off. */
  abandonAt: number | null
  /** Minutes since the first and second factor were verified; -1 = not enrolled; null = unknown. */
  factorVerificationAge: [number, number] | null
  actor: ActorResource | null
  lastActiveOrganizationId: string | null
  publicUserData: PublicUserData
  user: UserResource
}

/** One browser, its sessions, and which one is active. */
export interface ClientResource {
  id: string
  sessions: SessionResource[]
  lastActiveSessionId: string | null
  /** The lifetime policy the server enforces. */
  policy: LifetimePolicy
  /** Lifetime of the tokens the server mints (ms). */
  tokenLifetimeMs: number
}
