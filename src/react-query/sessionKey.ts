import type { QueryKey } from '@tanstack/react-query'
import type { SessionClientState } from '../core/types'

/** The part of a query key that names the session whose data the query holds. */
export interface SessionTag {
  /** The session id, or null while loading or signed out. */
  readonly sessionkitSessionId: string | null
}

/** What `sessionKey` returns: spread it into a query key, `['me', ...sessionKey(id)]`. */
export type SessionKey = readonly [SessionTag]

/** Where `sessionKey` reads the session from: an id, nothing (null/undefined = no session), or client state. */
export type SessionKeySource = string | null | undefined | Pick<SessionClientState, 'session'>

/**
 * Tags a query key with a session, so `SessionQueryBoundary` can tell whose
 * data a query holds: `useQuery({ queryKey: ['me', ...sessionKey(sessionId)] })`.
 * A session switch then changes the key (no data of the old account under the
 * new one), and the old session's queries are dropped.
 */
export function sessionKey(source: SessionKeySource): SessionKey {
  const id = typeof source === 'string' ? source : (source?.session?.id ?? null)
  return [{ sessionkitSessionId: id }]
}

/**
 * The session a query key was tagged with by `sessionKey`: its id, null for
 * a key tagged while signed out, undefined for a key with no tag.
 */
export function sessionIdInKey(queryKey: QueryKey): string | null | undefined {
  for (const part of queryKey) {
    if (isSessionTag(part)) return part.sessionkitSessionId
  }
  return undefined
}

function isSessionTag(part: unknown): part is SessionTag {
  if (part === null || typeof part !== 'object' || !Object.hasOwn(part, 'sessionkitSessionId')) return false
  const id = (part as SessionTag).sessionkitSessionId
  return id === null || typeof id === 'string'
}
