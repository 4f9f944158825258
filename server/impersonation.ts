import type { ActorResource } from '../src/core/resources'
import type { ServerConfig } from './config'
import type { Database } from './db'
import { renewedExpireAt, type SessionRow } from './sessions'
import type { UserRow } from './users'

// Support staff acting as a user. The acting session is a session of the
// user whose `actor` names the impersonator; the impersonator's own session
// on the same browser stays signed in underneath, to return to.

/** The `actor` of a session `user` acts in: who they are, for the UI ("signed in as …") and for audits. */
export function actorOf(user: UserRow): ActorResource {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ')
  return { sub: user.id, identifier: user.email, ...(name ? { name } : {}) }
}

/** What tokens carry as `act` (RFC 8693): only who acts; an API looks the rest up. */
export function actClaim(actor: string): { sub: string } {
  return { sub: (JSON.parse(actor) as ActorResource).sub }
}

/** The impersonator's own (not impersonated) signed-in session on this client, the newest if several. */
function ownSessionOf(db: Database, clientId: string, userId: string): SessionRow | null {
  return db.get<SessionRow>(
    `SELECT * FROM sessions WHERE client_id = ? AND user_id = ? AND actor IS NULL AND status = 'active'
     ORDER BY created_at DESC, rowid DESC LIMIT 1`,
    [clientId, userId],
  )
}

/**
 * The impersonator's own session an acting session belongs to: the one it was
 * started from while that is signed in, else (signed in with `actAs`, or that
 * one is gone) their newest own session on the client.
 */
export function impersonatorSessionOf(db: Database, acting: SessionRow): SessionRow | null {
  if (acting.actor === null) return null
  if (acting.actor_session_id !== null) {
    const ridden = db.get<SessionRow>(`SELECT * FROM sessions WHERE id = ? AND client_id = ? AND status = 'active'`, [
      acting.actor_session_id,
      acting.client_id,
    ])
    if (ridden) return ridden
  }
  return ownSessionOf(db, acting.client_id, actClaim(acting.actor).sub)
}

/**
 * Activity in an acting session is the impersonator's activity: their own
 * session is renewed with it, so "Stop acting" still finds it signed in.
 */
export function renewImpersonator(db: Database, config: ServerConfig, acting: SessionRow, now: number): void {
  const own = impersonatorSessionOf(db, acting)
  if (!own) return
  db.run('UPDATE sessions SET last_active_at = ?, updated_at = ?, expire_at = ? WHERE id = ?', [
    now,
    now,
    renewedExpireAt(config, now, own.abandon_at),
    own.id,
  ])
}
