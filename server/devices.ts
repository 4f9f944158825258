import { parse } from 'bowser'
import type { UserSessionResource } from '../src/core/adapter'
import type { Database } from './db'
import { clearStaleActive, lapseSessions, type SessionRow } from './sessions'

/** What a session whose User-Agent said nothing we can read is called. */
export const UNKNOWN_DEVICE = 'Unknown device'

// The User-Agent is the peer's own text: only this much is parsed, and a label stays this short.
const MAX_USER_AGENT = 1_024
const MAX_LABEL = 80

/**
 * A short label for the browser and system a User-Agent names, e.g.
 * "Chrome 156 on Linux" or "Safari 17 on iOS"; `UNKNOWN_DEVICE` when it names
 * neither. bowser falls back to the UA's first word for browsers it does not
 * know, so the label is cut short and stripped of control characters.
 */
export function deviceLabel(userAgent: string | null): string {
  const text = userAgent?.trim().slice(0, MAX_USER_AGENT)
  if (!text) return UNKNOWN_DEVICE
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(text)
  } catch {
    return UNKNOWN_DEVICE
  }
  const major = parsed.browser.version?.split('.')[0]
  const browser = parsed.browser.name ? [parsed.browser.name, major].filter(Boolean).join(' ') : null
  const os = parsed.os.name || null
  const label = browser && os ? `${browser} on ${os}` : (browser ?? (os ? `Unknown browser on ${os}` : UNKNOWN_DEVICE))
  const clean = label.replace(/[\u0000-\u001f\u007f]/g, '').trim()
  return clean.length > MAX_LABEL ? `${clean.slice(0, MAX_LABEL - 1)}…` : clean || UNKNOWN_DEVICE
}

/** The request's address as stored and shown: IPv4 without its IPv6 mapping prefix; `null` when the server could not tell. */
export function storedIp(ip: string): string | null {
  if (ip === '' || ip === 'unknown') return null
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice('::ffff:'.length) : ip
}

export function userSessionResource(session: SessionRow, currentSessionId: string | null): UserSessionResource {
  return {
    id: session.id,
    status: session.status,
    device: session.device ?? UNKNOWN_DEVICE,
    ip: session.ip,
    createdAt: session.created_at,
    lastActiveAt: session.last_active_at,
    isCurrent: session.id === currentSessionId,
  }
}

/**
 * Applies lapsed lifetimes on every client where the user has a live session,
 * so a list or a revocation never sees (or revokes) a session that already expired.
 */
export function lapseUserSessions(db: Database, userId: string, now: number): void {
  const clients = db.all<{ client_id: string }>(
    `SELECT DISTINCT client_id FROM sessions WHERE user_id = ? AND status IN ('active', 'pending')`,
    [userId],
  )
  for (const { client_id } of clients) lapseSessions(db, client_id, now)
}

/**
 * The user's signed-in sessions on every client: the current one first, then the most recently active.
 * Acting sessions (someone else acting as the user) are left out: they are not the user's devices.
 */
export function listUserSessions(db: Database, userId: string, currentSessionId: string | null, now: number): UserSessionResource[] {
  lapseUserSessions(db, userId, now)
  const rows = db.all<SessionRow>(
    `SELECT * FROM sessions WHERE user_id = ? AND status = 'active' AND actor IS NULL
     ORDER BY CASE WHEN id = ? THEN 0 ELSE 1 END, last_active_at DESC, created_at DESC, rowid`,
    [userId, currentSessionId ?? ''],
  )
  return rows.map((row) => userSessionResource(row, currentSessionId))
}

export interface EndSessionsParams {
  /** Live sessions that match this condition (SQL over `sessions`, with `?` bound to `params`)... */
  where: string
  params: (string | number | null)[]
  /** ...end with this status. */
  status: 'revoked' | 'replaced' | 'ended'
  now: number
}

/**
 * Ends live sessions on any client, then clears each touched client's active
 * pointer, so `lastActiveSessionId` keeps naming only a signed-in session.
 * Returns how many sessions ended.
 */
function endSessions(db: Database, { where, params, status, now }: EndSessionsParams): number {
  return db.transaction(() => {
    const live = `status IN ('active', 'pending') AND (${where})`
    const clients = db.all<{ client_id: string }>(`SELECT DISTINCT client_id FROM sessions WHERE ${live}`, params)
    const ended = db.run(`UPDATE sessions SET status = ?, updated_at = ? WHERE ${live}`, [status, now, ...params])
    for (const { client_id } of clients) clearStaleActive(db, client_id)
    return ended
  })
}

/**
 * Ends live sessions of the user themself (not those where someone acts as
 * them: those are the actor's, and end with the actor's own session).
 */
export function endUserSessions(db: Database, { userId, where, params, ...rest }: EndSessionsParams & { userId: string }): number {
  return endSessions(db, { where: `user_id = ? AND actor IS NULL AND (${where})`, params: [userId, ...params], ...rest })
}

/**
 * Ends the sessions `impersonatorId` acts in (as any user) that match `where`.
 * Those riding on an own session end with it anyway; this reaches the ones
 * signed in with `actAs`, which have no own session underneath.
 */
export function endActingSessionsOf(
  db: Database,
  { impersonatorId, where, params, ...rest }: EndSessionsParams & { impersonatorId: string },
): number {
  const acting = `actor IS NOT NULL AND json_extract(actor, '$.sub') = ? AND (${where})`
  return db.transaction(() => {
    // Lapsed first, so one that already expired keeps saying so.
    const clients = db.all<{ client_id: string }>(
      `SELECT DISTINCT client_id FROM sessions WHERE status IN ('active', 'pending') AND ${acting}`,
      [impersonatorId, ...params],
    )
    for (const { client_id } of clients) lapseSessions(db, client_id, rest.now)
    return endSessions(db, { where: acting, params: [impersonatorId, ...params], ...rest })
  })
}
