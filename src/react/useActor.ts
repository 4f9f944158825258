'use client'
import { useCallback } from 'react'
import type { ActorResource } from '../core/types'
import { useClientFor, type SessionHookOptions } from './context'
import { useAuth } from './useAuth'

/** What `useActor()` returns. */
export interface UseActorReturn {
  /** Who is acting as the signed-in user (`{ sub, …claims }`, e.g. `identifier`), or null: nobody, signed out, or loading. */
  actor: ActorResource | null
  /** Whether someone is acting as the user: show it (`<ImpersonationBanner />`). */
  isImpersonating: boolean
  /** Stops acting: this session ends and the impersonator's own session is active again (`client.stopImpersonation`). Stable. */
  stop: () => Promise<void>
  /** Whether `stop` can work: the adapter has `stopImpersonation`. */
  canStop: boolean
}

/**
 * Impersonation as the active session shows it: its `actor` (support staff
 * acting as the user) and a way to stop. Re-renders only when who is signed
 * in or acting changes (never on a touch or a token refresh).
 */
export function useActor(options?: SessionHookOptions): UseActorReturn {
  const client = useClientFor('useActor', options)
  const actor = useAuth({ client }).actor ?? null
  const stop = useCallback(() => client.stopImpersonation(), [client])
  return { actor, isImpersonating: actor !== null, stop, canStop: client.capabilities.impersonation }
}
