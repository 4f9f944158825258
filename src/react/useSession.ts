'use client'
import type { Session, SessionClientState } from '../core/types'
import { useClientFor, type SessionHookOptions } from './context'
import { useClientSelector } from './useSessionSelector'

/** What `useSession()` returns: `session` is undefined while loading, null when signed out. */
export type UseSessionReturn =
  | { isLoaded: false; isSignedIn: undefined; session: undefined }
  | { isLoaded: true; isSignedIn: false; session: null }
  | { isLoaded: true; isSignedIn: true; session: Session }

function selectSession({ status, session }: SessionClientState): UseSessionReturn {
  if (status === 'loading') return { isLoaded: false, isSignedIn: undefined, session: undefined }
  // Signed in with no session object counts as signed out, as everywhere else.
  if (status === 'signed-in' && session) return { isLoaded: true, isSignedIn: true, session }
  return { isLoaded: true, isSignedIn: false, session: null }
}

/** Two selections are the same when their sessions are: `isLoaded` and `isSignedIn` follow from `session`. */
const sameSession = (a: UseSessionReturn, b: UseSessionReturn) => a.session === b.session

/**
 * The active session (`{ isLoaded, isSignedIn, session }`). Re-renders when
 * the session object changes, which includes every renewal of `expireAt`.
 */
export function useSession(options?: SessionHookOptions): UseSessionReturn {
  return useClientSelector(useClientFor('useSession', options), selectSession, sameSession)
}
