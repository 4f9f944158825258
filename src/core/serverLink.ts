import type { AdapterResponse } from './adapter'
import type { Clock } from './clock'
import { SessionKitError } from './errors'
import { SkewEstimator } from './skewEstimator'

/** How slow an answer a server snapshot counts as: any real answer beats it. */
const SNAPSHOT_ROUND_TRIP_MS = 60_000

/**
 * Runs adapter calls and keeps the measured clock skew. The server reads its
 * clock somewhere between send and receive, so each answer gives skew =
 * serverNow − the midpoint of send and receive, off by at most half the round
 * trip; `SkewEstimator` keeps the one with the shortest round trip among the
 * recent answers. Server times minus skew are client times.
 */
export class ServerLink {
  #clock: Clock
  #onAnswer: () => void
  #skew = new SkewEstimator()

  constructor(clock: Clock, onAnswer: () => void) {
    this.#clock = clock
    this.#onAnswer = onAnswer
  }

  /** Server clock − client clock (ms), from the recent answer with the shortest round trip; 0 before any answer. */
  get skewMs(): number {
    return this.#skew.skewMs
  }

  /** Current time on the server's clock. */
  serverNow(): number {
    return this.#clock.now() + this.skewMs
  }

  /**
   * A server snapshot taken at `serverNow` and used at `now`: a first skew
   * guess (it counts the page's load time as skew), weighted as a slow
   * answer so that the first real round trip replaces it.
   */
  adoptSnapshot(serverNow: number): void {
    const now = this.#clock.now()
    this.#skew.add({ sentAt: now - SNAPSHOT_ROUND_TRIP_MS, receivedAt: now, serverNow: serverNow - SNAPSHOT_ROUND_TRIP_MS / 2 })
  }

  /** One adapter call: validates the answer with `parse` and measures skew. */
  async request<T>(call: () => Promise<AdapterResponse<unknown>>, parse: (raw: unknown) => T): Promise<T> {
    const sentAt = this.#clock.now()
    const response = await call()
    const receivedAt = this.#clock.now()
    if (
      response === null ||
      typeof response !== 'object' ||
      typeof response.serverNow !== 'number' ||
      !Number.isFinite(response.serverNow)
    ) {
      throw new SessionKitError(
        'invalid_response',
        'The adapter answered without a numeric serverNow: check that it implements SessionAdapter.',
      )
    }
    const data = parse(response.data)
    this.#skew.add({ sentAt, receivedAt, serverNow: response.serverNow })
    this.#onAnswer()
    return data
  }
}
