import type { JWTPayload } from 'jose'
import type { RequestContext } from '../context'
import { storedIp } from '../devices'
import { HttpError, badRequest, organizationField, readJsonBody, stringField } from '../http'
import { clearStaleActive, clientResource, getSession, lapseSessions, renewedExpireAt, requireActiveSession, sessionEndsAt, sessionResource } from '../sessions'
import { actClaim, renewImpersonator } from '../impersonation'
import { mintToken } from '../tokens'
import { findUser, memberships, safeEqual, verifyPassword, type UserRow } from '../users'
import { ID, route, type Route } from './route'

/**
 * Named sets of extra claims a token may carry (`POST .../tokens/profile`).
 * A Map, not an object: the name comes from the URL, and `constructor` or
 * `__proto__` must find nothing rather than something on Object.prototype.
 */
const TEMPLATES = new Map<string, (user: UserRow) => JWTPayload>([
  [
    'profile',
    (user) => ({
      email: user.email,
      name: [user.first_name, user.last_name].filter(Boolean).join(' '),
      given_name: user.first_name,
      family_name: user.last_name,
    }),
  ],
])

function touch(ctx: RequestContext, [sessionId]: (string | undefined)[]) {
  ctx.rateLimit('touch')
  const { db, now, config } = ctx
  const clientId = ctx.clientId()
  return db.transaction(() => {
    const session = requireActiveSession(db, clientId, sessionId!, now)
    const expireAt = renewedExpireAt(config, now, session.abandon_at)
    // Activity also says where the session is used from now, for the user's device list.
    const ip = storedIp(ctx.ip)
    db.run('UPDATE sessions SET last_active_at = ?, updated_at = ?, expire_at = ?, ip = ? WHERE id = ?', [now, now, expireAt, ip, session.id])
    renewImpersonator(db, config, session, now)
    return sessionResource(db, { ...session, last_active_at: now, updated_at: now, expire_at: expireAt, ip }, now)
  })
}

/** Mints a token. Deliberately not activity: a background tab refreshing tokens must not keep an idle session alive. */
async function createToken(ctx: RequestContext, [sessionId, template]: (string | undefined)[]) {
  const body = await readJsonBody(ctx.request)
  const requestedOrg = organizationField(body)
  const extra = template === undefined ? undefined : TEMPLATES.get(template)
  if (template !== undefined && !extra) {
    throw new HttpError(422, 'invalid_request', `Unknown token template "${template}": use one of ${[...TEMPLATES.keys()].join(', ')}.`)
  }
  const { db, now, config, app } = ctx
  const session = requireActiveSession(db, ctx.clientId(), sessionId!, now)
  const user = findUser(db, session.user_id)!
  const orgId = requestedOrg === undefined ? session.last_active_org_id : requestedOrg
  const claims: JWTPayload & { sid: string; sub: string } = { ...extra?.(user), sid: session.id, sub: user.id }
  if (orgId !== null) {
    const membership = memberships(db, user.id).find((m) => m.organization.id === orgId)
    if (!membership) throw new HttpError(403, 'forbidden', 'The user is not a member of that organization.')
    Object.assign(claims, { org_id: orgId, org_slug: membership.organization.slug, org_role: membership.role, org_permissions: membership.permissions })
  }
  if (session.actor !== null) claims.act = actClaim(session.actor)
  const jwt = await mintToken({
    key: app.key,
    issuer: config.issuer,
    now,
    lifetimeMs: config.tokenLifetimeMs,
    sessionEndsAt: sessionEndsAt(session),
    claims,
  })
  return { jwt }
}

/** A listed session, with lapsed lifetimes applied first: a goodbye after the deadline finds it expired, not active. */
function findListed(ctx: RequestContext, sessionId: string) {
  lapseSessions(ctx.db, ctx.clientId(), ctx.now)
  const session = getSession(ctx.db, ctx.clientId(), sessionId)
  if (!session) throw new HttpError(404, 'session_not_found', 'No such session on this client.')
  return session
}

/** Ending is idempotent: a session that already ended (or expired) answers 200 and keeps its status. */
function end(ctx: RequestContext, [sessionId]: (string | undefined)[]) {
  const { db, now, config } = ctx
  const clientId = ctx.clientId()
  db.transaction(() => {
    const session = findListed(ctx, sessionId!)
    db.run(`UPDATE sessions SET status = 'ended', updated_at = ? WHERE id = ? AND status IN ('active', 'pending')`, [now, session.id])
    clearStaleActive(db, clientId)
  })
  return clientResource(db, clientId, config, now)
}

function remove(ctx: RequestContext, [sessionId]: (string | undefined)[]) {
  const { db, now, config } = ctx
  const clientId = ctx.clientId()
  db.transaction(() => {
    const session = findListed(ctx, sessionId!)
    db.run(`UPDATE sessions SET status = 'removed', updated_at = ? WHERE id = ?`, [now, session.id])
    clearStaleActive(db, clientId)
  })
  return clientResource(db, clientId, config, now)
}

/** Reverification: a password refreshes the first factor, a one-time code the second. */
async function verify(ctx: RequestContext, [sessionId]: (string | undefined)[]) {
  const body = await readJsonBody(ctx.request)
  const strategy = body.strategy
  if (strategy !== 'password' && strategy !== 'totp') throw badRequest('"strategy" must be "password" or "totp".')
  const secret = stringField(body, strategy === 'password' ? 'password' : 'code', 1024)
  const { db, now } = ctx
  const clientId = ctx.clientId()
  const session = requireActiveSession(db, clientId, sessionId!, now)
  if (session.actor !== null) {
    throw new HttpError(403, 'forbidden', 'An impersonated session cannot reverify: sign in as yourself for this action.')
  }
  const user = findUser(db, session.user_id)!
  // Counted against the account's sign-in window too: a guess here is a guess at the same password or code.
  ctx.rateLimit('signIn', user.email)
  let ok: boolean
  if (strategy === 'password') {
    ok = await verifyPassword(secret, user.password_hash)
  } else {
    if (user.totp_code === null) throw new HttpError(422, 'invalid_request', 'This user has no second factor to verify.')
    ok = safeEqual(secret, user.totp_code)
  }
  if (!ok) throw new HttpError(422, 'invalid_credentials', strategy === 'password' ? 'The password is incorrect.' : 'The code is incorrect.')
  const column = strategy === 'password' ? 'first_factor_at' : 'second_factor_at'
  return db.transaction(() => {
    // Re-checked: the session may have ended while the password was being hashed.
    const current = requireActiveSession(db, clientId, session.id, now)
    db.run(`UPDATE sessions SET ${column} = ?, updated_at = ? WHERE id = ?`, [now, now, current.id])
    return sessionResource(db, { ...current, [column]: now, updated_at: now }, now)
  })
}

const base = `/v1/client/sessions/${ID}`
export const sessionRoutes: Route[] = [
  route('POST', `${base}/touch`, 'POST /v1/client/sessions/:id/touch', touch),
  route('POST', `${base}/tokens(?:/${ID})?`, 'POST /v1/client/sessions/:id/tokens', createToken),
  route('POST', `${base}/end`, 'POST /v1/client/sessions/:id/end', end),
  route('POST', `${base}/remove`, 'POST /v1/client/sessions/:id/remove', remove),
  route('POST', `${base}/verify`, 'POST /v1/client/sessions/:id/verify', verify),
]
