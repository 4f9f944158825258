'use client'
import type { SessionClient } from '../core/types'
import { useClientFor, type SessionHookOptions } from './context'

/** The session client of the nearest `SessionProvider` (or `options.client`). Never re-renders by itself. */
export function useSessionClient(options?: SessionHookOptions): SessionClient {
  return useClientFor('useSessionClient', options)
}
