import type { Clock } from './clock'
import type { DeadlineTimeline } from './deadline'
import type { ServerLink } from './serverLink'
import type { SessionState } from './sessionState'
import type { SessionStore } from './store'
import type { ClientSnapshot } from './types'

/** A server snapshot older than this is checked with the server on mount (ms). */
export const SNAPSHOT_MAX_AGE_MS = 60_000

/** What starting from a snapshot reaches. */
export interface SnapshotParts {
  store: SessionStore
  link: ServerLink
  clock: Clock
  timeline: DeadlineTimeline
  clientState: SessionState
}

/**
 * Starts a client from the server's snapshot (null: signed out), before
 * anything is mounted: the state a server render shows, and the client's
 * first render too. Returns whether
 * the snapshot is stale, taken over a minute ago or its session already past
 * its deadline, so the mount asks the server at once.
 */
export function startFromSnapshot(snapshot: ClientSnapshot | null, { store, link, clock, timeline, clientState }: SnapshotParts): boolean {
  if (snapshot === null) {
    clientState.signOut(null, false)
    store.settleInitialState()
    return false
  }
  link.adoptSnapshot(snapshot.serverNow)
  clientState.applySnapshot(snapshot.client)
  store.settleInitialState()
  const { session } = store.getState()
  const expired = session !== null && timeline.derive(session, clock.now()).phase === 'expired'
  return expired || Math.abs(clock.now() - snapshot.serverNow) > SNAPSHOT_MAX_AGE_MS
}
