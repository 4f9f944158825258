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
  /**
   * A server snapshot taken at `serverNow` and used at `now`: a first skew
   * guess (it counts the page's load time as skew), weighted as a slow
   * answer so that the first real round trip replaces it.
   */
  adoptSnapshot(serverNow: number): void
  /** One adapter call: validates the answer with `parse` and measures skew. */
  request<T>(call: () => Promise<AdapterResponse<unknown>>, parse: (raw: unknown) => T): Promise<T>
  /**
   * `request` for an answer that replaces all before it (the whole client):
   * null when it crossed a newer one on the wire, the server having produced
   * it earlier (see `crossedNewer`).
   */
  requestNewest<T>(call: () => Promise<AdapterResponse<unknown>>, parse: (raw: unknown) => T): Promise<T | null>
}

/**
 * Runs adapter calls and keeps the measured clock skew. The server reads its
 * clock somewhere between send and receive, so each answer gives skew =
 * serverNow − the midpoint of send and receive, off by at most half the round
 * trip; the skew estimator keeps the one with the shortest round trip among the
 * recent answers. Server times minus skew are client times.
 */
export function createServerLink(clock: Clock, onAnswer: () => void): ServerLink {
  const estimate = createSkewEstimator()
  let skewMs = 0
  /** How many requests were sent: each request's number is its place in send order. */
  let sent = 0
  // The newest answer `requestNewest` took: when the server produced it, its request's number, and `sent` when it came.
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
    serverNow: () => clock.now() + skewMs,
    adoptSnapshot(serverNow) {
      const now = clock.now()
      skewMs = estimate(now - SNAPSHOT_ROUND_TRIP_MS, now, serverNow - SNAPSHOT_ROUND_TRIP_MS / 2).skew
    },
    request: async (call, parse) => (await send(call, parse)).data,
    async requestNewest(call, parse) {
      const { data, serverNow, number } = await send(call, parse)
      if (crossedNewer(serverNow, number)) return null
      newestServerNow = serverNow
      newestNumber = number
      sentBeforeNewest = sent
      return data
    },
  }
}
