'use client'
import { useEffect, useRef } from 'react'
import type { SessionEventListener, SessionEventName } from '../core/events'
import { useClientFor, type SessionHookOptions } from './context'
import { useIsomorphicLayoutEffect } from './useIsomorphicLayoutEffect'

/**
 * Calls `handler` each time the client emits `event` (`signedIn`,
 * `signedOut`, `warning`, `renewed`, `sessionChanged`, `tokenRefreshed`,
 * `connectivity`), once per real change, in this tab. Subscribes once per
 * client and event: `handler` may be a new function on every render (it
 * always sees the latest props and state) without resubscribing. Never
 * re-renders by itself; nothing runs during a server render.
 */
export function useSessionEvent<E extends SessionEventName>(
  event: E,
  handler: SessionEventListener<E>,
  options?: SessionHookOptions,
): void {
  const client = useClientFor('useSessionEvent', options)
  // The latest handler, swapped in before any effect of this render can emit.
  const latest = useRef(handler)
  useIsomorphicLayoutEffect(() => {
    latest.current = handler
  })
  useEffect(() => client.on(event, (payload) => latest.current(payload)), [client, event])
}
