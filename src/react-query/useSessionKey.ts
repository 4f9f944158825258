'use client'
import { useClientFor, type SessionHookOptions } from '../react/context'
import { useClientSelector } from '../react/useSessionSelector'
import { sessionKey, type SessionKey } from './sessionKey'

// Every server answer brings a new session object: compare the tag, so touches and token refreshes keep the key.
const sameSessionKey = ([a]: SessionKey, [b]: SessionKey) =>
  a.sessionkitSessionId === b.sessionkitSessionId &&
  a.sessionkitOrganizationId === b.sessionkitOrganizationId &&
  a.sessionkitLoading === b.sessionkitLoading

/**
 * `sessionKey` for the active session and its active organization:
 * `useQuery({ queryKey: ['me', ...useSessionKey()] })`. The key changes in
 * the same render as the active session or organization, so a component never
 * shows one account's (or organization's) data under another. Signed out,
 * the tag's session is null (gate a query that needs a user with `enabled:
 * isSignedIn`). While the client loads, the tag says so (`sessionkitLoading`)
 * and, inside `SessionQueryBoundary`, the query waits: it runs once, when the
 * load has found the session (or nobody). Re-renders only when the active
 * session or organization changes, and when the load lands.
 */
export function useSessionKey(options?: SessionHookOptions): SessionKey {
  const client = useClientFor('useSessionKey', options)
  return useClientSelector(client, sessionKey, sameSessionKey)
}
