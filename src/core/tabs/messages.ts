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
/** A finite number (`Number.isFinite` is false for anything that is not a number: no coercion). */
const isTime = Number.isFinite

/** The checks a field can need, by the letter before its name in `FIELDS`. */
const CHECKS: Record<string, (v: unknown) => boolean> = {
  s: isString,
  /** A string or null. */
  n: (v) => v === null || isString(v),
  t: isTime,
  /** A time or nothing. */
  u: (v) => v === undefined || isTime(v),
}

const AT = ' tat'
const REQUEST_ID = ' srequestId'
const TOKEN_KEY = ' ssessionId ntemplate norganizationId'

/**
 * The fields each type of message must have besides `from` (a string), each
 * written as a space, its check's letter (see `CHECKS`) and its name: ' tat'
 * is `at`, a time. Mirrors `TabMessageBody`. The resources in `client` and
 * `session` are left to the client's response parsers, which check them
 * before use.
 */
const FIELDS: Record<string, string> = {
  activity: AT,
  stay: AT,
  client: AT,
  session: AT,
  'signed-out': AT + ' sreason nsessionId',
  token: ' sjwt uexpiresAt nrequestId' + TOKEN_KEY,
  'token-request': REQUEST_ID + TOKEN_KEY,
  'token-ack': REQUEST_ID,
  'token-error': REQUEST_ID + ' scode',
  heartbeat: '',
  hello: '',
}

/**
 * Checks a message from another tab. Anything unknown, malformed or of
 * another version returns false and is ignored: never thrown. Resource bodies
 * are checked again by the client's response parsers before use.
 */
export const parseTabMessage = ((m: Record<string, unknown> | null | undefined) => {
  // A string only: a type such as "toString" finds Object's methods in the table.
  const fields: unknown = FIELDS[m?.type as string]
  // Only an object has a `v` (null and undefined have no properties to read).
  return (
    m?.v === TAB_PROTOCOL_VERSION &&
    isString(fields) &&
    `sfrom${fields}`.split(' ').every((field) => CHECKS[field[0]!]!(m[field.slice(1)])) &&
    m
  )
  // Callers may pass anything: the parameter's own type only spares casts inside.
}) as (data: unknown) => TabMessage | false

/** The token key a message carries, without the message's other fields (which would reach the cache's key and events). */
export const keyOf = (m: TokenKey): TokenKey => ({ sessionId: m.sessionId, template: m.template, organizationId: m.organizationId })
