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

function selectSession(state: SessionClientState): UseSessionReturn {
  if (state.status === 'loading') return { isLoaded: false, isSignedIn: undefined, session: undefined }
  if (state.status !== 'signed-in' || !state.session) return { isLoaded: true, isSignedIn: false, session: null }
  return { isLoaded: true, isSignedIn: true, session: state.session }
}

/**
 * The active session (`{ isLoaded, isSignedIn, session }`). Re-renders when
 * the session object changes, which includes every renewal of `expireAt`.
 */
export function useSession(options?: SessionHookOptions): UseSessionReturn {
  const client = useClientFor('useSession', options)
  return useClientSelector(client, selectSession, shallow)
}
