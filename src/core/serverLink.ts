import type { AdapterResponse } from './adapter'
import type { Clock } from './clock'
import { SessionKitError } from './errors'
import { createSkewEstimator } from './skewEstimator'

/** How slow an answer a server snapshot counts as: any real answer beats it. */
const SNAPSHOT_ROUND_TRIP_MS = 60_000

export interface ServerLink {
  /** Server clock − client clock (ms), from the recent answer with the shortest round trip; 0 before any answer. */
  readonly skewMs: number
  /** Current time on the server's clock. */
  serverNow(): number
  /** When the server produced the newest state this tab applied (server time; -Infinity before any). */
  readonly newestServerNow: number
  /**
   * A server snapshot taken at `serverNow` and used at `now`: the newest state
   * so far, and a first skew guess (it counts the page's load time as skew),
   * weighted as a slow answer so that the first real round trip replaces it.
   */
  adoptSnapshot(serverNow: number): void
  /** One adapter call: validates the answer with `parse` and measures skew. */
  request<T>(call: () => Promise<AdapterResponse<unknown>>, parse: (raw: unknown) => T): Promise<T>
  /**
   * `request` for server state this tab applies (the client, a session):
   * null when it crossed newer state on the wire, the server having produced
   * it earlier (see `crossedNewer`).
   */
  requestNewest<T>(call: () => Promise<AdapterResponse<unknown>>, parse: (raw: unknown) => T): Promise<T | null>
  /**
   * Server state produced at `serverNow` that another tab heard: whether it is
   * at least as new as the newest this tab applied (then it is the newest).
   */
  isNewest(serverNow: number): boolean
}

/**
 * Runs adapter calls and keeps the measured clock skew. The server reads its
 * clock somewhere between send and receive, so each answer gives skew =
 * serverNow − the midpoint of send and receive, off by at most half the round
 * trip; the skew estimator keeps the one with the shortest round trip among the
 * recent answers. Server times minus skew are client times.
 *
 * Also orders the server state this tab applies, its own answers, other tabs'
 * news and the snapshot alike, by when the server produced it: every tab talks
 * to the one server clock, whatever the machines' clocks say.
 */
export function createServerLink(clock: Clock, onAnswer: () => void): ServerLink {
  const estimate = createSkewEstimator()
  let skewMs = 0
  /** How many requests were sent: each request's number is its place in send order. */
  let sent = 0
  // The newest state taken: when the server produced it, its request's number (another tab's: `sent` then), and `sent` when it came.
  let newestServerNow = -Infinity
  let newestNumber = -1
  let sentBeforeNewest = 0
  /**
   * Whether an answer crossed the newest one on the wire (its request was sent
   * before that answer came) and is older: the server produced it earlier, or
   * in the same millisecond for an earlier request. A request sent after that
   * answer came is newer, even if the server's clock was set back meanwhile.
   */
  const crossedNewer = (serverNow: number, number: number) =>
    number < sentBeforeNewest && (serverNow < newestServerNow || (serverNow === newestServerNow && number < newestNumber))
  /** Makes state the server produced at `serverNow`, for request `number`, the newest. */
  const take = (serverNow: number, number: number) => {
    newestServerNow = serverNow
    newestNumber = number
    sentBeforeNewest = sent
  }
  /**
   * Another tab's state is not the answer to a request of this one: only its
   * server time orders it, and it wins a tie with this tab's requests on their
   * way. After the server's clock was set back, it counts again once this tab's
   * own next answer lowers the newest, or the server's clock catches up.
   */
  const isNewest = (serverNow: number) => {
    if (serverNow < newestServerNow) return false
    take(serverNow, sent)
    return true
  }

  /** One adapter call as `request` makes it; also says when the server produced the answer, and the request's number. */
  async function send<T>(call: () => Promise<AdapterResponse<unknown>>, parse: (raw: unknown) => T) {
    const number = sent++
    const sentAt = clock.now()
    const response = await call()
    const receivedAt = clock.now()
    // Number.isFinite is false for anything but a finite number.
    if (!Number.isFinite(response?.serverNow)) {
      throw new SessionKitError(
        'invalid_response',
        process.env.NODE_ENV !== 'production' ? 'The adapter answered without a numeric serverNow: check that it implements SessionAdapter.' : 'Unexpected server answer.',
      )
    }
    const data = parse(response.data)
    skewMs = estimate(sentAt, receivedAt, response.serverNow).skew
    onAnswer()
    return { data, serverNow: response.serverNow, number }
  }

  return {
    get skewMs() {
      return skewMs
    },
    get newestServerNow() {
      return newestServerNow
    },
    serverNow: () => clock.now() + skewMs,
    adoptSnapshot(serverNow) {
      const now = clock.now()
      skewMs = estimate(now - SNAPSHOT_ROUND_TRIP_MS, now, serverNow - SNAPSHOT_ROUND_TRIP_MS / 2).skew
      isNewest(serverNow)
    },
    request: async (call, parse) => (await send(call, parse)).data,
    async requestNewest(call, parse) {
      const { data, serverNow, number } = await send(call, parse)
      if (crossedNewer(serverNow, number)) return null
      take(serverNow, number)
      return data
    },
    isNewest,
  }
}
