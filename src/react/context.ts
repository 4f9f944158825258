'use client'
import { createContext, useContext } from 'react'
import { SessionKitError } from '../core/errors'
import type { SessionClient } from '../core/types'

/** Holds the client of the nearest `SessionProvider`; null outside one. */
export const SessionContext = createContext<SessionClient | null>(null)
// A name for React DevTools, which only development builds need.
if (process.env.NODE_ENV !== 'production') SessionContext.displayName = 'SessionContext'

/** What every hook accepts: a client to use instead of the provider's. Default: the provider's client. */
export interface SessionHookOptions {
  /** Use this client instead of the nearest `SessionProvider`'s (handy in tests). Default: the provider's. */
  client?: SessionClient
}

/**
 * The client a hook or component works with: the one passed in, else the
 * provider's. Throws `missing_provider` (naming the caller in development)
 * when there is neither.
 */
export function useClientFor(caller: string, options?: SessionHookOptions): SessionClient {
  // Read on every render, even when unused: a hook is never called conditionally.
  const provided = useContext(SessionContext)
  const client = options?.client || provided
  if (client) return client
  throw new SessionKitError('missing_provider', process.env.NODE_ENV !== 'production' ? `\`${caller}\` must be used within \`SessionProvider\`` : 'No SessionProvider.')
}
