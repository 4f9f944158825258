import type { ActorResource, ClientResource, SessionResource, SessionStatus } from '../src/core/resources'
import type { ServerConfig } from './config'
import type { Database } from './db'
import { HttpError } from './http'
import { findUser, publicUserData, userResource } from './users'

export interface SessionRow {
  id: string
  client_id: string
  user_id: string
  status: SessionStatus
  created_at: number
  updated_at: number
  last_active_at: number
  expire_at: number | null
  abandon_at: number | null
  first_factor_at: number | null
  second_factor_at: number | null
  actor: string | null
  last_active_org_id: string | null
  /** The device label parsed from the User-Agent at sign-in; null for sessions from before devices were recorded. */
  device: string | null
  /** The address the session was last used from (sign-in or touch); null when unknown. */
  ip: string | null
  /**
   * An acting session's impersonator's own session on the same client, which it ends with; null otherwise, after
   * sign-in with `actAs`, and for an acting session from schema 2 the upgrade could not tell was started from one.
   */
  actor_session_id: string | null
}

export interface ClientRow {
  id: string
  token_hash: string
  created_at: number
  last_active_session_id: string | null
}

/**
 * Age reported for an enrolled factor not yet verified in this session (a
 * second factor skipped at sign-in, or any factor of an impersonated
 * session). Older than any reverification window (at most 99,999 minutes),
 * so it never passes a check; -1 would mean "not enrolled" and let the first
 * factor stand in for it.
 */
export const NOT_VERIFIED_MINUTES = 100_000

const LAPSE_WHERE = `status IN ('active', 'pending')
  AND ((expire_at IS NOT NULL AND expire_at <= :now) OR (abandon_at IS NOT NULL AND abandon_at <= :now))`

const ABANDONED_FIRST = 'abandon_at IS NOT NULL AND abandon_at <= :now AND (expire_at IS NULL OR abandon_at <= expire_at)'

/**
 * An acting session nobody may act in any more: the impersonator's own session
 * it rides on is no longer signed in (ended, revoked, replaced, expired...), or
 * the impersonator lost `can_impersonate`.
 */
const ORPHANED_ACTING_WHERE = `status IN ('active', 'pending') AND actor IS NOT NULL AND (
  (actor_session_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM sessions own WHERE own.id = sessions.actor_session_id AND own.status = 'active'))
  OR NOT EXISTS (SELECT 1 FROM users u WHERE u.id = json_extract(sessions.actor, '$.sub') AND u.can_impersonate = 1))`

/**
 * Lifetimes are enforced lazily: before any read, sessions past a deadline
 * get their final status. Past both, the earlier wins; on a tie `abandoned`
 * (the limit "Stay signed in" could not have moved). Then acting sessions
 * whose impersonator's session is gone end too, however it ended: one rule
 * here covers every way a session ends, and every check reads after it.
 */
export function lapseSessions(db: Database, clientId: string, now: number): void {
  const params = { ':client': clientId, ':now': now }
  const due = `SELECT 1 AS found FROM sessions WHERE client_id = :client AND ((${LAPSE_WHERE}) OR (${ORPHANED_ACTING_WHERE})) LIMIT 1`
  if (!db.get(due, params)) return
  db.transaction(() => {
    db.run(
      // updated_at is the deadline itself: when the status really changed, whenever we notice it.
      `UPDATE sessions SET
         status = CASE WHEN ${ABANDONED_FIRST} THEN 'abandoned' ELSE 'expired' END,
         updated_at = CASE WHEN ${ABANDONED_FIRST} THEN abandon_at ELSE expire_at END
       WHERE client_id = :client AND ${LAPSE_WHERE}`,
      params,
    )
    db.run(`UPDATE sessions SET status = 'ended', updated_at = :now WHERE client_id = :client AND ${ORPHANED_ACTING_WHERE}`, params)
    clearStaleActive(db, clientId)
  })
}

/** `lastActiveSessionId` only ever names a signed-in session. */
export function clearStaleActive(db: Database, clientId: string): void {
  db.run(
    `UPDATE clients SET last_active_session_id = NULL WHERE id = ? AND last_active_session_id IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id = clients.last_active_session_id AND s.status = 'active')`,
    [clientId],
  )
}

export function getSession(db: Database, clientId: string, sessionId: string): SessionRow | null {
  return db.get<SessionRow>(`SELECT * FROM sessions WHERE id = ? AND client_id = ? AND status != 'removed'`, [sessionId, clientId])
}

/**
 * The session, still signed in, or the definite answer the client signs out on:
 * 401 `session_expired` past a lifetime; 401 `session_replaced` when a sign-in
 * on another device replaced it (one-device policy); 404 `session_not_found`
 * when it is unknown here or was ended, removed or revoked.
 */
