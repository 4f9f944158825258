import type { RequestContext } from '../context'
import { newId } from '../cookies'
import { deviceLabel, endUserSessions, storedIp } from '../devices'
import { HttpError, badRequest, organizationField, readJsonBody, stringField } from '../http'
import { actorOf, renewImpersonator } from '../impersonation'
import { clearStaleActive, clientResource, renewedExpireAt, requireActiveSession } from '../sessions'
import { findUserByEmail, getDummyHash, memberships, safeEqual, upgradePasswordHash, verifyPassword, type UserRow } from '../users'
import { route, type Route } from './route'

const invalidCredentials = () => new HttpError(422, 'invalid_credentials', 'The email or password is incorrect.')

function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  return body[name] === undefined ? undefined : stringField(body, name, 320)
}

async function signIn(ctx: RequestContext) {
  const body = await readJsonBody(ctx.request)
  const identifier = stringField(body, 'identifier', 320)
  const password = stringField(body, 'password', 1024)
  // Optional: the one-time code, so a user with a second factor starts with both factors fresh.
  const code = optionalString(body, 'code')
  // Optional: support staff sign in as another user; the session then carries `actor`.
  const actAs = optionalString(body, 'actAs')
  ctx.rateLimit('signIn', identifier)
  // Written before the password is checked: a failed sign-in from a new browser still pins its client (and the
  // client's rate limit window) with a cookie.
  ctx.persistClient()

  const user = findUserByEmail(ctx.db, identifier)
  // An unknown identifier still costs one scrypt, so timing does not reveal who has an account.
  const passwordOk = await verifyPassword(password, user?.password_hash ?? getDummyHash())
  if (!user || !passwordOk) throw invalidCredentials()
  if (code !== undefined && (user.totp_code === null || !safeEqual(code, user.totp_code))) throw invalidCredentials()
  await upgradePasswordHash(ctx.db, user, password)

  let subject: UserRow = user
  if (actAs !== undefined) {
    if (!user.can_impersonate) throw new HttpError(403, 'forbidden', 'This user may not sign in as someone else.')
    const target = findUserByEmail(ctx.db, actAs)
    if (!target || target.id === user.id) throw badRequest('"actAs" must be the email of another user.')
    subject = target
  }
  const impersonating = subject !== user
  const { now, config, db } = ctx
  const clientId = ctx.clientId()
  const abandonAt = config.policy.maxLifetimeMs === null ? null : now + config.policy.maxLifetimeMs
  db.transaction(() => {
    // This user's previous session on this browser is replaced by the new one.
    db.run(
      `UPDATE sessions SET status = 'replaced', updated_at = ? WHERE client_id = ? AND user_id = ? AND status IN ('active', 'pending')`,
      [now, clientId, subject.id],
    )
    // Multi-session off: one account per browser, so signing in as someone else signs the others out here.
    if (!config.policy.multiSession) {
      db.run(`UPDATE sessions SET status = 'ended', updated_at = ? WHERE client_id = ? AND status IN ('active', 'pending')`, [now, clientId])
    }
    // One device at a time: the user's sessions on other browsers end as `replaced`. Impersonation is
    // exempt both ways: support acting as the user neither replaces nor is replaced by the user's own sign-ins.
    if (config.policy.singleDevice && !impersonating) {
      endUserSessions(db, { userId: subject.id, where: 'client_id != ? AND actor IS NULL', params: [clientId], status: 'replaced', now })
    }
    const sessionId = newId('sess')
    db.run(
      `INSERT INTO sessions (id, client_id, user_id, status, created_at, updated_at, last_active_at, expire_at, abandon_at,
         first_factor_at, second_factor_at, actor, last_active_org_id, device, ip)
       VALUES (?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        sessionId,
        clientId,
        subject.id,
        now,
        now,
        now,
        renewedExpireAt(config, now, abandonAt),
        abandonAt,
        // The person at the keyboard proved who *they* are, not the impersonated user.
        impersonating ? null : now,
        impersonating || code === undefined ? null : now,
        impersonating ? JSON.stringify(actorOf(user)) : null,
        // Start in the first organization, so role and permission checks work right away.
        memberships(db, subject.id)[0]?.organization.id ?? null,
        deviceLabel(ctx.request.headers.get('user-agent')),
        storedIp(ctx.ip),
      ],
    )
    db.run('UPDATE clients SET last_active_session_id = ? WHERE id = ?', [sessionId, clientId])
  })
  return clientResource(db, clientId, config, now)
}

async function setActive(ctx: RequestContext) {
  const body = await readJsonBody(ctx.request)
  const sessionId = body.sessionId
  if (sessionId !== null && (typeof sessionId !== 'string' || sessionId.length === 0 || sessionId.length > 64)) {
    throw badRequest('"sessionId" must be a session id, or null for none.')
  }
  const organizationId = organizationField(body)
  const { db, now, config } = ctx
  const clientId = ctx.clientId()
  db.transaction(() => {
    if (sessionId === null) {
      db.run('UPDATE clients SET last_active_session_id = NULL WHERE id = ?', [clientId])
      return
    }
    const session = requireActiveSession(db, clientId, sessionId, now)
    let orgId = session.last_active_org_id
    if (organizationId !== undefined) {
      if (organizationId !== null && !memberships(db, session.user_id).some((m) => m.organization.id === organizationId)) {
        throw new HttpError(403, 'forbidden', 'The user is not a member of that organization.')
      }
      orgId = organizationId
    }
    // Choosing a session is user activity (as in Clerk): it renews the inactivity deadline.
    db.run('UPDATE sessions SET last_active_org_id = ?, last_active_at = ?, updated_at = ?, expire_at = ?, ip = ? WHERE id = ?', [
      orgId,
      now,
      now,
      renewedExpireAt(config, now, session.abandon_at),
      storedIp(ctx.ip),
      session.id,
    ])
    // As with a touch: the impersonator's own session must not lapse before the acting session's renewed deadline.
    renewImpersonator(db, config, session, now)
    db.run('UPDATE clients SET last_active_session_id = ? WHERE id = ?', [session.id, clientId])
  })
  return clientResource(db, clientId, config, now)
}

/** Signs out of every session; they stay listed as `ended` (expired ones keep their status). */
function endAll(ctx: RequestContext) {
  const { db, now, config } = ctx
  const clientId = ctx.clientId()
  db.transaction(() => {
    db.run(`UPDATE sessions SET status = 'ended', updated_at = ? WHERE client_id = ? AND status IN ('active', 'pending')`, [now, clientId])
    clearStaleActive(db, clientId)
  })
  return clientResource(db, clientId, config, now)
}

export const clientRoutes: Route[] = [
  route('GET', '/v1/client', 'GET /v1/client', (ctx) => clientResource(ctx.db, ctx.clientId(), ctx.config, ctx.now)),
  route('POST', '/v1/client/sign_ins', 'POST /v1/client/sign_ins', signIn),
  route('POST', '/v1/client/active', 'POST /v1/client/active', setActive),
  route('DELETE', '/v1/client/sessions', 'DELETE /v1/client/sessions', endAll),
]
