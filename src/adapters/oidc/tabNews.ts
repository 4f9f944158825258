// What the tabs of one adapter tell each other over the BroadcastChannel
// (tokens.ts), read back defensively: a tab of another version, or a stray
// message, is ignored.
import type { HeldSession } from './tokens'

export type TabNews =
  | { v: 1; type: 'hello' }
  /** `replaces`: the id of another session the sender held until now, which it dropped (revoking its refresh token when it was another user's). */
  | { v: 1; type: 'session'; session: HeldSession; replaces?: string }
  /** `revoked`: the tab that ended it revoked the refresh token; if not, a tab holding it does. */
  | { v: 1; type: 'ended'; sessionId: string; revoked: boolean }
  /** A tab's createToken handed out this access token of the session. */
  | { v: 1; type: 'served'; sessionId: string; accessToken: string }

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

/** Reads a message from another tab; anything unexpected (another version, a stray message) is ignored, never thrown. */
export function parseNews(data: unknown): TabNews | null {
  if (!isRecord(data) || data.v !== 1) return null
  if (data.type === 'hello') return { v: 1, type: 'hello' }
  if (data.type === 'ended') {
    return typeof data.sessionId === 'string' ? { v: 1, type: 'ended', sessionId: data.sessionId, revoked: data.revoked === true } : null
  }
  if (data.type === 'served') {
    return typeof data.sessionId === 'string' && typeof data.accessToken === 'string'
      ? { v: 1, type: 'served', sessionId: data.sessionId, accessToken: data.accessToken }
      : null
  }
  if (data.type !== 'session' || !isRecord(data.session)) return null
  const s = data.session
  const strings = ['id', 'accessToken', 'refreshToken'] as const
  const numbers = ['generation', 'accessExpiresAt', 'tokenLifetimeMs', 'authTimeMs', 'createdAt', 'lastActiveAt', 'updatedAt'] as const
  if (strings.some((k) => typeof s[k] !== 'string') || numbers.some((k) => typeof s[k] !== 'number')) return null
  if (!isRecord(s.claims) || typeof s.claims.sub !== 'string') return null
  // A tab of an older version sends none of these: no fixed end known, its answer read as received, its token as not handed out.
  const flags = {
    fixedEndAt: typeof s.fixedEndAt === 'number' ? s.fixedEndAt : null,
    sessionMaxEndAt: typeof s.sessionMaxEndAt === 'number' ? s.sessionMaxEndAt : null,
    refreshUnanswered: s.refreshUnanswered === true,
    accessTokenServed: s.accessTokenServed === true,
  }
  const replaces = typeof data.replaces === 'string' ? { replaces: data.replaces } : {}
  return { v: 1, type: 'session', session: { ...(s as unknown as HeldSession), ...flags }, ...replaces }
}