export function requireActiveSession(db: Database, clientId: string, sessionId: string, now: number): SessionRow {
  lapseSessions(db, clientId, now)
  const session = getSession(db, clientId, sessionId)
  if (!session) throw new HttpError(404, 'session_not_found', 'No such session on this client: sign in again.')
  return assertActive(session)
}

export function assertActive(session: SessionRow): SessionRow {
  switch (session.status) {
    case 'active':
      return session
    case 'expired':
      return fail(401, 'session_expired', 'The session expired after a period of inactivity: sign in again.')
    case 'abandoned':
      return fail(401, 'session_expired', 'The session reached its maximum lifetime: sign in again.')
    case 'pending':
      return fail(401, 'unauthenticated', 'The session is not complete yet: finish signing in.')
    case 'replaced':
      // 401, not 404: a client that does not know this code still signs out on a 401.
      return fail(401, 'session_replaced', 'A newer sign-in replaced this session (you signed in on another device, and only one at a time is allowed): sign in again to continue here.')
    default:
      return fail(404, 'session_not_found', `The session was ${session.status}: sign in again.`)
  }
}

function fail(status: number, code: 'session_expired' | 'session_not_found' | 'session_replaced' | 'unauthenticated', message: string): never {
  throw new HttpError(status, code, message)
}

/** When the session ends whatever happens next: the earlier of its two deadlines. */
export function sessionEndsAt(session: SessionRow): number | null {
  const deadlines = [session.expire_at, session.abandon_at].filter((at): at is number => at !== null)
  return deadlines.length === 0 ? null : Math.min(...deadlines)
}

/** The inactivity deadline after activity at `now`, never past `abandonAt`. */
export function renewedExpireAt(config: ServerConfig, now: number, abandonAt: number | null): number | null {
  const { inactivityTimeoutMs } = config.policy
  if (inactivityTimeoutMs === null) return null
  return abandonAt === null ? now + inactivityTimeoutMs : Math.min(now + inactivityTimeoutMs, abandonAt)
}

const minutesSince = (at: number | null, now: number) =>
  at === null ? NOT_VERIFIED_MINUTES : Math.max(0, Math.floor((now - at) / 60_000))

export function sessionResource(db: Database, session: SessionRow, now: number): SessionResource {
  const user = findUser(db, session.user_id)
  if (!user) throw new Error(`Session ${session.id} belongs to a user that no longer exists.`)
  const second = user.totp_code === null ? -1 : minutesSince(session.second_factor_at, now)
  return {
    id: session.id,
    userId: session.user_id,
    status: session.status,
    createdAt: session.created_at,
    updatedAt: session.updated_at,
    lastActiveAt: session.last_active_at,
    expireAt: session.expire_at,
    abandonAt: session.abandon_at,
    factorVerificationAge: [minutesSince(session.first_factor_at, now), second],
    actor: session.actor === null ? null : (JSON.parse(session.actor) as ActorResource),
    lastActiveOrganizationId: session.last_active_org_id,
    publicUserData: publicUserData(user),
    user: userResource(db, user),
  }
}

/** How long a session that ended stays in its client's list: a tab asleep overnight still learns why. */
export const RECENTLY_ENDED_MS = 24 * 60 * 60 * 1000
/** At most this many of them: a hundred sign-outs in a day must not make every client answer grow. */
const RECENTLY_ENDED_LISTED = 5

/**
 * The client (empty if it has no row yet), oldest session first: every one
 * still signed in (or pending), and the few that ended within the last day,
 * so each tab learns how its session ended (expired, replaced, revoked...)
 * when it next reads. Older ones drop out, as in Clerk, where a client lists
 * its signed-in sessions; prune.ts deletes them later.
 */
export function clientResource(db: Database, clientId: string, config: ServerConfig, now: number): ClientResource {
  lapseSessions(db, clientId, now)
  // No row: a browser that has not signed in yet (see RequestContext.clientId) reads as a client with no sessions.
  const client = db.get<ClientRow>('SELECT * FROM clients WHERE id = ?', [clientId]) ?? {
    id: clientId,
    token_hash: '',
    created_at: now,
    last_active_session_id: null,
  }
  const sessions = db.all<SessionRow>(
    `SELECT * FROM sessions WHERE client_id = :client AND (status IN ('active', 'pending') OR id IN (
       SELECT id FROM sessions WHERE client_id = :client AND status NOT IN ('active', 'pending', 'removed') AND updated_at > :since
       ORDER BY updated_at DESC, rowid DESC LIMIT ${RECENTLY_ENDED_LISTED}))
     ORDER BY created_at, rowid`,
    { ':client': clientId, ':since': now - RECENTLY_ENDED_MS },
  )
  return {
    id: client.id,
    sessions: sessions.map((session) => sessionResource(db, session, now)),
    lastActiveSessionId: client.last_active_session_id,
    policy: config.policy,
    tokenLifetimeMs: config.tokenLifetimeMs,
  }
}
