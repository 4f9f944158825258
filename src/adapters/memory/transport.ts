import type { AdapterResponse } from '../../core/adapter'
import type { Clock } from '../../core/clock'
import { SessionKitError } from '../../core/errors'
import { ADAPTER_METHODS, type AdapterMethod, FailureInjector } from './failures'

/**
 * The simulated wire between the page and the memory server: latency on the
 * adapter's clock, injected failures, raw responses and call counts.
 */
export class SimulatedNetwork {
  readonly failures = new FailureInjector()
  readonly #clock: Clock
  readonly #latencyMs: number
  readonly #calls = Object.fromEntries(ADAPTER_METHODS.map((method) => [method, 0])) as Record<AdapterMethod, number>
  readonly #rawResponses = new Map<AdapterMethod, unknown[]>()

  constructor(clock: Clock, latencyMs: number) {
    this.#clock = clock
    this.#latencyMs = latencyMs
  }

  /**
   * One request: it reaches the server after half the latency, where `serve`
   * reads and changes state synchronously, and is answered after the whole
   * latency. Both timers are armed up front, so virtual time alone decides
   * when things happen, even while WebCrypto signs in real time. A raw
   * response or a failure replaces the server's answer and changes nothing.
   */
  request<T>(method: AdapterMethod, serve: () => Promise<AdapterResponse<T>>): Promise<AdapterResponse<T>> {
    this.#calls[method] += 1
    const queued = this.#rawResponses.get(method)
    const hasRaw = queued !== undefined && queued.length > 0
    const raw = hasRaw ? queued.shift() : undefined
    const failure = hasRaw ? null : this.failures.take(method)
    const arrived = this.#after(Math.floor(this.#latencyMs / 2))
    const answered = this.#after(this.#latencyMs)
    return arrived.then(async () => {
      if (hasRaw) {
        await answered
        return raw as AdapterResponse<T>
      }
      if (failure) {
        await answered
        throw failure
      }
      let outcome: Promise<AdapterResponse<T>>
      try {
        outcome = serve()
      } catch (error) {
        outcome = Promise.reject(error)
      }
      // Settle first: a rejection must wait for the latency without going unhandled.
      const [settled] = await Promise.all([outcome.then(settledValue, settledError), answered])
      if ('error' in settled) throw settled.error
      return settled.value
    })
  }

  calls(): Readonly<Record<AdapterMethod, number>> {
    return Object.freeze({ ...this.#calls })
  }

  resetCalls(): void {
    for (const method of ADAPTER_METHODS) this.#calls[method] = 0
  }

  respondWith(method: AdapterMethod, raw: unknown): void {
    if (!ADAPTER_METHODS.includes(method)) {
      throw new SessionKitError('invalid_option', `respondWith: "${String(method)}" is not a SessionAdapter method.`)
    }
    const queue = this.#rawResponses.get(method) ?? []
    queue.push(raw)
    this.#rawResponses.set(method, queue)
  }

  #after(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve()
    return new Promise((resolve) => this.#clock.setTimeout(resolve, ms))
  }
}

function settledValue<T>(value: T): { value: T } {
  return { value }
}

function settledError(error: unknown): { error: unknown } {
  return { error }
}
