import type { AdapterResponse } from './adapter'
import type { Clock } from './clock'
import { SessionKitError } from './errors'

/**
 * Runs adapter calls and keeps the measured clock skew. The server reads its
 * clock about half-way through the round trip, so skew = serverNow − the
 * midpoint of send and receive; server times minus skew are client times.
 */
export class ServerLink {
  /** Server clock − client clock (ms), from the latest answer. */
  skewMs = 0
  #clock: Clock
  #onAnswer: () => void

  constructor(clock: Clock, onAnswer: () => void) {
    this.#clock = clock
    this.#onAnswer = onAnswer
  }

  /** Current time on the server's clock. */
  serverNow(): number {
    return this.#clock.now() + this.skewMs
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
    this.skewMs = response.serverNow - (sentAt + receivedAt) / 2
    this.#onAnswer()
    return data
  }
}
