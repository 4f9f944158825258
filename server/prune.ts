import type { App } from './context'

const PRUNE_EVERY_MS = 60 * 60 * 1000
const EMPTY_CLIENT_TTL_MS = 24 * 60 * 60 * 1000

/**
 * Hourly housekeeping, run by the first request of each hour: a client only
 * sign-in creates, so one with no session is a failed sign-in (or all its
 * sessions were pruned); after a day its browser simply reads as new again.
 */
export function pruneIfDue(app: App, now: number): void {
  // A clock that went back (tests, a corrected system clock) also prunes, then starts the hour again.
  if (now - app.lastPruneAt < PRUNE_EVERY_MS && now >= app.lastPruneAt) return
  app.lastPruneAt = now
  app.db.run(
    `DELETE FROM clients WHERE created_at < ? AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.client_id = clients.id)`,
    [now - EMPTY_CLIENT_TTL_MS],
  )
}
