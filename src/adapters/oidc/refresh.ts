import * as oauth from 'oauth4webapi'
import { SessionKitError, type SessionKitErrorCode } from '../../core/errors'
import { isSignOutError } from '../../core/failurePolicy'
import type { ResolvedOidcOptions } from './options'
import type { OidcProvider } from './provider'
import type { RedirectState } from './redirect'
import { deadlinePassed, renewSession } from './resources'
import type { HeldSession, SessionShare } from './tokens'

/** What a refresh needs of the adapter. */
interface RefreshParts {
  share: SessionShare
  provider: OidcProvider
  redirects: RedirectState
  options: ResolvedOidcOptions
}

/**
 * Renews the session `sessionId` by one refresh grant: `activity` for a touch, not for a minting.
 * `accessTokenAtCall`: the access token the caller found too old (a minting takes any other).
 */
export type Refresh = (operation: string, sessionId: string, activity: boolean, accessTokenAtCall: string) => Promise<HeldSession>

/** Failures after which the grant may have reached the provider, and been handled there, without an answer here. */
const UNANSWERED = new Set<SessionKitErrorCode>(['network_error', 'timeout'])

/**
 * One refresh grant under the lock of all tabs. The session is read after
 * taking the lock (another tab may have rotated the refresh token while this
 * one waited). A minting (`activity` false) whose session changed meanwhile
 * uses that tab's fresh token instead of refreshing again.
 *
 * A rotating provider consumes the old refresh token as soon as it handles
 * the grant, so the answer holds the only copy of the new one, and sending
 * the old one again is reuse, which revokes the session. Hence: a timeout
 * rejects the caller at once (retryable) but the lock stays held until the
 * request settles, and a late answer is adopted; and the new refresh token
 * is kept even when the rest of the answer is unusable.
 */
