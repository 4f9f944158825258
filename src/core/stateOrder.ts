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

/** A client the server answered, with when it was asked for and produced. */
export type ClientAnswer = Produced<ClientResource> & Stamp

/**
 * Which server state is newer, for all a tab applies: its own answers, other
 * tabs' news and the snapshot alike. Two rules, for two kinds of state:
 *
 * - A session version is newer than the one held for its id when its
 *   `updatedAt` (the server's own stamp, unconverted) is not older: what a
 *   touch or a verification answers says nothing of the rest of the client,
 *   so it never orders that. (A server whose clock was set back has its
 *   versions taken again once its clock passes the held one's `updatedAt`.)
 * - The client (which session is active, the list, the policy) is newer than
 *   the one applied when its request was sent after that one arrived here;
 *   when the two crossed on the wire, when the server produced it later (the
 *   later request on a tie). The machine's clock orders all that it can: the
 *   clocks of servers are compared only for requests that crossed. The same
 *   state again (the same news twice) is not newer.
 */
export function createStateOrder() {
  let newest: Stamp = { sentAt: -Infinity, serverNow: -Infinity }
  /** The newest client, once one was applied. */
  let client: ClientAnswer | null = null
  /** When the newest client arrived here, on the machine's clock and in this tab's send order. */
  let receivedAt = -Infinity
  let sentBefore = 0
  /** The newest version of each session heard of, as the server sent it. */
  const sessions = new Map<string, Produced<SessionResource>>()
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
    /** The newest version of `version`'s session: `version` (then held) unless a newer one is held. */
    newestOf(version: Produced<SessionResource>): Produced<SessionResource> {
      const held = sessions.get(version.data.id)
      if (held && held.data.updatedAt > version.data.updatedAt) return held
      sessions.set(version.data.id, version)
      return version
    },
  }
}
