'use client'
import { useMemo } from 'react'
import type { SessionClientState } from '../core/types'
import { useClientFor, type SessionHookOptions } from '../react/context'
import { useClientSelector } from '../react/useSessionSelector'
import { sessionKey, type SessionKey } from './sessionKey'

const selectSessionId = (state: SessionClientState) => state.session?.id ?? null

/**
 * `sessionKey` for the active session: `useQuery({ queryKey: ['me',
 * ...useSessionKey()] })`. The key changes in the same render as the active
 * session, so a component never shows one account's data under another.
 * Tagged with null while loading or signed out: gate the query with
 * `enabled: isSignedIn`. Re-renders only when the active session changes.
 */
export function useSessionKey(options?: SessionHookOptions): SessionKey {
  const client = useClientFor('useSessionKey', options)
  const sessionId = useClientSelector(client, selectSessionId)
  return useMemo(() => sessionKey(sessionId), [sessionId])
}
