// Small pieces of an app using sessionkit with TanStack Query, for stories.
import { notifyManager, QueryClient, QueryClientProvider, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useState, useSyncExternalStore, type ReactNode } from 'react'
import { useAuth, useSessionList, useUser } from '../../src/react'
import {
  SessionQueryBoundary,
  sessionIdInKey,
  sessionRetry,
  sessionRetryDelay,
  useAuthFetch,
  useSessionKey,
} from '../../src/react-query'
import '../demo/demo.css'
import type { StoryApi } from './storyApi'

/** A QueryClient per story, with sessionkit's retry policy, inside `SessionQueryBoundary`. */
export function WithQueries({ children, syncOnline = false }: { children?: ReactNode; syncOnline?: boolean }) {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { retry: sessionRetry, retryDelay: sessionRetryDelay } } }),
  )
  useEffect(() => () => queryClient.clear(), [queryClient])
  return (
    <QueryClientProvider client={queryClient}>
      <SessionQueryBoundary syncOnline={syncOnline}>{children}</SessionQueryBoundary>
    </QueryClientProvider>
  )
}

/** Who is active, and `GET /api/me` fetched for them: the query key carries the session. */
export function Profile({ api }: { api: StoryApi }) {
  const { isSignedIn } = useAuth()
  const { user } = useUser()
  const authFetch = useAuthFetch({ fetch: api.fetch })
  const me = useQuery({
    queryKey: ['me', ...useSessionKey()],
    queryFn: ({ signal }) => authFetch.json<{ name: string }>('/api/me', { signal }),
    enabled: isSignedIn === true,
  })
  const shown = me.fetchStatus === 'paused' ? 'waiting for the network…' : me.isError ? `error: ${me.error.message}` : (me.data?.name ?? 'loading…')
  return (
    <section className="demo-card" aria-label="Profile">
      <dl>
        <dt>Active account</dt>
        <dd>{user ? `${user.firstName} ${user.lastName}` : 'nobody'}</dd>
        <dt>
          <code>GET /api/me</code> says
        </dt>
        <dd data-testid="api-says">{isSignedIn ? shown : '—'}</dd>
      </dl>
      <div className="demo-row">
        <button type="button" className="demo-button" disabled={!isSignedIn} onClick={() => void me.refetch()}>
          Call the API again
        </button>
      </div>
    </section>
  )
}

/** Buttons to switch between the browser's signed-in accounts, and to sign out. */
export function AccountSwitcher() {
  const { sessions, setActive } = useSessionList()
  const { sessionId, signOut } = useAuth()
  const live = (sessions ?? []).filter((session) => session.status === 'active')
  return (
    <div className="demo-row" role="group" aria-label="Accounts">
      {live
        .filter((session) => session.id !== sessionId)
        .map((session) => (
          <button key={session.id} type="button" className="demo-button" onClick={() => void setActive(session.id)}>
            Switch to {session.publicUserData.firstName}
          </button>
        ))}
      <button type="button" className="demo-button" data-tone="quiet" disabled={!sessionId} onClick={() => void signOut()}>
        Sign out
      </button>
    </div>
  )
}

/** What the QueryClient holds: each query's key (session id shortened) and whether it has data. */
export function CacheInspector() {
  const queryClient = useQueryClient()
  const cache = queryClient.getQueryCache()
  const [, rerender] = useState(0)
  // The cache tells its listeners at once, also while another component renders (a new key's
  // query is added in Profile's render): batchCalls defers the rerender, as TanStack's own hooks do.
  useEffect(() => cache.subscribe(notifyManager.batchCalls(() => rerender((n) => n + 1))), [cache])
  const queries = cache.getAll()
  return (
    <section className="demo-card" aria-label="Query cache">
      <p data-testid="cache-size">
        {queries.length === 0 ? 'The cache is empty.' : `${queries.filter((q) => q.state.data !== undefined).length} of ${queries.length} cached queries hold data.`}
      </p>
      <ul>
        {queries.map((query) => {
          const sessionId = sessionIdInKey(query.queryKey)
          return (
            <li key={query.queryHash}>
              <code>{String(query.queryKey[0])}</code> · session {sessionId ? sessionId.slice(0, 12) : String(sessionId)} ·{' '}
              {query.state.data === undefined ? 'no data' : 'has data'}
            </li>
          )
        })}
      </ul>
    </section>
  )
}

/** Every request the story API answered: status and which token (by number, never the token). */
export function RequestLog({ api }: { api: StoryApi }) {
  const requests = useSyncExternalStore(api.subscribe, () => api.requests)
  return (
    <section className="demo-card" aria-label="Requests">
      {requests.length === 0 ? <p>No request yet.</p> : null}
      <ol>
        {requests.map((request) => (
          <li key={request.n}>
            <code>GET {request.path}</code> with {request.token === null ? 'no token' : `token #${request.token}`} →{' '}
            <strong>{request.status}</strong>
          </li>
        ))}
      </ol>
    </section>
  )
}
