'use client'
import type { Session, SessionClientState } from '../core/types'
import { boundActions } from './boundActions'
import { useClientFor, type SessionHookOptions } from './context'
import { useClientSelector } from './useSessionSelector'

/** What `useSessionList()` returns: `sessions` is undefined while loading. */
export interface UseSessionListReturn {
  isLoaded: boolean
  /** Every session this browser knows, active or not; undefined while loading. */
  sessions: readonly Session[] | undefined
  /** Makes another session active (multi-session apps); `null` = none. Stable. */
  setActive: (sessionId: string | null, options?: { organizationId?: string | null }) => Promise<void>
  /**
   * Whether another account can be added on this browser: the adapter has
   * multi-session and a sign-in, and the server's policy allows several
   * sessions (`policy.multiSession`). False for one-session backends (an OIDC
   * provider, a cookie session) and under a one-device policy.
   */
  canAddAccount: boolean
}

const selectSessions = (state: SessionClientState): readonly Session[] | undefined =>
  state.status === 'loading' ? undefined : state.sessions
/** The server's policy may turn multi-session off (a one-device policy). */
const selectPolicyAllowsAccounts = (state: SessionClientState): boolean => state.policy?.multiSession !== false

/** Every session on this browser and `setActive` to switch between them. */
export function useSessionList(options?: SessionHookOptions): UseSessionListReturn {
  const client = useClientFor('useSessionList', options)
  const sessions = useClientSelector(client, selectSessions)
  const policyAllows = useClientSelector(client, selectPolicyAllowsAccounts)
  const { multiSession, passwordSignIn, redirectSignIn } = client.capabilities
  return {
    isLoaded: sessions !== undefined,
    sessions,
    setActive: boundActions(client).setActive,
    canAddAccount: policyAllows && multiSession && (passwordSignIn || redirectSignIn),
  }
}
