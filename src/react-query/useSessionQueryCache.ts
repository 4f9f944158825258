'use client'
import { useQueryClient, type Query, type QueryClient } from '@tanstack/react-query'
import { useEffect, useRef } from 'react'
import { useClientFor, type SessionHookOptions } from '../react/context'
import { useIsomorphicLayoutEffect } from '../react/useIsomorphicLayoutEffect'
import { connectQueryClient, type SessionQueryCacheOptions } from './connectQueryClient'
import { holdLoadingQueries } from './holdLoadingQueries'

/** Options of `useSessionQueryCache`. */
export interface UseSessionQueryCacheOptions extends SessionQueryCacheOptions, SessionHookOptions {
  /** The QueryClient to keep in step. Default: the nearest `QueryClientProvider`'s. */
  queryClient?: QueryClient
}

/**
 * Keeps the QueryClient's cache to the signed-in user while mounted (see
 * `connectQueryClient`): sign-out or expiry drops every query, a session
 * switch drops the previous session's (an organization switch the previous
 * organization's), and TanStack Query's `onlineManager` follows the
 * session's connectivity. Call it once, near the root, below both providers;
 * `SessionQueryBoundary` is the same as a component.
 */
export function useSessionQueryCache(options: UseSessionQueryCacheOptions = {}): void {
  const client = useClientFor('useSessionQueryCache', options)
  const queryClient = useQueryClient(options.queryClient)
  const { syncOnline = true } = options
  // Now, in render: the children's queries take their defaults in their first render, before any effect here.
  holdLoadingQueries(queryClient)
  // An inline `keep` is a new function every render: read the latest, do not reconnect.
  const keepRef = useRef(options.keep)
  useIsomorphicLayoutEffect(() => {
    keepRef.current = options.keep
  })

  useEffect(
    () => connectQueryClient(client, queryClient, { syncOnline, keep: (query: Query) => keepRef.current?.(query) ?? false }),
    [client, queryClient, syncOnline],
  )
}
