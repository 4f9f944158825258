'use client'
import type { ActorResource, AuthorizationParams, GetTokenOptions, SessionClientState } from '../core/types'
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

type AuthSlice =
  | { status: 'loading' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; userId: string; sessionId: string; orgId: string | null; orgRole: string | null; actor: ActorResource | null }

const LOADING: AuthSlice = { status: 'loading' }
const SIGNED_OUT: AuthSlice = { status: 'signed-out' }

function selectAuth(state: SessionClientState): AuthSlice {
  const { status, session, user } = state
  if (status === 'loading') return LOADING
  if (status !== 'signed-in' || !session) return SIGNED_OUT
  const orgId = session.lastActiveOrganizationId
  const membership = orgId === null ? undefined : user?.organizationMemberships.find((m) => m.organization.id === orgId)
  return {
    status,
    userId: session.userId,
    sessionId: session.id,
    orgId,
    orgRole: membership?.role ?? null,
    actor: session.actor,
  }
}

// Every server answer brings new session objects; an actor with the same
// claims is the same actor, so touches and token refreshes do not re-render.
function sameClaims(a: ActorResource | null, b: ActorResource | null): boolean {
  if (a === b) return true
  if (!a || !b) return false
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((key) => Object.is(a[key], b[key]))
}

function sameAuth(a: AuthSlice, b: AuthSlice): boolean {
  if (a.status !== b.status) return false
  if (a.status !== 'signed-in' || b.status !== 'signed-in') return true
  return (
    a.userId === b.userId &&
    a.sessionId === b.sessionId &&
    a.orgId === b.orgId &&
    a.orgRole === b.orgRole &&
    sameClaims(a.actor, b.actor)
  )
}

/**
 * Who is signed in, Clerk-style: `isLoaded`, `isSignedIn`, `userId`,
 * `sessionId`, `orgId`, `orgRole`, `actor`, and stable `has`, `getToken`,
 * `signOut`. Re-renders only when one of those values changes (never on a
 * touch or a token refresh).
 */
export function useAuth(options?: SessionHookOptions): UseAuthReturn {
  const client = useClientFor('useAuth', options)
  const slice = useClientSelector(client, selectAuth, sameAuth)
  const { has, getToken, signOut } = boundActions(client)
  const actions = { has, getToken, signOut }
  if (slice.status === 'loading') {
    return { isLoaded: false, isSignedIn: undefined, userId: undefined, sessionId: undefined, orgId: undefined, orgRole: undefined, actor: undefined, ...actions }
  }
  if (slice.status === 'signed-out') {
    return { isLoaded: true, isSignedIn: false, userId: null, sessionId: null, orgId: null, orgRole: null, actor: null, ...actions }
  }
  const { userId, sessionId, orgId, orgRole, actor } = slice
  return { isLoaded: true, isSignedIn: true, userId, sessionId, orgId, orgRole, actor, ...actions }
}
