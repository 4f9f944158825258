import type { App } from './context'
import { cookieMaxAgeSeconds } from './cookies'
import { RECENTLY_ENDED_MS } from './sessions'

const PRUNE_EVERY_MS = 60 * 60 * 1000
const EMPTY_CLIENT_TTL_MS = 24 * 60 * 60 * 1000

/**
 * Sessions no request can ask about any more: ended (or removed) before the
 * client cookie's lifetime, or still marked signed in but past a deadline
 * that long ago (nobody came back to lapse them). A live acting session's
 * impersonator session is signed in, so never among them; an acting session
 * whose own session is gone ends exactly as if it had ended. updated_at is
 * never later than a signed-in session's deadlines, so its index finds both.
 */
const PRUNABLE_SESSIONS = `updated_at < :cutoff
  AND (status NOT IN ('active', 'pending') OR expire_at < :cutoff OR abandon_at < :cutoff)`

/**
 * Hourly housekeeping, run by the first request of each hour. Old sessions go
 * first; then clients with no session left that are older than a day (a
 * client only sign-in creates, so one without sessions is a failed sign-in
 * or a browser whose sessions were pruned): its browser simply reads as new.
 */
export function pruneIfDue(app: App, now: number): void {
  // A clock that went back (tests, a corrected system clock) also prunes, then starts the hour again.
  if (now - app.lastPruneAt < PRUNE_EVERY_MS && now >= app.lastPruneAt) return
  app.lastPruneAt = now
  const { db, config } = app
  const keepMs = Math.max(cookieMaxAgeSeconds(config.policy) * 1000, RECENTLY_ENDED_MS)
  const params = { ':cutoff': now - keepMs }
  db.transaction(() => {
    db.run(`UPDATE clients SET last_active_session_id = NULL WHERE last_active_session_id IN (SELECT id FROM sessions WHERE ${PRUNABLE_SESSIONS})`, params)
    db.run(`DELETE FROM sessions WHERE ${PRUNABLE_SESSIONS}`, params)
    db.run(
      `DELETE FROM clients WHERE created_at < ? AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.client_id = clients.id)`,
      [now - EMPTY_CLIENT_TTL_MS],
    )
  })
}
