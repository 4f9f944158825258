// A sessionkit adapter for a backend that already has a cookie session and
// three endpoints: read it, renew it, end it (server.mjs is such a backend).
// Copy this file and change the paths and field names to your backend's.
import { DEFAULT_POLICY, SessionKitError } from 'sessionkit'
import type { AdapterResponse, ClientResource, LifetimePolicy, SessionAdapter, SessionResource } from 'sessionkit'

/** What `GET /api/session` and `POST /api/session/renew` answer. Times: epoch ms or ISO strings, on the server's clock. */
interface SessionAnswer {
  user: { id: string; name: string; email: string }
  createdAt: number | string
  expiresAt: number | string
  absoluteExpiresAt?: number | string | null
  now: number | string
}

/** Options of `createCookieSessionAdapter`. */
export interface CookieSessionAdapterOptions {
  /** Where the endpoints live: '' (default) for this origin, or an origin such as 'https://app.example.com'. */
  baseUrl?: string
  /** Sends the requests. Default: the browser's `fetch`, which sends the cookie itself (`credentials: 'include'`). */
  fetch?: (input: string, init: RequestInit) => Promise<Response>
}

/** A SessionAdapter over the app's own cookie session: only the required methods, so no tokens and no `signIn`. */
export function createCookieSessionAdapter(options: CookieSessionAdapterOptions = {}): SessionAdapter {
  const baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '')
  const send = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  // The server does not state its inactivity timeout: a renew answers now + timeout, a read
  // less. The longest window seen is the estimate; too short only makes touches more frequent.
  let longestWindowMs = 0
  // Until a session is seen; sessionkit needs it only while signed in (the touch interval is a tenth of it).
  let policy: LifetimePolicy = DEFAULT_POLICY

  /** One request: the session (null when there is none), or the error code that tells sessionkit what to do. */
  async function request(method: 'GET' | 'POST', path: string): Promise<AdapterResponse<SessionResource | null>> {
    let response: Response
    try {
      // The browser attaches the HttpOnly cookie ('include' also covers an API on a sibling origin);
      // a request that hangs is cut off, so a touch can never stay pending for good.
      const init: RequestInit = { method, credentials: 'include', signal: AbortSignal.timeout(10_000) }
      response = await send(`${baseUrl}${path}`, init)
    } catch (cause) {
      throw new SessionKitError('network_error', `${method} ${path}: the backend did not answer; sessionkit keeps the session and retries.`, { cause })
    }
    // 401 is the server's definite "no session" (signed out); 204 (logout) has no body, so no
    // server time either: none is needed, as there is no session time to convert.
    if (response.status === 401 || response.status === 204) return { data: null, serverNow: Date.now() }
    if (!response.ok) {
      // 5xx and 429 keep the session and retry; anything else is a bug to show, not a sign-out.
      const code = response.status >= 500 ? 'server_error' : response.status === 429 ? 'rate_limited' : 'invalid_request'
      throw new SessionKitError(code, `${method} ${path} answered ${response.status}; check baseUrl if it persists.`, { status: response.status })
    }
    try {
      return toSession((await response.json()) as SessionAnswer)
    } catch (cause) {
      throw new SessionKitError('invalid_response', `${method} ${path}: the answer is not { user, createdAt, expiresAt, now }.`, { cause })
    }
  }

  function toSession(answer: SessionAnswer): AdapterResponse<SessionResource> {
    const ms = (time: number | string) => (typeof time === 'string' ? Date.parse(time) : time)
    const [now, createdAt, expiresAt] = [ms(answer.now), ms(answer.createdAt), ms(answer.expiresAt)]
    const abandonAt = answer.absoluteExpiresAt == null ? null : ms(answer.absoluteExpiresAt)
    longestWindowMs = Math.max(longestWindowMs, expiresAt - now, 1_000)
    policy = { inactivityTimeoutMs: longestWindowMs, maxLifetimeMs: abandonAt === null ? null : abandonAt - createdAt }
    const { id, name, email } = answer.user
    // One display name: kept whole rather than guessed apart.
    const publicUserData = { firstName: name, lastName: null, identifier: email, imageUrl: null }
    const session: SessionResource = {
      // The same in every tab and new at each sign-in (sessionkit never revives an ended id);
      // derived from the sign-in, never from the cookie, which stays HttpOnly.
      id: `${id}@${createdAt}`,
      userId: id,
      status: 'active',
      createdAt,
      updatedAt: now,
      lastActiveAt: expiresAt - longestWindowMs,
      expireAt: expiresAt,
      abandonAt,
      factorVerificationAge: null,
      actor: null,
      lastActiveOrganizationId: null,
      publicUserData,
      user: { id, ...publicUserData, organizationMemberships: [] },
    }
    // The server's clock: sessionkit measures the skew and converts expiresAt to this browser's time.
    return { data: session, serverNow: now }
  }

  /** One browser, at most one session: the cookie's. */
  const client = ({ data, serverNow }: AdapterResponse<SessionResource | null>): AdapterResponse<ClientResource> => ({
    // tokenLifetimeMs: nothing is minted here (no createToken); 60 s is a placeholder the client checks but never uses.
    data: { id: 'cookie', sessions: data ? [data] : [], lastActiveSessionId: data?.id ?? null, policy, tokenLifetimeMs: 60_000 },
    serverNow,
  })

  return {
    key: `cookie-session:${baseUrl}`,
    getClient: async () => client(await request('GET', '/api/session')),
    async touchSession(sessionId) {
      const { data, serverNow } = await request('POST', '/api/session/renew')
      // No session any more, or a sign-in elsewhere replaced it: the server's definite answer, so sign out.
      if (data?.id !== sessionId) throw new SessionKitError('unauthenticated', 'The session has ended; sign in again.')
      return { data, serverNow }
    },
    async endSession(sessionId) {
      const current = await request('GET', '/api/session')
      // One cookie, one session: after a sign-in in another window it is someone else's, not to be logged out.
      if (current.data && current.data.id !== sessionId) return client(current)
      return client(await request('POST', '/api/session/logout'))
    },
  }
}
