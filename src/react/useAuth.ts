'use client'
import type { FactorVerifiedAt } from '../core/authorization'
import { MINUTE_MS } from '../core/clock'
import type { ActorResource, AuthorizationParams, GetTokenOptions, SessionClientState } from '../core/types'
import { shallow } from 'zustand/shallow'
import { boundActions } from './boundActions'
import { useClientFor, type SessionHookOptions } from './context'
import { useClientSelector } from './useSessionSelector'

interface AuthActions {
  /** Whether the active session passes every given check; false while loading or signed out. Stable. */
  has: (params: AuthorizationParams) => boolean
  /** A token for the active session; null when signed out. Stable. */
  getToken: (options?: GetTokenOptions) => Promise<string | null>
  /** Signs out of one session or, without `sessionId`, of all. Stable. */
  signOut: (options?: { sessionId?: string }) => Promise<void>
}

/** `useAuth()` before the client has loaded. */
export interface AuthLoading extends AuthActions {
  isLoaded: false
  isSignedIn: undefined
  userId: undefined
  sessionId: undefined
  orgId: undefined
  orgRole: undefined
  actor: undefined
}

/** `useAuth()` with nobody signed in. */
export interface AuthSignedOut extends AuthActions {
  isLoaded: true
  isSignedIn: false
  userId: null
  sessionId: null
  orgId: null
  orgRole: null
  actor: null
}

/** `useAuth()` with an active session. */
export interface AuthSignedIn extends AuthActions {
  isLoaded: true
  isSignedIn: true
  userId: string
  sessionId: string
  /** The session's active organization, or null. */
  orgId: string | null
  /** The user's role in that organization (e.g. `org:admin`), or null. */
  orgRole: string | null
  /** Who is impersonating the user, or null: show it when set. */
  actor: ActorResource | null
}

/** What `useAuth()` returns: narrow on `isLoaded` and `isSignedIn`. */
export type UseAuthReturn = AuthLoading | AuthSignedOut | AuthSignedIn

/** What `useAuth()` returns without the actions: one of these per state. */
type AuthFields = Omit<AuthLoading, keyof AuthActions> | Omit<AuthSignedOut, keyof AuthActions> | Omit<AuthSignedIn, keyof AuthActions>

/** The fields about the session when there is none: each is `none` (undefined while loading, null signed out). */
const noSession = <None extends undefined | null>(none: None) => ({ userId: none, sessionId: none, orgId: none, orgRole: none, actor: none })

const LOADING: AuthFields = { isLoaded: false, isSignedIn: undefined, ...noSession(undefined) }
const SIGNED_OUT: AuthFields = { isLoaded: true, isSignedIn: false, ...noSession(null) }

/** The fields, and what else `has()` reads: a change to either re-renders, so `has()` is read again. */
interface AuthSelection {
  fields: AuthFields
  permissions?: readonly string[]
  verifiedAt?: FactorVerifiedAt
}

/**
 * The fields of `useAuth()`: every one undefined while loading, null when
 * signed out. Every field is a primitive but `actor`, so comparing each
 * `shallow`ly re-renders on a real change only: every server answer brings
 * new session objects, and an actor with the same claims is the same actor,
 * so touches and token refreshes do not re-render.
 */
function selectAuth({ status, session, user }: SessionClientState): AuthSelection {
  // Signed in with no session object counts as signed out, as everywhere else.
  if (status !== 'signed-in' || !session) return { fields: status === 'loading' ? LOADING : SIGNED_OUT }
  const orgId = session.lastActiveOrganizationId
  // No membership for a null orgId: organization ids are strings.
  const membership = user?.organizationMemberships.find((m) => m.organization.id === orgId)
  return {
    fields: {
      isLoaded: true,
      isSignedIn: true,
      userId: session.userId,
      sessionId: session.id,
      orgId,
      orgRole: membership?.role ?? null,
      actor: session.actor,
    },
    permissions: membership?.permissions,
    verifiedAt: session.factorVerifiedAt,
  }
}

/**
 * Whether two stamps name the same proof. Each server answer stamps it anew
 * from whole-minute ages, so one proof's stamps differ by under a minute; a new
 * proof that can change `has()` comes at least that much later (checks of
 * 2 minutes or more; a 1-minute check may miss a proof given within a minute of the last).
 */
const sameProof = (a: number | null | undefined, b: number | null | undefined) =>
  a === b || (a != null && b != null && Math.abs(a - b) < MINUTE_MS)

const sameAuth = (a: AuthSelection, b: AuthSelection) =>
  (Object.keys(a.fields) as (keyof AuthFields)[]).every((key) => shallow(a.fields[key], b.fields[key])) &&
  shallow(a.permissions, b.permissions) &&
  // Per factor ([first, second]). No stamps at all (unknown) and none per factor (not enrolled) fail every check alike.
  [0, 1].every((factor) => sameProof(a.verifiedAt?.[factor], b.verifiedAt?.[factor]))

/**
 * Who is signed in, Clerk-style: `isLoaded`, `isSignedIn`, `userId`,
 * `sessionId`, `orgId`, `orgRole`, `actor`, and stable `has`, `getToken`,
 * `signOut`. Re-renders only when one of those values changes, or what `has`
 * reads (the active membership's permissions, a new reverification proof);
 * never on a touch or a token refresh. `has` is read at render: a proof that
 * ages out while nothing changes re-renders nothing, so gate on it with
 * `<Protect>` (re-renders when it ages out) or `useReverification` (checks
 * at call time).
 */
export function useAuth(options?: SessionHookOptions): UseAuthReturn {
  const client = useClientFor('useAuth', options)
  const { has, getToken, signOut } = boundActions(client)
  return { ...useClientSelector(client, selectAuth, sameAuth).fields, has, getToken, signOut }
}
