import type { ClientResource, SessionResource } from '../resources'
import type { TokenKey } from '../tokenKey'
import type { SignOutReason } from '../types'

/** Version of the tab protocol; messages of any other version are ignored. */
export const TAB_PROTOCOL_VERSION = 1

export type { TokenKey } from '../tokenKey'

/**
 * What tabs of one origin tell each other. `at` is the server-clock time the
 * news was true (tabs share the machine's clock, so server time orders news
 * from different tabs); older news than what a tab already knows is ignored,
 * which makes lost, duplicated and reordered messages harmless.
 */
export type TabMessageBody =
  /** Input in the sender's tab (at most once per throttle window). */
  | { type: 'activity'; at: number }
  /** "Stay signed in" in the sender's tab: closes the warning everywhere. */
  | { type: 'stay'; at: number }
  /** The server's view of the client after a load, sign-in, switch or sign-out. */
  | { type: 'client'; at: number; client: ClientResource }
  /** The server's view of one session after a touch or verification. */
  | { type: 'session'; at: number; session: SessionResource }
  /** The sender signed out (or its session ended). */
  | { type: 'signed-out'; at: number; reason: SignOutReason; sessionId: string | null }
  /** A fresh token, in memory and over the channel only. */
  | ({ type: 'token'; jwt: string; expiresAt?: number; requestId: string | null } & TokenKey)
  /** A follower asks the leader for a token. */
  | ({ type: 'token-request'; requestId: string } & TokenKey)
  /** The leader has a follower's request and is getting the token (sent at once, so a silent leader is noticed fast). */
  | { type: 'token-ack'; requestId: string }
  /** The leader could not get the token asked for. */
  | { type: 'token-error'; requestId: string; code: string }
  /** The leader is alive. */
  | { type: 'heartbeat' }
  /** A new tab asks for the current state. */
  | { type: 'hello' }

/** A message on the wire: the body plus version and sender. */
export type TabMessage = TabMessageBody & { v: typeof TAB_PROTOCOL_VERSION; from: string }

const isString = (v: unknown): v is string => typeof v === 'string'
const isNullableString = (v: unknown): v is string | null => v === null || typeof v === 'string'
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null

function isTokenKey(m: Record<string, unknown>): boolean {
  return isString(m.sessionId) && isNullableString(m.template) && isNullableString(m.organizationId)
}

/**
 * Checks a message from another tab. Anything unknown, malformed or of
 * another version returns null and is ignored: never thrown. Resource bodies
 * are checked again by the client's response parsers before use.
 */
export function parseTabMessage(data: unknown): TabMessage | null {
  if (!isObject(data) || data.v !== TAB_PROTOCOL_VERSION || !isString(data.from)) return null
  const m = data
  switch (m.type) {
    case 'activity':
    case 'stay':
      return isTime(m.at) ? (m as TabMessage) : null
    case 'client':
      return isTime(m.at) && isObject(m.client) ? (m as TabMessage) : null
    case 'session':
      return isTime(m.at) && isObject(m.session) ? (m as TabMessage) : null
    case 'signed-out':
      return isTime(m.at) && isString(m.reason) && isNullableString(m.sessionId) ? (m as TabMessage) : null
    case 'token':
      return isString(m.jwt) && (m.expiresAt === undefined || isTime(m.expiresAt)) && isNullableString(m.requestId) && isTokenKey(m)
        ? (m as TabMessage)
        : null
    case 'token-request':
      return isString(m.requestId) && isTokenKey(m) ? (m as TabMessage) : null
    case 'token-ack':
      return isString(m.requestId) ? (m as TabMessage) : null
    case 'token-error':
      return isString(m.requestId) && isString(m.code) ? (m as TabMessage) : null
    case 'heartbeat':
    case 'hello':
      return m as TabMessage
    default:
      return null
  }
}
