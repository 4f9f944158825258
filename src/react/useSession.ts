'use client'
import { shallow } from 'zustand/shallow'
import type { Session, SessionClientState } from '../core/types'
import { useClientFor, type SessionHookOptions } from './context'
import { useClientSelector } from './useSessionSelector'

/** What `useSession()` returns: `session` is undefined while loading, null when signed out. */
export type UseSessionReturn =
  | { isLoaded: false; isSignedIn: undefined; session: undefined }
  | { isLoaded: true; isSignedIn: false; session: null }
  | { isLoaded: true; isSignedIn: true; session: Session }

function selectSession({ status, session }: SessionClientState): UseSessionReturn {
  const isLoaded = status !== 'loading'
  const active = status === 'signed-in' ? session : null
  return {
    isLoaded,
    isSignedIn: isLoaded ? !!active : undefined,
    session: isLoaded ? active : undefined,
  } as UseSessionReturn
}

/**
 * The active session (`{ isLoaded, isSignedIn, session }`). Re-renders when
 * the session object changes, which includes every renewal of `expireAt`.
 */
export function useSession(options?: SessionHookOptions): UseSessionReturn {
  return useClientSelector(useClientFor('useSession', options), selectSession, shallow)
}
