import type { RequestContext } from '../context'
import { newId } from '../cookies'
import { deviceLabel, storedIp } from '../devices'
import { HttpError, badRequest, readJsonBody, stringField } from '../http'
import { actClaim, actorOf, impersonatorSessionOf, renewImpersonator } from '../impersonation'
import { clearStaleActive, clientResource, getSession, lapseSessions, renewedExpireAt, requireActiveSession } from '../sessions'
import { findUser, memberships } from '../users'
import { ID, route, type Route } from './route'

/**
 * The user of session `:id` (who must have `can_impersonate`) starts acting
 * as `{ userId }`: a new session of that user on this client, whose `actor`
 * names the impersonator, becomes the active one. It proves no factor (the
 * impersonator proved who *they* are), never outlives the impersonator's own
 * session (it ends when that one ends, any way), and is exempt from the
 * one-device rule both ways (see sign-in).
 */
async function start(ctx: RequestContext, [sessionId]: (string | undefined)[]) {
  const body = await readJsonBody(ctx.request)
  const userId = stringField(body, 'userId', 64)
  const { db, now, config } = ctx
  const clientId = ctx.clientId()
  db.transaction(() => {
    const own = requireActiveSession(db, clientId, sessionId!, now)
    if (own.actor !== null) throw new HttpError(403, 'forbidden', 'This session is already acting as someone else: stop acting first.')
    const impersonator = findUser(db, own.user_id)!
    if (!impersonator.can_impersonate) throw new HttpError(403, 'forbidden', 'This user may not act as another user.')
    // Not a sign-out code: a user that is not there says nothing about this browser's session.
    const target = findUser(db, userId)
    if (!target) throw new HttpError(404, 'invalid_request', `There is no user "${userId}" to act as.`)
    if (target.id === impersonator.id) throw badRequest('Acting as yourself is your own session: pick another user.')

    // Acting as the same user again on this browser replaces the earlier acting session.
    for (const earlier of db.all<{ id: string; actor: string }>(
      `SELECT id, actor FROM sessions WHERE client_id = ? AND user_id = ? AND actor IS NOT NULL AND status IN ('active', 'pending')`,
      [clientId, target.id],
    )) {
      if (actClaim(earlier.actor).sub === impersonator.id) {
        db.run(`UPDATE sessions SET status = 'ended', updated_at = ? WHERE id = ?`, [now, earlier.id])
      }
    }
    const maxAbandonAt = config.policy.maxLifetimeMs === null ? null : now + config.policy.maxLifetimeMs
    const abandonAt = own.abandon_at === null ? maxAbandonAt : maxAbandonAt === null ? own.abandon_at : Math.min(maxAbandonAt, own.abandon_at)
    const actingId = newId('sess')
    db.run(
      `INSERT INTO sessions (id, client_id, user_id, status, created_at, updated_at, last_active_at, expire_at, abandon_at,
         first_factor_at, second_factor_at, actor, last_active_org_id, device, ip, actor_session_id)
       VALUES (?, ?, ?, 'active', ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?, ?)`,
      [
        actingId,
        clientId,
        target.id,
        now,
        now,
        now,
        renewedExpireAt(config, now, abandonAt),
        abandonAt,
        JSON.stringify(actorOf(impersonator)),
        memberships(db, target.id)[0]?.organization.id ?? null,
        deviceLabel(ctx.request.headers.get('user-agent')),
        storedIp(ctx.ip),
        // It rides on this session: however that one ends, acting ends with it (see lapseSessions).
        own.id,
      ],
    )
    // Starting is the impersonator's activity.
    db.run('UPDATE sessions SET last_active_at = ?, updated_at = ?, expire_at = ? WHERE id = ?', [
      now,
      now,
      renewedExpireAt(config, now, own.abandon_at),
      own.id,
    ])
    db.run('UPDATE clients SET last_active_session_id = ? WHERE id = ?', [actingId, clientId])
  })
  return clientResource(db, clientId, config, now)
}

/**
 * Ends the acting session `:id` and makes the impersonator's own session on
 * this client active again (none left: signed out). Idempotent: stopping a
 * session that already ended (or expired) still returns to the impersonator.
 */
function stop(ctx: RequestContext, [sessionId]: (string | undefined)[]) {
  const { db, now, config } = ctx
  const clientId = ctx.clientId()
  db.transaction(() => {
    lapseSessions(db, clientId, now)
    const acting = getSession(db, clientId, sessionId!)
    if (!acting) throw new HttpError(404, 'session_not_found', 'No such session on this client.')
    if (acting.actor === null) throw badRequest('Nobody is acting as someone else in this session: there is nothing to stop.')
    db.run(`UPDATE sessions SET status = 'ended', updated_at = ? WHERE id = ? AND status IN ('active', 'pending')`, [now, acting.id])
    // Returning is the impersonator's activity too.
    renewImpersonator(db, config, acting, now)
    const own = impersonatorSessionOf(db, acting)
    if (own) db.run('UPDATE clients SET last_active_session_id = ? WHERE id = ?', [own.id, clientId])
    else clearStaleActive(db, clientId)
  })
  return clientResource(db, clientId, config, now)
}

const base = `/v1/client/sessions/${ID}`
export const impersonationRoutes: Route[] = [
  route('POST', `${base}/impersonate`, 'POST /v1/client/sessions/:id/impersonate', start),
  route('POST', `${base}/stop_impersonating`, 'POST /v1/client/sessions/:id/stop_impersonating', stop),
]
