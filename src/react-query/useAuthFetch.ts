'use client'
import { useMemo } from 'react'
import { useClientFor, type SessionHookOptions } from '../react/context'
import { createAuthFetch, type AuthFetch, type AuthFetchOptions } from './authFetch'

/** Options of `useAuthFetch`: request defaults plus, optionally, the client to use. */
export interface UseAuthFetchOptions extends AuthFetchOptions, SessionHookOptions {}

/**
 * `createAuthFetch` for the provider's session client: a `fetch` that sends
 * the session's token. Stable while the client and the options' values stay
 * the same, and never re-renders by itself.
 */
export function useAuthFetch(options: UseAuthFetchOptions = {}): AuthFetch {
  const client = useClientFor('useAuthFetch', options)
  const { template, organizationId, leewayInSeconds, sessionId, anonymous, fetch } = options
  return useMemo(
    () => createAuthFetch(client, { template, organizationId, leewayInSeconds, sessionId, anonymous, fetch }),
    [client, template, organizationId, leewayInSeconds, sessionId, anonymous, fetch],
  )
}
