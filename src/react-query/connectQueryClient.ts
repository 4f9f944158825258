import { notifyManager, type Query, type QueryClient } from '@tanstack/react-query'
import type { SessionClient, SessionClientState } from '../core/types'
import { holdLoadingQueriesWhileConnected } from './holdLoadingQueries'
import { connectOnlineManager } from './onlineManager'
import { isLoadingKey, sessionIdInKey, sessionTagInKey } from './sessionKey'

/** Options of `connectQueryClient`, `useSessionQueryCache` and `SessionQueryBoundary`. */
export interface SessionQueryCacheOptions {
  /** Queries that hold nobody's data (public config, feature flags) and survive sign-out and switches. Default: none. */
  keep?: (query: Query) => boolean
  /** Let the session client's connectivity drive TanStack Query's `onlineManager` (see `connectOnlineManager`). Default true. */
  syncOnline?: boolean
}

/**
 * Keeps a QueryClient's cache to the signed-in user: no data of one account
 * is ever served to another.
 * - Signed out (by the user, expiry or the server, or found signed out by
 *   the first load): every query and mutation is dropped, but `keep`'s.
 * - Active session switched: queries of the previous session, every query
 *   not tagged with `sessionKey`, and every mutation are dropped; queries
 *   tagged with another session that is still signed in are kept.
 * - Active organization switched (or the personal account chosen) in the same
 *   session: that session's queries of the previous organization (and those
 *   tagged with no organization), and every untagged query, are dropped;
 *   queries tagged with another organization or session are kept.
 * - A session ends (or the cache holds queries of sessions this client does
 *   not know, e.g. restored from storage): its tagged queries are dropped.
 *   Untagged queries restored while signed in are kept (nobody can tell
 *   whose they are): tag them with `sessionKey` if a persister may restore them.
 * - Connecting to a client that is signed out or in already (a server
 *   snapshot) treats the cache as the first load would: signed out drops
 *   every query and mutation but `keep`'s (and queries still on their first
 *   fetch, which hold nothing yet).
 * - While the client loads, queries keyed with `sessionKey` of the loading
 *   state wait (see `holdLoadingQueries`); once it has loaded, those queries
 *   are dropped (their components now use the session's key, or null's).
 *
 * Dropping happens synchronously, when the session changes and before React
 * renders the change: each query is cancelled, reset (so a mounted component
 * loses its data) and removed. Returns a function that disconnects.
 */
export function connectQueryClient(
  client: SessionClient,
  queryClient: QueryClient,
  options: SessionQueryCacheOptions = {},
): () => void {
  const keep = options.keep ?? (() => false)
  let signedInIds = signedInIdsOf(client.getState())

  const dropTaggedWithEnded = () =>
    drop(queryClient, (query) => {
      const id = sessionIdInKey(query.queryKey)
      return typeof id === 'string' && !signedInIds.has(id) && !keep(query)
    })

  const onChange = (state: SessionClientState, previous: SessionClientState) => {
    if (state.status === previous.status && state.session === previous.session && state.sessions === previous.sessions) return
    const before = signedInIds
    signedInIds = signedInIdsOf(state)
    if (state.status === 'signed-out') {
      if (previous.status !== 'signed-out') drop(queryClient, (query) => !keep(query), true)
      return
    }
    if (state.status !== 'signed-in') return
    // One that ran anyway (its own `enabled`, `fetchQuery`) holds the found user's data under a key naming nobody.
    if (previous.status === 'loading') drop(queryClient, (query) => isLoadingKey(query.queryKey) && !keep(query))
    const previousId = previous.status === 'signed-in' ? (previous.session?.id ?? null) : null
    if (previousId !== null && previousId !== state.session?.id) {
      // Mutations too: their variables and results (useMutationState) are the previous user's.
      drop(
        queryClient,
        (query) => {
          if (keep(query)) return false
          const id = sessionIdInKey(query.queryKey)
          // Untagged (or tagged while signed out): it held whoever was active, so not the new user's.
          return typeof id !== 'string' || id === previousId || !signedInIds.has(id)
        },
        true,
      )
      return
    }
    // Same session, another organization: authFetch now sends the new organization's tokens.
    const previousSession = previous.status === 'signed-in' ? previous.session : null
    if (previousSession && state.session && previousSession.lastActiveOrganizationId !== state.session.lastActiveOrganizationId) {
      dropOrganization(queryClient, { sessionId: previousSession.id, organizationId: previousSession.lastActiveOrganizationId }, keep)
    }
    if (!sameSet(before, signedInIds)) dropTaggedWithEnded()
  }

  const release = holdLoadingQueriesWhileConnected(queryClient)
  const unsubscribe = client.subscribe(onChange)
  // What the cache holds already (restored by a persister, set before connecting) is judged as a
  // first load would: signed out (a server snapshot), nobody's data stays; signed in, that of sessions gone.
  // A query still pending holds nothing yet: the children's first fetches, sent signed out, go on
  // (else StrictMode's second connect would cancel and send each one again).
  const { status } = client.getState()
  if (status === 'signed-out') drop(queryClient, (query) => query.state.status !== 'pending' && !keep(query), true)
  if (status === 'signed-in') dropTaggedWithEnded()
  // Whoever's data a query keyed while loading holds (restored from storage), it is not known to be this user's.
  drop(queryClient, (query) => isLoadingKey(query.queryKey) && query.state.status !== 'pending' && !keep(query))
  const disconnectOnline = options.syncOnline === false ? () => {} : connectOnlineManager(client)
  return () => {
    unsubscribe()
    disconnectOnline()
    release()
  }
}

/**
 * After the active session's organization changed: its queries tagged with the
 * previous organization or with none (`sessionKey(sessionId)`: they held
 * whichever was active), and untagged ones, held the previous organization's data.
 */
function dropOrganization(
  queryClient: QueryClient,
  previous: { sessionId: string; organizationId: string | null },
  keep: (query: Query) => boolean,
): void {
  drop(queryClient, (query) => {
    if (keep(query)) return false
    const tag = sessionTagInKey(query.queryKey)
    // Untagged (or tagged while signed out): it held whichever organization was active.
    if (typeof tag?.sessionkitSessionId !== 'string') return true
    if (tag.sessionkitSessionId !== previous.sessionId) return false
    return tag.sessionkitOrganizationId === undefined || tag.sessionkitOrganizationId === previous.organizationId
  })
}

/** Cancels, resets (mounted observers lose the data at once) and removes every matching query. */
function drop(queryClient: QueryClient, shouldDrop: (query: Query) => boolean, mutations = false): void {
  const cache = queryClient.getQueryCache()
  const doomed = cache.getAll().filter(shouldDrop)
  if (doomed.length === 0 && !mutations) return
  notifyManager.batch(() => {
    for (const query of doomed) {
      query.reset()
      cache.remove(query)
    }
    // Mutations carry what the user sent (variables) and got back.
    if (mutations) queryClient.getMutationCache().clear()
  })
}

function signedInIdsOf(state: SessionClientState): Set<string> {
  return new Set(state.sessions.filter((session) => session.status === 'active').map((session) => session.id))
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((id) => b.has(id))
}
