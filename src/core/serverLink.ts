import type { AdapterResponse } from './adapter'
import type { Clock } from './clock'
import { SessionKitError } from './errors'
import { createSkewEstimator } from './skewEstimator'
import type { Produced, Stamp } from './stateOrder'

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
  /** How many requests were sent: each request's number is its place in send order. */
  readonly sent: number
  /** `request` that also stamps the answer: when it was sent, its number, when the server produced it (stateOrder.ts). */
  ask<T>(call: () => Promise<AdapterResponse<unknown>>, parse: (raw: unknown) => T): Promise<Produced<T> & Stamp>
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
  let sent = 0

  async function ask<T>(call: () => Promise<AdapterResponse<unknown>>, parse: (raw: unknown) => T) {
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
    return { data, sentAt, number, serverNow: response.serverNow }
  }

  return {
    get skewMs() {
      return skewMs
    },
    get sent() {
      return sent
    },
    serverNow: () => clock.now() + skewMs,
    adoptSnapshot(serverNow) {
      const now = clock.now()
      skewMs = estimate(now - SNAPSHOT_ROUND_TRIP_MS, now, serverNow - SNAPSHOT_ROUND_TRIP_MS / 2).skew
    },
    request: async (call, parse) => (await ask(call, parse)).data,
    ask,
  }
}
