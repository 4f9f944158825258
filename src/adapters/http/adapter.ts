import type { AdapterMethod, PasswordSessionAdapter, SessionAdapter, VerificationParams } from '../../core/adapter'
import { SessionKitError } from '../../core/errors'
import { resolveHttpOptions, type HttpAdapterOptions } from './options'
import { createTransport, type HttpCall } from './transport'

/**
 * What the http adapter offers: every method of the contract but the
 * redirect sign-in, the user's sessions on every device included.
 */
export type HttpSessionAdapter = PasswordSessionAdapter &
  Required<
    Pick<
      SessionAdapter,
      'getUserSessions' | 'revokeUserSession' | 'revokeOtherUserSessions' | 'signOutEverywhere' | 'startImpersonation' | 'stopImpersonation'
    >
  >

/** Turns an id or a name into one path segment; `what` names it in development messages. */
type Segment = (value: unknown, what?: string) => string

/** The adapter methods this adapter implements: every one but the redirect sign-in. */
type HttpMethodName = Exclude<AdapterMethod, 'signInWithRedirect'>

/**
 * Builds one method's call from that method's arguments. The types are the
 * contract's, but JavaScript callers may pass anything (or leave parameters out):
 * routes read parameters with `?.`, and `segment` checks ids.
 */
type Route<Name extends HttpMethodName> = (segment: Segment, ...args: Parameters<NonNullable<SessionAdapter[Name]>>) => HttpCall

/** A call without parameters or body: the same request each time (`method` as in HttpCall). */
const withoutParams = (path: string, method?: HttpCall['method']) => (): HttpCall => ({ path, method })
/** A path on one of this client's sessions, e.g. `client/sessions/sess_1/touch`. */
const sessionPath = (segment: Segment, sessionId: string, action: string) => `client/sessions/${segment(sessionId)}/${action}`
/**
 * A POST on one of this client's sessions. `body` builds the body from the method's
 * second argument (none when left out); `noRetry` as in HttpCall (see ROUTES).
 */
const onSession =
  <Arg = unknown>(action: string, { body, noRetry }: { body?: (arg: Arg | undefined) => unknown; noRetry?: boolean } = {}) =>
  (segment: Segment, sessionId: string, arg?: Arg): HttpCall => ({ path: sessionPath(segment, sessionId, action), body: body?.(arg), noRetry })

/**
 * The sessionkit protocol (v1), one route per adapter method. Every call is
 * retried after a connectivity failure but `signIn` (if the first request
 * reached the server and only the answer was lost, a second would create a
 * second session), `verifySession` (attempts count against the sign-in rate
 * limit, and a one-time code may be accepted only once) and
 * `startImpersonation` (each attempt starts a session); the user is there to
 * try again. The others leave the server as one request would: ending an
 * ended session, revoking a revoked one, setting the same active session
 * twice, minting a token (not activity) or signing out everywhere again.
 */
const ROUTES: { [Name in HttpMethodName]: Route<Name> } = {
  getClient: withoutParams('client', 'GET'),
  signIn: (_, params) => ({ path: 'client/sign_ins', body: { identifier: params?.identifier, password: params?.password }, noRetry: true }),
  touchSession: onSession('touch'),
  // Bodies go through JSON.stringify, which leaves out undefined fields: an absent
  // organizationId means "the session's active organization", null means none.
  // The template's segment after the session's, so a bad session id is the one reported.
  createToken: (segment, sessionId, params) => ({
    path:
      sessionPath(segment, sessionId, 'tokens') +
      (params?.template === undefined ? '' : `/${segment(params.template, process.env.NODE_ENV !== 'production' ? 'template name' : '')}`),
    body: { organizationId: params?.organizationId },
  }),
  // Ending is idempotent on the server; retrying makes a sign-out reach it through a blip.
  endSession: onSession('end'),
  // Forgetting a forgotten session changes nothing more (the server may answer session_not_found).
  removeSession: onSession('remove'),
  endAllSessions: withoutParams('client/sessions', 'DELETE'),
  setActiveSession: (_, sessionId, params) => ({ path: 'client/active', body: { sessionId, organizationId: params?.organizationId } }),
  // Only the fields of the strategy: nothing else of the caller's object goes on the wire.
  verifySession: onSession<VerificationParams>('verify', {
    body: (params) => (params?.strategy === 'totp' ? { strategy: 'totp', code: params.code } : { strategy: params?.strategy, password: params?.password }),
    noRetry: true,
  }),
  getUserSessions: withoutParams('me/sessions', 'GET'),
  revokeUserSession: (segment, sessionId) => ({ path: `me/sessions/${segment(sessionId)}/revoke` }),
  revokeOtherUserSessions: withoutParams('me/sessions/revoke_others'),
  signOutEverywhere: withoutParams('me/sign_out_everywhere'),
  startImpersonation: onSession<string>('impersonate', { body: (userId) => ({ userId }), noRetry: true }),
  stopImpersonation: onSession('stop_impersonating'),
}

/**
 * Creates a SessionAdapter that speaks the sessionkit protocol (v1) over
 * `fetch`, with the browser's cookies (`credentials: 'include'`).
 *
 * Retries: a call that is safe to repeat (every call but `signIn`,
 * `verifySession` and `startImpersonation`; revoking and signing out
 * everywhere included) gets `retries` more attempts after a network error,
 * 5xx or 429, with backoff and jitter, honouring Retry-After up to 10 s. A
 * timeout is handed to the caller at once: that attempt already cost the whole
 * timeout, and the session client retries on its own backoff, telling the user
 * it cannot reach the server meanwhile. `signIn` is never retried: if the
 * first request reached the server and only the answer was lost, a second
 * would create a second session.
 * `verifySession` is never retried: attempts count against the sign-in rate
 * limit, and a one-time code may be accepted only once. The user is there to
 * try again.
 *
 * Every answer's envelope is checked (`invalid_response` says what was
 * wrong); the data in it is checked once, where it enters the session client
 * (src/core/validate.ts). Every failure is a `SessionKitError` whose code
 * tells the client whether to keep the session and retry or sign out. After
 * a retry, `serverNow` is moved back by half the time spent before the
 * answering attempt, so skew measured over the whole call stays right.
 */
export function createHttpAdapter(options: HttpAdapterOptions): HttpSessionAdapter {
  const resolved = resolveHttpOptions(options)
  const send = createTransport(resolved)
  // Tabs of one origin talking to the same backend share a channel named by it.
  const adapter: Record<string, unknown> = { key: resolved.baseUrl }
  for (const name in ROUTES) {
    /**
     * One path segment from an id or name: percent-encoded, and never `.` or `..`,
     * which a URL parser would resolve into another endpoint even when encoded.
     */
    const segment: Segment = (value, what) => {
      if (typeof value !== 'string' || ['', '.', '..'].includes(value)) {
        throw new SessionKitError(
          'invalid_request',
          process.env.NODE_ENV !== 'production' ? `${name}: the ${what ?? 'session id'} must be a non-empty string other than "." and ".."; got ${typeof value === 'string' ? `"${value}"` : String(value)}.` : 'Invalid id.',
        )
      }
      return encodeURIComponent(value)
    }
    // Each route takes its own method's arguments; here they are passed on as the caller gave them.
    // Async, so a bad argument rejects instead of throwing.
    const route = ROUTES[name as HttpMethodName] as (segment: Segment, ...args: unknown[]) => HttpCall
    adapter[name] = async (...args: unknown[]) => send(name, route(segment, ...args))
  }
  // Built method by method from ROUTES, whose type lists every method of HttpSessionAdapter.
  return adapter as unknown as HttpSessionAdapter
}
