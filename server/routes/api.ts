import { errors as joseErrors, type JWTPayload } from 'jose'
import { isReverified } from '../../src/core/authorization'
import type { ActorResource } from '../../src/core/resources'
import type { RequestContext } from '../context'
import { HttpError, jsonResponse } from '../http'
import { assertActive, lapseSessions, sessionResource, type SessionRow } from '../sessions'
import { verifyToken } from '../tokens'
import { route, type Route } from './route'

const unauthenticated = (message: string) =>
  new HttpError(401, 'unauthenticated', message, undefined, { 'www-authenticate': 'Bearer error="invalid_token"' })

/**
 * What an app's own API does with a sessionkit token: verify it with our key
 * (ES256 only, our issuer, not expired), then check the session it names is
 * still signed in, since a token outlives a sign-out by up to its lifetime.
 */
async function authenticate(ctx: RequestContext): Promise<{ claims: JWTPayload; session: SessionRow }> {
  const header = ctx.request.headers.get('authorization') ?? ''
  const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(header)
  if (!match) throw unauthenticated('Send the session token as "Authorization: Bearer <token>".')
  let claims: JWTPayload
  try {
    claims = await verifyToken(match[1]!, ctx.app.key, ctx.config.issuer, ctx.now)
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw unauthenticated('The token has expired: get a fresh one with getToken().')
    throw unauthenticated('The token is not valid for this server.')
  }
  const { db, now } = ctx
  const found = db.get<SessionRow>('SELECT * FROM sessions WHERE id = ?', [String(claims.sid)])
  if (!found || found.user_id !== claims.sub) throw unauthenticated('The token names no session of its user.')
  lapseSessions(db, found.client_id, now)
  const session = db.get<SessionRow>('SELECT * FROM sessions WHERE id = ?', [found.id])!
  try {
    assertActive(session)
  } catch (error) {
    const { code, message } = error as HttpError
    throw code === 'session_expired' ? new HttpError(401, code, message) : unauthenticated(message)
  }
  return { claims, session }
}

async function me(ctx: RequestContext) {
  const { claims, session } = await authenticate(ctx)
  // Who is acting as the user, if anyone: an API shows it and logs actions under both names.
  const actor = session.actor === null ? null : (JSON.parse(session.actor) as ActorResource)
  return { userId: session.user_id, sessionId: session.id, orgId: (claims.org_id as string | undefined) ?? null, actor, claims }
}

/** A demo action guarded by Clerk's `strict` preset: a factor verified within the last 10 minutes. */
async function sensitive(ctx: RequestContext) {
  const { session } = await authenticate(ctx)
  const { factorVerificationAge } = sessionResource(ctx.db, session, ctx.now)
  if (!isReverified(factorVerificationAge, 'strict')) {
    throw new HttpError(403, 'reverification_required', 'Confirm it is you (verify again) to continue.', {
      level: 'second_factor',
      afterMinutes: 10,
    })
  }
  return { ok: true, message: 'Sensitive action allowed: you verified recently.', factorVerificationAge }
}

/** Standard JWKS shape (so jose's createRemoteJWKSet reads it), plus our `serverNow`. */
function jwks(ctx: RequestContext) {
  return jsonResponse(200, { keys: [ctx.app.key.publicJwk], serverNow: ctx.now })
}

export const apiRoutes: Route[] = [
  route('GET', '/\\.well-known/jwks\\.json', 'GET /.well-known/jwks.json', jwks),
  route('GET', '/api/me', 'GET /api/me', me),
  route('GET', '/api/sensitive', 'GET /api/sensitive', sensitive),
]
