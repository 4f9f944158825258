import type { AdapterMethod } from '../../core/adapter'
import { SessionKitError } from '../../core/errors'

export { ADAPTER_METHODS, type AdapterMethod } from '../../core/adapter'

/**
 * A simulated failure: `offline` → `network_error`, `server-error` →
 * `server_error` (500), `rate-limited` → `rate_limited` (429),
 * `unauthenticated` → `unauthenticated` (401).
 */
export type FailureMode = 'offline' | 'server-error' | 'rate-limited' | 'unauthenticated'

/** Which calls a failure mode applies to. */
export interface FailOptions {
  /** Fail this many calls, then answer normally again. Default: until `fail(null)`. */
  times?: number
  /** Fail only calls of these methods; others answer normally and do not count. Default: every method. */
  only?: readonly AdapterMethod[]
  /** The Retry-After a `rate-limited` failure reports (ms). Default 1,000. */
  retryAfterMs?: number
}

/** Holds the current failure mode and hands out one error per failing call. */
export class FailureInjector {
  #mode: FailureMode | null = null
  #remaining = Infinity
  #only: ReadonlySet<AdapterMethod> | null = null
  #retryAfterMs = 1_000

  set(mode: FailureMode | null, options: FailOptions = {}): void {
    if (mode !== null && !FAILURE_MODES.includes(mode)) {
      throw new SessionKitError(
        'invalid_option',
        `Unknown failure mode "${String(mode)}": use offline, server-error, rate-limited, unauthenticated or null.`,
      )
    }
    const { times = Infinity, only, retryAfterMs = 1_000 } = options
    if (!(times === Infinity || (Number.isInteger(times) && times > 0))) {
      throw new SessionKitError('invalid_option', `fail({ times }) must be a positive whole number; got ${String(times)}.`)
    }
    if (!Number.isFinite(retryAfterMs) || retryAfterMs < 0) {
      throw new SessionKitError('invalid_option', `fail({ retryAfterMs }) must be 0 or more; got ${String(retryAfterMs)}.`)
    }
    this.#mode = mode
    this.#remaining = times
    this.#only = only ? new Set(only) : null
    this.#retryAfterMs = retryAfterMs
  }

  /** The error this call fails with, or null when it should be answered. */
  take(method: AdapterMethod): SessionKitError | null {
    const mode = this.#mode
    if (mode === null || (this.#only !== null && !this.#only.has(method))) return null
    this.#remaining -= 1
    if (this.#remaining <= 0) this.#mode = null
    return failureError(mode, method, this.#retryAfterMs)
  }
}

const FAILURE_MODES: readonly FailureMode[] = ['offline', 'server-error', 'rate-limited', 'unauthenticated']

function failureError(mode: FailureMode, method: AdapterMethod, retryAfterMs: number): SessionKitError {
  const what = `${method} (memory adapter, simulated)`
  switch (mode) {
    case 'offline':
      return new SessionKitError('network_error', `${what}: the server could not be reached; sessionkit will retry.`)
    case 'server-error':
      return new SessionKitError('server_error', `${what}: the server failed (500); sessionkit will retry.`, {
        status: 500,
      })
    case 'rate-limited':
      return new SessionKitError('rate_limited', `${what}: too many requests (429); retry after ${retryAfterMs} ms.`, {
        status: 429,
        retryAfterMs,
      })
    case 'unauthenticated':
      return new SessionKitError('unauthenticated', `${what}: the server no longer knows this client (401); sign in again.`, {
        status: 401,
      })
  }
}
