import { MAX_RETRY_AFTER_MS, retryDelay } from '../core/backoff'
import { SessionKitError } from '../core/errors'
import { isConnectivityError } from '../core/failurePolicy'

/** How many times `sessionRetry` retries a query (TanStack Query's default too). */
export const SESSION_RETRY_LIMIT = 3

/**
 * Whether a failed request is worth trying again: network failures,
 * timeouts, 408, 429 and 5xx are; a definite answer (401, 403, any other
 * 4xx, signed out, bad input, an aborted request) is not. Errors with a
 * numeric `status` (`HttpError`, most API clients' errors) are judged by it;
 * other errors count as network failures, as TanStack Query's default does.
 */
export function isRetryableError(error: unknown): boolean {
  if (error instanceof SessionKitError) return isConnectivityError(error)
  if (isAbort(error)) return false
  const status = statusOf(error)
  if (status === undefined) return true
  return status === 408 || status === 429 || status >= 500
}

/**
 * A `retry` for TanStack Query: up to 3 retries of what `isRetryableError`
 * accepts, none for 401/403 or a signed-out user. Use with
 * `sessionRetryDelay`: `new QueryClient({ defaultOptions: { queries: { retry: sessionRetry, retryDelay: sessionRetryDelay } } })`.
 */
export function sessionRetry(failureCount: number, error: unknown): boolean {
  return failureCount < SESSION_RETRY_LIMIT && isRetryableError(error)
}

/**
 * A `retryDelay` for TanStack Query: exponential backoff with jitter (about
 * 1 s, 2 s, 4 s …, at most 30 s), the same as sessionkit's own retries, or
 * longer when the server asked for it (Retry-After on a 429 or 503), at most
 * a minute.
 */
export function sessionRetryDelay(failureCount: number, error: unknown): number {
  return retryDelay(failureCount + 1, retryAfterOf(error))
}

function statusOf(error: unknown): number | undefined {
  if (error === null || typeof error !== 'object') return undefined
  const status = (error as { status?: unknown }).status
  return typeof status === 'number' && Number.isInteger(status) ? status : undefined
}

function retryAfterOf(error: unknown): number | undefined {
  if (error === null || typeof error !== 'object') return undefined
  const ms = (error as { retryAfterMs?: unknown }).retryAfterMs
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return undefined
  // Any API client's error may carry it: the adapters' cap, so a day's wait never overflows setTimeout.
  return Math.min(MAX_RETRY_AFTER_MS, ms)
}

/** The caller gave up (unmount, newer request); a timeout is not an abort and is retried. */
function isAbort(error: unknown): boolean {
  return error !== null && typeof error === 'object' && (error as { name?: unknown }).name === 'AbortError'
}
