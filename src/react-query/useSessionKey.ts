'use client'
import { useClientFor, type SessionHookOptions } from '../react/context'
import { useClientSelector } from '../react/useSessionSelector'
import { sessionKey, type SessionKey } from './sessionKey'

// Every server answer brings a new session object: compare the tag, so touches and token refreshes keep the key.
const sameSessionKey = ([a]: SessionKey, [b]: SessionKey) =>
  a.sessionkitSessionId === b.sessionkitSessionId && a.sessionkitOrganizationId === b.sessionkitOrganizationId

/**
 * `sessionKey` for the active session and its active organization:
 * `useQuery({ queryKey: ['me', ...useSessionKey()] })`. The key changes in
 * the same render as the active session or organization, so a component never
 * shows one account's (or organization's) data under another. Tagged with
 * null while loading or signed out: gate the query with `enabled: isSignedIn`.
 * Re-renders only when the active session or organization changes.
 */
export function useSessionKey(options?: SessionHookOptions): SessionKey {
  const client = useClientFor('useSessionKey', options)
  return useClientSelector(client, sessionKey, sameSessionKey)
}
