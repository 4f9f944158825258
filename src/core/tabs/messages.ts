import type { ClientResource, SessionResource } from '../resources'
import type { TokenKey } from '../tokenKey'
import type { SignOutReason } from '../types'
import { isFiniteNumber, isString, isStringOrNull } from '../validate'

/** Version of the tab protocol; messages of any other version are ignored. */
export const TAB_PROTOCOL_VERSION = 1

export type { TokenKey } from '../tokenKey'

/**
 * What tabs of one origin tell each other. `at` is when the news was true, on
 * the machine's clock (the tabs share it). Server state is ordered as the
 * tab's own answers are (stateOrder.ts), by their stamp: when the request
 * was sent (`sentAt`, machine clock) and when the server produced the answer
 * (`serverNow`, which verification ages count from); a `session` also by its
 * `updatedAt` when two versions crossed. A tab of an older version leaves the stamp out: then `at`
 * orders its client. Older news than what a tab already knows is ignored,
 * which makes lost, duplicated and reordered messages harmless.
 */
export type TabMessageBody =
  /**
   * Input in the sender's tab (at most once per throttle window); `idleBase`: the leader's reply to a hello, when
   * the user last counted as active there, not input (tabs of older versions leave it out, or read it as input).
   */
  | { type: 'activity'; at: number; idleBase?: true }
  /** "Stay signed in" in the sender's tab: closes the warning everywhere. */
  | { type: 'stay'; at: number }
  /** The server's view of the client after a load, sign-in, switch or sign-out. */
  | { type: 'client'; at: number; sentAt?: number; serverNow?: number; client: ClientResource }
  /** The server's view of one session after a touch or verification. */
  | { type: 'session'; at: number; sentAt?: number; serverNow?: number; session: SessionResource }
  /**
   * The sender signed out (or its session ended). `unheard`: sent again by the tab that signed it out at a
   * deadline, which could not tell the server yet: every tab keeps telling it (the sender may close first).
   */
  // A string: a tab running another version may send a reason this one does not know (tabNews reads it).
  | { type: 'signed-out'; at: number; reason: SignOutReason | (string & {}); sessionId: string | null; unheard?: true }
  /** A fresh token, in memory and over the channel only. */
  | ({ type: 'token'; jwt: string; expiresAt?: number; requestId: string | null } & TokenKey)
  /**
   * A follower asks the leader for a token with more than `leewayInSeconds`
   * left (absent from tabs of older versions, which the leader serves with its own).
   */
  | ({ type: 'token-request'; requestId: string; leewayInSeconds?: number } & TokenKey)
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

/** Says whether a field's value is of the kind its message type needs. */
type Check = (value: unknown) => boolean

const isNumberOrUndefined: Check = (value) => value === undefined || isFiniteNumber(value)

const AT = { at: isFiniteNumber }
const SERVER_STATE = { ...AT, sentAt: isNumberOrUndefined, serverNow: isNumberOrUndefined }
const REQUEST_ID = { requestId: isString }
const TOKEN_KEY = { sessionId: isString, template: isStringOrNull, organizationId: isStringOrNull }

/**
 * The fields each type of message must have besides `v` and `from`, each with
 * its check. Mirrors `TabMessageBody`. The resources in `client` and `session`
 * are left to the client's response parsers, which check them before use. A
 * Map, not an object: a type such as "toString" or "__proto__" finds nothing.
 */
const FIELDS = new Map<unknown, Record<string, Check>>(
  Object.entries({
    activity: AT,
    stay: AT,
    client: SERVER_STATE,
    session: SERVER_STATE,
    'signed-out': { ...AT, reason: isString, sessionId: isStringOrNull },
    token: { jwt: isString, expiresAt: isNumberOrUndefined, requestId: isStringOrNull, ...TOKEN_KEY },
    'token-request': { ...REQUEST_ID, ...TOKEN_KEY, leewayInSeconds: isNumberOrUndefined },
    'token-ack': REQUEST_ID,
    'token-error': { ...REQUEST_ID, code: isString },
    heartbeat: {},
    hello: {},
  }),
)

/**
 * Checks a message from another tab. Anything unknown, malformed or of
 * another version returns null and is ignored: never thrown. Resource bodies
 * are checked again by the client's response parsers before use.
 */
export const parseTabMessage = (data: unknown): TabMessage | null => {
  // Callers may pass anything; reading a property of null or undefined is all `?.` guards against.
  const m = data as Record<string, unknown> | null | undefined
  const fields = FIELDS.get(m?.type)
  if (m?.v !== TAB_PROTOCOL_VERSION || !fields || !isString(m.from)) return null
  return Object.entries(fields).every(([name, check]) => check(m[name])) ? (m as TabMessage) : null
}

/** The token key a message carries, without the message's other fields (which would reach the cache's key and events). */
export const keyOf = (m: TokenKey): TokenKey => ({ sessionId: m.sessionId, template: m.template, organizationId: m.organizationId })
