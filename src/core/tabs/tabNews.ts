import { isSessionKitError } from '../errors'
import type { TokenResource } from '../adapter'
import type { ClientResource } from '../resources'
import type { SignOutReason } from '../types'
import type { TabMessage, TabMessageBody, TokenKey } from './messages'

/** What a client does with news from other tabs. */
export interface TabNewsHandlers {
  /** Whether this tab leads (touches and refreshes for all). */
  leads(): boolean
  post(body: TabMessageBody): void
  /** The newest client resource this tab applied and when it was current, for a tab that opens. */
  snapshot(): { at: number; client: ClientResource } | null
  /** When the newest server state applied here was current. */
  stateAt(): number
  /** The last input seen in any tab. */
  lastInputAt(): number
  /** Input in another tab. */
  activity(at: number): void
  /** "Stay signed in" in another tab. */
  stay(at: number): void
  /** A client resource from another tab (raw: parse before use). */
  client(raw: unknown): void
  /** A session resource from another tab (raw: parse before use). */
  session(raw: unknown): void
  /** Another tab signed out of `sessionId` (null: of every session). */
  signedOut(reason: SignOutReason, sessionId: string | null): void
  /** Whether `sessionId` is an active session here. */
  isActive(sessionId: string): boolean
  /** A token another tab fetched. */
  storeToken(key: TokenKey, token: TokenResource): void
  /** This tab's token for `key` (leader answering a follower). */
  getToken(key: TokenKey): Promise<TokenResource>
}

/**
 * Acts on one message from another tab. Malformed resources throw in the
 * handlers' parsers and are ignored here: a tab running another version, or a
 * corrupted message, must never break this one.
 */
export function handleTabMessage(message: TabMessage, on: TabNewsHandlers): void {
  try {
    switch (message.type) {
      case 'hello': {
        // A tab opened: the leader hands it the state and the last input, so a
        // tab opened during the warning shows the same countdown.
        if (!on.leads()) return
        const snapshot = on.snapshot()
        if (snapshot) on.post({ type: 'client', ...snapshot })
        return on.post({ type: 'activity', at: on.lastInputAt() })
      }
      case 'activity':
        return on.activity(message.at)
      case 'stay':
        return on.stay(message.at)
      case 'client':
        // Older news than what this tab knows (reordered, duplicated) changes nothing.
        if (message.at > on.stateAt()) on.client(message.client)
        return
      case 'session':
        if (message.at > on.stateAt()) on.session(message.session)
        return
      case 'signed-out':
        return on.signedOut(message.reason, message.sessionId)
      case 'token': {
        const { sessionId, template, organizationId, jwt, expiresAt } = message
        if (on.isActive(sessionId)) on.storeToken({ sessionId, template, organizationId }, expiresAt === undefined ? { jwt } : { jwt, expiresAt })
        return
      }
      case 'token-request':
        return void answerTokenRequest(message, on)
    }
  } catch {
    // Ignored on purpose: see above.
  }
}

async function answerTokenRequest(message: Extract<TabMessage, { type: 'token-request' }>, on: TabNewsHandlers) {
  if (!on.leads()) return
  const { requestId, sessionId, template, organizationId } = message
  const key = { sessionId, template, organizationId }
  // Before any work: the follower falls back quickly only when no leader says this.
  on.post({ type: 'token-ack', requestId })
  try {
    if (!on.isActive(sessionId)) throw new Error('That session is not active in the leading tab.')
    on.post({ type: 'token', requestId, ...key, ...(await on.getToken(key)) })
  } catch (error) {
    on.post({ type: 'token-error', requestId, code: isSessionKitError(error) ? error.code : 'network_error' })
  }
}
