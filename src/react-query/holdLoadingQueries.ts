import type { DefaultOptions, Query, QueryClient } from '@tanstack/react-query'
import { isLoadingKey } from './sessionKey'

type AppEnabled = NonNullable<DefaultOptions['queries']>['enabled']
type HoldingEnabled = (query: Query) => boolean

/** Our `enabled` default → the app's own default it wraps. */
const wrapped = new WeakMap<object, AppEnabled>()
/** How many connections hold each QueryClient's loading queries. */
const holders = new WeakMap<QueryClient, number>()

/**
 * Makes queries keyed while the client loads (`useSessionKey()` before the
 * first load lands) wait instead of fetching: TanStack Query's default
 * `enabled` becomes false for such keys, and stays the app's own default for
 * every other key. Sent now, such a query would reach the server once the load
 * has found the user (the token waits for it), cache that user's data under a
 * key that names nobody, and be sent again under the session's key. A query
 * that passes its own `enabled` decides for itself. Idempotent: call it where
 * the first render of the queries cannot have happened yet.
 */
export function holdLoadingQueries(queryClient: QueryClient): void {
  const defaults = queryClient.getDefaultOptions()
  const queries = defaults.queries ?? {}
  const current = queries.enabled
  if (typeof current === 'function' && wrapped.has(current)) return
  const enabled: HoldingEnabled = (query) => !isLoadingKey(query.queryKey) && resolveEnabled(current, query)
  wrapped.set(enabled, current)
  queryClient.setDefaultOptions({ ...defaults, queries: { ...queries, enabled } })
}

/**
 * `holdLoadingQueries` for as long as a connection lasts: the returned
 * function gives the QueryClient back its own `enabled` default once the last
 * connection ends (unless the app has set another one meanwhile).
 */
export function holdLoadingQueriesWhileConnected(queryClient: QueryClient): () => void {
  holdLoadingQueries(queryClient)
  holders.set(queryClient, (holders.get(queryClient) ?? 0) + 1)
  let held = true
  return () => {
    if (!held) return
    held = false
    const count = (holders.get(queryClient) ?? 1) - 1
    holders.set(queryClient, count)
    if (count === 0) release(queryClient)
  }
}

function release(queryClient: QueryClient): void {
  const defaults = queryClient.getDefaultOptions()
  const { enabled, ...queries } = defaults.queries ?? {}
  if (typeof enabled !== 'function' || !wrapped.has(enabled)) return
  const appEnabled = wrapped.get(enabled)
  queryClient.setDefaultOptions({ ...defaults, queries: appEnabled === undefined ? queries : { ...queries, enabled: appEnabled } })
}

/** TanStack Query's reading of `enabled`: a function of the query, or anything but `false`. */
function resolveEnabled(enabled: AppEnabled, query: Query): boolean {
  if (typeof enabled === 'function') return enabled(query)
  return enabled !== false
}
