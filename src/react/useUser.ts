'use client'
import { shallow } from 'zustand/shallow'
import type { SessionClientState, User } from '../core/types'
import { useClientFor, type SessionHookOptions } from './context'
import { useClientSelector } from './useSessionSelector'

/** What `useUser()` returns: `user` is undefined while loading, null when signed out. */
export type UseUserReturn =
  | { isLoaded: false; isSignedIn: undefined; user: undefined }
  | { isLoaded: true; isSignedIn: false; user: null }
  | { isLoaded: true; isSignedIn: true; user: User }

function selectUser(state: SessionClientState): UseUserReturn {
  if (state.status === 'loading') return { isLoaded: false, isSignedIn: undefined, user: undefined }
  if (state.status !== 'signed-in' || !state.user) return { isLoaded: true, isSignedIn: false, user: null }
  return { isLoaded: true, isSignedIn: true, user: state.user }
}

/** The signed-in user (`{ isLoaded, isSignedIn, user }`); re-renders when the user object changes. */
export function useUser(options?: SessionHookOptions): UseUserReturn {
  const client = useClientFor('useUser', options)
  return useClientSelector(client, selectUser, shallow)
}
