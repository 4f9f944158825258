import type { RequestContext } from '../context'
import { endActingSessionsOf, endUserSessions, lapseUserSessions, listUserSessions } from '../devices'
import { HttpError, badRequest } from '../http'
import { clientResource, lapseSessions, requireActiveSession, type SessionRow } from '../sessions'
import { ID, route, type Route } from './route'

// The signed-in user's sessions on every device. The caller is this browser's
// active session; everything here is scoped to that session's user, and a
// session of anyone else is answered exactly like one that does not exist.
// Someone acting as the user may read the list but not change it: those are
// the user's devices, not theirs.

const notYours = () => new HttpError(404, 'session_not_found', 'You have no such session: refresh the list of your devices.')

/** This client's active session, or null when it has none (signed out, or ended elsewhere). */
function currentSession(ctx: RequestContext): SessionRow | null {
  const { db, now } = ctx
  const clientId = ctx.clientId()
  lapseSessions(db, clientId, now)
  const client = db.get<{ last_active_session_id: string | null }>('SELECT last_active_session_id FROM clients WHERE id = ?', [clientId])
  const sessionId = client?.last_active_session_id
  return sessionId ? requireActiveSession(db, clientId, sessionId, now) : null
}

function requireCaller(ctx: RequestContext): SessionRow {
  const session = currentSession(ctx)
  if (!session) throw new HttpError(401, 'unauthenticated', 'Sign in first: your devices are listed for the signed-in session of this browser.')
  return session
}

/** The caller, who must be the user themself to sign devices out. */
function requireOwnCaller(ctx: RequestContext): SessionRow {
  const caller = requireCaller(ctx)
  if (caller.actor !== null) throw actingForbidden()
  return caller
}

const actingForbidden = () =>
  new HttpError(403, 'forbidden', "You are acting as this user: stop acting first to sign out the user's devices.")

function list(ctx: RequestContext) {
  const caller = requireCaller(ctx)
  return listUserSessions(ctx.db, caller.user_id, caller.id, ctx.now)
}

/** Idempotent: revoking a session that already ended (or expired) changes nothing and answers the list. */
function revoke(ctx: RequestContext, [sessionId]: (string | undefined)[]) {
  const { db, now } = ctx
  const caller = requireOwnCaller(ctx)
  if (sessionId === caller.id) {
    throw badRequest('That is the session of this browser: sign out (signOut()) instead of revoking it.')
  }
  db.transaction(() => {
    // Scoped by user in the query itself: another user's session id finds nothing, the same 404 as a made-up id.
    // So does someone acting as the user: theirs is not one of the user's devices.
    const target = db.get<SessionRow>('SELECT * FROM sessions WHERE id = ? AND user_id = ? AND actor IS NULL', [sessionId!, caller.user_id])
    if (!target) throw notYours()
    lapseSessions(db, target.client_id, now)
    endUserSessions(db, { userId: caller.user_id, where: 'id = ?', params: [target.id], status: 'revoked', now })
  })
  return listUserSessions(db, caller.user_id, caller.id, now)
}

function revokeOthers(ctx: RequestContext) {
  const { db, now } = ctx
  const caller = requireOwnCaller(ctx)
  db.transaction(() => {
    lapseUserSessions(db, caller.user_id, now)
    endUserSessions(db, { userId: caller.user_id, where: 'id != ?', params: [caller.id], status: 'revoked', now })
    endActingSessionsOf(db, { impersonatorId: caller.user_id, where: 'client_id != ?', params: [caller.client_id], status: 'revoked', now })
  })
  return listUserSessions(db, caller.user_id, caller.id, now)
}

/**
 * Ends every session of the user: `revoked` on other devices (their pages say
 * so), `ended` here (the user signed out). With no signed-in session here there
 * is nobody to sign out: it answers the client as it is, so a retry after a
 * lost answer resolves like the first attempt.
 */
function signOutEverywhere(ctx: RequestContext) {
  const { db, now, config } = ctx
  const caller = currentSession(ctx)
  if (caller?.actor) throw actingForbidden()
  if (caller) {
    db.transaction(() => {
      lapseUserSessions(db, caller.user_id, now)
      endUserSessions(db, { userId: caller.user_id, where: 'id != ?', params: [caller.id], status: 'revoked', now })
      endUserSessions(db, { userId: caller.user_id, where: 'id = ?', params: [caller.id], status: 'ended', now })
      // Everywhere includes where they act as someone else.
      endActingSessionsOf(db, { impersonatorId: caller.user_id, where: '1 = 1', params: [], status: 'revoked', now })
    })
  }
  return clientResource(db, ctx.clientId(), config, now)
}

export const meRoutes: Route[] = [
  route('GET', '/v1/me/sessions', 'GET /v1/me/sessions', list),
  route('POST', '/v1/me/sessions/revoke_others', 'POST /v1/me/sessions/revoke_others', revokeOthers),
  route('POST', `/v1/me/sessions/${ID}/revoke`, 'POST /v1/me/sessions/:id/revoke', revoke),
  route('POST', '/v1/me/sign_out_everywhere', 'POST /v1/me/sign_out_everywhere', signOutEverywhere),
]