export function createRefresh({ share, provider, redirects, options }: RefreshParts): Refresh {
  const { clock } = options

  /**
   * The provider's definite "no": this session is over in every tab, and no tab slips back in silently.
   * Only while it is still the session held: a late "no" for a session signed out since (and maybe
   * replaced by a new sign-in from another tab) must not end the new one.
   */
  const endEverywhere = (held: HeldSession, userLeft = true) => {
    if (share.current?.id !== held.id) return
    if (userLeft) redirects.ended = true
    share.end(held.id, true)
  }
  const revoke = (operation: string, refreshToken: string) => void provider.revoke(operation, refreshToken).catch(() => undefined)
  /**
   * A new token of `held`, which is no longer the session held: revoked unless a new sign-in of the same user
   * replaced it. Those share the provider's grant (see SessionShare's #replace): revoking it ends the new session too.
   */
  const dropRotated = (operation: string, held: HeldSession, refreshToken: string) => {
    if (share.current?.claims.sub !== held.claims.sub) revoke(operation, refreshToken)
  }

  /**
   * The answer was unusable but the provider did rotate: the old token is spent, so the new one
   * is kept (the old access token serves until it expires) and a retry is not reuse.
   */
  const keepRotated = (operation: string, held: HeldSession, refreshToken: string) => {
    if (share.current?.id === held.id) share.set({ ...held, refreshToken, refreshUnanswered: false, generation: held.generation + 1, updatedAt: clock.now() })
    else dropRotated(operation, held, refreshToken)
  }

  /** The grant got no answer: the provider may have spent the refresh token, which every tab should know. */
  const markUnanswered = (held: HeldSession) => {
    const current = share.current
    if (current?.id !== held.id || current.refreshUnanswered) return
    share.set({ ...current, refreshUnanswered: true, generation: current.generation + 1, updatedAt: clock.now() })
  }

  async function renew(operation: string, held: HeldSession, activity: boolean, onTimeout: (error: SessionKitError) => void): Promise<HeldSession> {
    const now = clock.now()
    const providerIdleOver = held.refreshExpiresAt !== null && now >= held.refreshExpiresAt
    const invalidGrant: SessionKitErrorCode = providerIdleOver ? 'session_expired' : 'session_not_found'
    let rotated: string | null = null
    let response: oauth.TokenEndpointResponse
    const sent = await share.handOver.generationOf('refresh-sent', held.id)
    // This tab's last grant got no answer, or another tab's did (that tab may have closed mid-refresh).
    const unanswered = held.refreshUnanswered || sent === held.generation
    // Stored before the grant goes out: a tab closing mid-refresh leaves it for the next.
    await share.handOver.write('refresh-sent', held)
    try {
      response = await provider.refresh(operation, held.refreshToken, invalidGrant, {
        onTimeout,
        onRotated: (refreshToken) => {
          rotated = refreshToken
        },
      })
      await share.handOver.write('refresh-sent', null)
    } catch (error) {
      const noAnswer = !rotated && error instanceof SessionKitError && UNANSWERED.has(error.code)
      if (!noAnswer) await share.handOver.write('refresh-sent', null)
      if (unanswered && error instanceof SessionKitError && error.code === 'session_not_found') {
        // Most likely reuse detection after a lost answer: the provider's login session survives it,
        // so the browser may sign in silently again (no `ended`), and the message says what happened.
        endEverywhere(held, false)
        throw lostAnswer(operation, error)
      }
      if (isSignOutError(error)) endEverywhere(held)
      else if (rotated) keepRotated(operation, held, rotated)
      else if (noAnswer) markUnanswered(held)
      throw error
    }
    if (share.current?.id !== held.id) {
      // Signed out in another tab while the provider answered: the new token must not outlive that.
      if (response.refresh_token) dropRotated(operation, held, response.refresh_token)
      throw new SessionKitError(
        'session_not_found',
        `${operation}: the session ended, or a new sign-in replaced it, in another tab while it was being renewed; use the current session or sign in again.`,
      )
    }
    if (response.id_token && oauth.getValidatedIdTokenClaims(response)?.sub !== held.claims.sub) {
      // Tokens for another user must not carry on this session: end it cleanly, revoking the new token.
      revoke(operation, response.refresh_token ?? held.refreshToken)
      endEverywhere(held)
      throw new SessionKitError(
        'session_not_found',
        `${operation}: the provider's refreshed ID token names another user than the session's, so sessionkit ended the session; sign in again.`,
      )
    }
    const renewed = renewSession({ response, previous: held, now: clock.now(), sentAt: now, activity, options })
    share.set(renewed)
    return renewed
  }

  return (operation, sessionId, activity, accessTokenAtCall) =>
    new Promise<HeldSession>((resolve, reject) => {
      share
        .exclusive(async () => {
          const held = share.current
          if (!held || held.id !== sessionId) {
            throw new SessionKitError('session_not_found', `${operation}: the session ended (possibly in another tab) before it could be renewed; sign in again.`)
          }
          const now = clock.now()
          if (deadlinePassed(held, options, now)) {
            throw new SessionKitError('session_expired', `${operation}: the session's inactivity or maximum-lifetime deadline has passed; sign in again.`)
          }
          if (!activity && held.accessToken !== accessTokenAtCall && held.accessExpiresAt > now) return resolve(held)
          // The caller hears of a timeout now; this work (and the lock) goes on until the answer or its bound.
          resolve(await renew(operation, held, activity, reject))
        })
        // A promise settles once: after a timeout, the late answer's outcome reaches only the shared session.
        .catch(reject)
    })
}

/** The refusal of a refresh token whose last grant went unanswered: it was spent there, the new one lost on the way. */
function lostAnswer(operation: string, refusal: SessionKitError): SessionKitError {
  return new SessionKitError(
    'session_not_found',
    `${operation}: the provider refused the session's refresh token, most likely as already used: an earlier refresh reached the provider, but its answer (with the new refresh token) was lost on the way back, and the provider's reuse detection ended the session. Sign in again (a provider session still alive signs in without a password). To keep sessions through dropped connections, allow a reuse grace for rotated refresh tokens at the provider (Auth0 "Reuse Interval", Keycloak "Refresh Token Max Reuse" of 1 or more, Okta's grace period for token rotation).`,
    { cause: refusal, ...(refusal.status === undefined ? {} : { status: refusal.status }) },
  )
}
