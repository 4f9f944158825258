import type { QueryKey } from '@tanstack/react-query'
import type { SessionClientState } from '../core/types'

/** The part of a query key that names the session (and organization) whose data the query holds. */
export interface SessionTag {
  /** The session id, or null while loading or signed out. */
  readonly sessionkitSessionId: string | null
  /**
   * The organization the data belongs to: its id, or null for the personal
   * account. Absent when the key does not say (`sessionKey(sessionId)`), or
   * when there is no session.
   */
  readonly sessionkitOrganizationId?: string | null
  /**
   * True while the client is still loading (whose data it will be is not
   * known yet); absent otherwise. Inside `SessionQueryBoundary` such a query
   * does not run: it waits for the key to name the session, or null.
   */
  readonly sessionkitLoading?: true
}

/** What `sessionKey` returns: spread it into a query key, `['me', ...sessionKey(state)]`. */
export type SessionKey = readonly [SessionTag]

/**
 * Where `sessionKey` reads the session from: an id, nothing (null/undefined =
 * no session), or client state (`{ session }`, and `status`: while it is
 * `'loading'` the key says so).
 */
export type SessionKeySource = string | null | undefined | (Pick<SessionClientState, 'session'> & Partial<Pick<SessionClientState, 'status'>>)

/** Options of `sessionKey`. */
export interface SessionKeyOptions {
  /** Tag with this organization (null = the personal account). Default: the state's active organization; none for an id. */
  organizationId?: string | null
}

/**
 * Tags a query key with a session and its active organization, so
 * `SessionQueryBoundary` can tell whose data a query holds:
 * `useQuery({ queryKey: ['invoices', ...sessionKey(client.getState())] })`.
 * A session or organization switch then changes the key (no data of the old
 * account or organization under the new one), and the old one's queries are
 * dropped. From a bare id the key names no organization: such a query is
 * dropped whenever that session's organization changes. From the state of a
 * client still loading, the key is `{ sessionkitSessionId: null,
 * sessionkitLoading: true }`: not the signed-out key, which would otherwise
 * end up holding the data of the user the load finds.
 */
export function sessionKey(source: SessionKeySource, options: SessionKeyOptions = {}): SessionKey {
  const state = typeof source === 'object' && source !== null ? source : null
  if (state?.status === 'loading') return [{ sessionkitSessionId: null, sessionkitLoading: true }]
  const session = state?.session ?? null
  const id = typeof source === 'string' ? source : (session?.id ?? null)
  const organizationId = options.organizationId !== undefined ? options.organizationId : session?.lastActiveOrganizationId
  if (id === null || organizationId === undefined) return [{ sessionkitSessionId: id }]
  return [{ sessionkitSessionId: id, sessionkitOrganizationId: organizationId }]
}

/**
 * The session a query key was tagged with by `sessionKey`: its id, null for
 * a key tagged while loading or signed out, undefined for a key with no tag.
 */
export function sessionIdInKey(queryKey: QueryKey): string | null | undefined {
  return sessionTagInKey(queryKey)?.sessionkitSessionId
}

/** The tag `sessionKey` put in a query key, or undefined for a key with no tag. */
export function sessionTagInKey(queryKey: QueryKey): SessionTag | undefined {
  for (const part of queryKey) {
    if (isSessionTag(part)) return part
  }
  return undefined
}

function isSessionTag(part: unknown): part is SessionTag {
  if (part === null || typeof part !== 'object' || !Object.hasOwn(part, 'sessionkitSessionId')) return false
  const { sessionkitSessionId: id, sessionkitOrganizationId: organizationId, sessionkitLoading: loading } = part as SessionTag
  const validOrganization = organizationId === undefined || organizationId === null || typeof organizationId === 'string'
  return (id === null || typeof id === 'string') && validOrganization && (loading === undefined || loading === true)
}

/** Whether the key was tagged while the client was loading: nobody's data belongs under it. */
export function isLoadingKey(queryKey: QueryKey): boolean {
  return sessionTagInKey(queryKey)?.sessionkitLoading === true
}
