import { authenticate, wwwAuthenticate } from 'sessionkit/server'
import { ISSUER, JWKS_URL } from '../../../lib/config'

/**
 * The app's own API: the browser sends `Authorization: Bearer <getToken()>`,
 * and the token is verified here against the reference server's key set
 * (ES256 only, this issuer, not expired). No call to the session server per
 * request: jose caches the keys.
 */
export async function GET(request: Request) {
  let auth
  try {
    auth = await authenticate(request, { jwksUrl: JWKS_URL, issuer: ISSUER })
  } catch (error) {
    // The key set could not be read: an outage, not the caller's fault and not a sign-out.
    const message = error instanceof Error ? error.message : String(error)
    return Response.json({ error: { code: 'jwks_unavailable', message } }, { status: 503, headers: { 'retry-after': '5' } })
  }
  if (!auth.signedIn) {
    return Response.json(
      { error: { code: auth.reason, message: auth.message } },
      { status: 401, headers: { 'www-authenticate': wwwAuthenticate(auth) } },
    )
  }
  const { sub, sid } = auth.claims
  return Response.json({ message: `Hello ${sub}, from a route handler (session ${sid}).`, userId: sub, sessionId: sid })
}
