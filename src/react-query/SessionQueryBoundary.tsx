'use client'
import type { ReactNode } from 'react'
import { useSessionQueryCache, type UseSessionQueryCacheOptions } from './useSessionQueryCache'

/** Props of `SessionQueryBoundary`. */
export interface SessionQueryBoundaryProps extends UseSessionQueryCacheOptions {
  children?: ReactNode
}

/**
 * Keeps TanStack Query's cache to the signed-in user for everything inside
 * it: sign-out or expiry drops every query, a session switch drops the
 * previous session's, an organization switch the previous organization's,
 * and `onlineManager` follows the session's connectivity. Place it inside
 * both `QueryClientProvider` and `SessionProvider` (or pass `queryClient` /
 * `client`). Renders its children unchanged.
 */
export function SessionQueryBoundary({ children, ...options }: SessionQueryBoundaryProps) {
  useSessionQueryCache(options)
  return <>{children}</>
}
