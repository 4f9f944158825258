import { useEffect, useState } from 'react'
import type { SessionClient } from '../../../src/core/types'

/**
 * Whether this tab is the one refreshing tokens and touching the server for
 * all tabs. Leadership is not part of the store's state, so it is re-read on
 * every store change and once a second.
 */
export function useIsLeader(client: SessionClient): boolean {
  const [leader, setLeader] = useState(() => client.isLeader())
  useEffect(() => {
    const read = () => setLeader(client.isLeader())
    read()
    const unsubscribe = client.subscribe(read)
    const timer = setInterval(read, 1_000)
    return () => {
      unsubscribe()
      clearInterval(timer)
    }
  }, [client])
  return leader
}
