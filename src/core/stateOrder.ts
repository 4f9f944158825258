import type { ClientResource, SessionResource } from './resources'

/**
 * When server state was asked for and produced: `sentAt` on the machine's
 * clock (the request's send time; every tab shares that clock), `serverNow`
 * on the clock of the server that answered (servers behind a load balancer
 * may disagree by seconds). This tab's own answers also have the request's
 * `number` in its send order: exact where a millisecond is not.
 */
export interface Stamp {
  sentAt: number
  serverNow: number
  number?: number
}

/** An answer with the server time it was produced (session times and verification ages are counted from it). */
export interface Produced<T> {
  data: T
  serverNow: number
}

/**
 * A client the server answered, with when it was asked for and produced.
 * `unstamped`: news from a tab of an older version, whose `sentAt` is only
 * when that tab heard it; enough to order the client, not its sessions.
 */
export type ClientAnswer = Produced<ClientResource> & Stamp & { unstamped?: boolean }

/** A session version, with its answer's stamp when known (a tab of an older version sends none). */
export type SessionVersion = Produced<SessionResource> & Partial<Stamp>

const ended = (session: SessionResource) => session.status !== 'active' && session.status !== 'pending'

/** Whether `version` is newer than `held` (see createStateOrder). */
function isNewerSession(version: SessionVersion, held: SessionVersion & { receivedAt: number; sentBefore: number }): boolean {
  if (ended(version.data) !== ended(held.data)) return ended(version.data)
  const sentAfter = version.number === undefined ? version.sentAt !== undefined && version.sentAt > held.receivedAt : version.number >= held.sentBefore
  return sentAfter || (version.data.updatedAt - held.data.updatedAt || version.serverNow - held.serverNow) >= 0
}

/**
 * Which server state is newer, for all a tab applies: its own answers, other
 * tabs' news and the snapshot alike. Two rules, for two kinds of state:
 *
 * - A session version is newer than the one held for its id when it ended
 *   and the held one did not (a session never comes back), or, both live or
 *   both ended, when its request was sent after the held one arrived here;
 *   when the two crossed on the wire, when its `updatedAt` (the server's own
 *   stamp, unconverted) is later, then when it was produced later. What a
 *   touch or a verification answers says nothing of the rest of the client,
 *   so it never orders that.
 * - The client (which session is active, the list, the policy) is newer than
 *   the one applied when its request was sent after that one arrived here;
 *   when the two crossed on the wire, when the server produced it later (the
 *   later request on a tie). The machine's clock orders all that it can: the
 *   clocks of servers are compared only for requests that crossed. The same
 *   state again (the same news twice) is not newer.
 */
/** Which server state is newer, and the newest of each (see createStateOrder). */
export type StateOrder = ReturnType<typeof createStateOrder>

export function createStateOrder() {
  let newest: Stamp = { sentAt: -Infinity, serverNow: -Infinity }
  /** The newest client, once one was applied. */
  let client: ClientAnswer | null = null
  /** When the newest client arrived here, on the machine's clock and in this tab's send order. */
  let receivedAt = -Infinity
  let sentBefore = 0
  /** The newest version of each session of the client, as the server sent it, with when it arrived here. */
  const sessions = new Map<string, SessionVersion & { receivedAt: number; sentBefore: number }>()
  return {
    sessions,
    get client() {
      return client
    },
    /**
     * Whether `answer` is newer than the client applied: then it is that one,
     * arrived `now`, when this tab had sent `sent` requests.
     */
    takesClient(answer: ClientAnswer, now: number, sent: number): boolean {
      const { sentAt, number = -1 } = answer
      const sentAfter = answer.number === undefined ? sentAt > receivedAt : number >= sentBefore
      // Crossed: produced later, or by the later request in the same millisecond.
      const later = answer.serverNow - newest.serverNow || sentAt - newest.sentAt || number - (newest.number ?? -1)
      if (!sentAfter && !(later > 0)) return false
      newest = client = answer
      receivedAt = now
      sentBefore = sent
      return true
    },
    /**
     * The newest version of `version`'s session: `version` (then held, arrived
     * `now`, when this tab had sent `sent` requests) unless a newer one is held.
     */
    newestOf(version: SessionVersion, now: number, sent: number): SessionVersion {
      const held = sessions.get(version.data.id)
      if (held && !isNewerSession(version, held)) return held
      sessions.set(version.data.id, { ...version, receivedAt: now, sentBefore: sent })
      return version
    },
    /** Forgets the sessions a client answer no longer lists (signed out and gone, removed). */
    keepOnly(client: ClientResource): void {
      for (const id of sessions.keys()) if (!client.sessions.some((session) => session.id === id)) sessions.delete(id)
    },
  }
}
