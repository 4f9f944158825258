import type {
  AdapterResponse,
  CreateTokenParams,
  PasswordSessionAdapter,
  SessionAdapter,
  SignInParams,
  VerificationParams,
} from '../../core/adapter'
import { SessionKitError } from '../../core/errors'
import { resolveHttpOptions, type HttpAdapterOptions } from './options'
import { HttpTransport, type HttpCall } from './transport'

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

/**
 * Creates a SessionAdapter that speaks the sessionkit protocol (v1) over
 * `fetch`, with the browser's cookies (`credentials: 'include'`).
 *
 * Retries: a call that is safe to repeat (every call but `signIn`,
 * `verifySession` and `startImpersonation`; revoking and signing out everywhere included) gets `retries` more attempts after a network error,
 * timeout, 5xx or 429, with backoff and jitter, honouring Retry-After up to
 * 10 s. `signIn` is never retried: if the first request reached the server
 * and only the answer was lost, a second would create a second session.
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
  const transport = new HttpTransport(resolved)

  const sessionPath = (operation: string, sessionId: string, action: string) =>
    `/v1/client/sessions/${segment(operation, 'session id', sessionId)}/${action}`

  /** Builds the call lazily, so a bad argument rejects the promise instead of throwing. */
  const send = <T>(build: () => HttpCall): Promise<AdapterResponse<T>> => {
    try {
      return transport.send(build())
    } catch (error) {
      return Promise.reject(error)
    }
  }

  return {
    // Tabs of one origin talking to the same backend share a channel named by it.
    key: resolved.baseUrl,

    getClient: () =>
      send(() => ({
        operation: 'getClient',
        method: 'GET',
        path: '/v1/client',
        idempotent: true,
      })),

    signIn: (params: SignInParams) =>
      send(() => {
        const { identifier, password } = params ?? ({} as Partial<SignInParams>)
        return {
          operation: 'signIn',
          method: 'POST',
          path: '/v1/client/sign_ins',
          body: { identifier, password },
          idempotent: false,
        }
      }),

    touchSession: (sessionId: string) =>
      send(() => ({
        operation: 'touchSession',
        method: 'POST',
        path: sessionPath('touchSession', sessionId, 'touch'),
        idempotent: true,
      })),

    createToken: (sessionId: string, params: CreateTokenParams) =>
      send(() => {
        const { template, organizationId } = params ?? {}
        const tokens = sessionPath('createToken', sessionId, 'tokens')
        return {
          operation: 'createToken',
          method: 'POST',
          path: template === undefined ? tokens : `${tokens}/${segment('createToken', 'template name', template)}`,
          // Absent means "the session's active organization"; null means none: keep the difference.
          body: organizationId === undefined ? {} : { organizationId },
          // Minting changes nothing on the server (it is not activity), so it is safe to repeat.
          idempotent: true,
        }
      }),

    endSession: (sessionId: string) =>
      send(() => ({
        operation: 'endSession',
        method: 'POST',
        path: sessionPath('endSession', sessionId, 'end'),
        // Ending is idempotent on the server; retrying makes a sign-out reach it through a blip.
        idempotent: true,
      })),

    removeSession: (sessionId: string) =>
      send(() => ({
        operation: 'removeSession',
        method: 'POST',
        path: sessionPath('removeSession', sessionId, 'remove'),
        // Forgetting a forgotten session changes nothing more (the server may answer session_not_found).
        idempotent: true,
      })),

    endAllSessions: () =>
      send(() => ({
        operation: 'endAllSessions',
        method: 'DELETE',
        path: '/v1/client/sessions',
        idempotent: true,
      })),

    setActiveSession: (sessionId: string | null, params?: { organizationId?: string | null }) =>
      send(() => {
        const organizationId = params?.organizationId
        return {
          operation: 'setActiveSession',
          method: 'POST',
          path: '/v1/client/active',
          body: organizationId === undefined ? { sessionId } : { sessionId, organizationId },
          // Setting the same pointer twice leaves it where one request would.
          idempotent: true,
        }
      }),

    verifySession: (sessionId: string, params: VerificationParams) =>
      send(() => ({
        operation: 'verifySession',
        method: 'POST',
        path: sessionPath('verifySession', sessionId, 'verify'),
        // Only the fields of the strategy: nothing else of the caller's object goes on the wire.
        body:
          params?.strategy === 'totp'
            ? { strategy: 'totp', code: params.code }
            : { strategy: params?.strategy, password: (params as { password?: unknown } | undefined)?.password },
        idempotent: false,
      })),

    getUserSessions: () =>
      send(() => ({
        operation: 'getUserSessions',
        method: 'GET',
        path: '/v1/me/sessions',
        idempotent: true,
      })),

    revokeUserSession: (sessionId: string) =>
      send(() => ({
        operation: 'revokeUserSession',
        method: 'POST',
        path: `/v1/me/sessions/${segment('revokeUserSession', 'session id', sessionId)}/revoke`,
        // Revoking a revoked session changes nothing and answers the list again.
        idempotent: true,
      })),

    revokeOtherUserSessions: () =>
      send(() => ({
        operation: 'revokeOtherUserSessions',
        method: 'POST',
        path: '/v1/me/sessions/revoke_others',
        idempotent: true,
      })),

    signOutEverywhere: () =>
      send(() => ({
        operation: 'signOutEverywhere',
        method: 'POST',
        path: '/v1/me/sign_out_everywhere',
        // The server answers a repeat (nothing left to sign out here) with the client as it is.
        idempotent: true,
      })),

    startImpersonation: (sessionId: string, userId: string) =>
      send(() => ({
        operation: 'startImpersonation',
        method: 'POST',
        path: sessionPath('startImpersonation', sessionId, 'impersonate'),
        body: { userId },
        // Each attempt starts a session: like signIn, never repeated behind the user's back.
        idempotent: false,
      })),

    stopImpersonation: (sessionId: string) =>
      send(() => ({
        operation: 'stopImpersonation',
        method: 'POST',
        path: sessionPath('stopImpersonation', sessionId, 'stop_impersonating'),
        // Stopping a stopped session returns to the impersonator's session again.
        idempotent: true,
      })),
  }
}

/**
 * One path segment from an id or name: percent-encoded, and never `.` or `..`,
 * which a URL parser would resolve into another endpoint even when encoded.
 */
function segment(operation: string, what: string, value: unknown): string {
  if (typeof value !== 'string' || value === '' || value === '.' || value === '..') {
    throw new SessionKitError(
      'invalid_request',
      `${operation}: the ${what} must be a non-empty string other than "." and ".."; got ${typeof value === 'string' ? `"${value}"` : String(value)}.`,
    )
  }
  return encodeURIComponent(value)
}
