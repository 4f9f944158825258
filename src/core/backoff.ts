/** First retry after about this long (ms). */
export const RETRY_BASE_MS = 1_000
/** Retries never wait longer than this (ms). */
export const RETRY_MAX_MS = 30_000

/**
 * Exponential backoff with jitter for the `attempt`-th retry (1-based):
 * 1 s, 2 s, 4 s … capped at 30 s, each scaled into [50 %, 100 %] so that many
 * clients cut off together do not come back in lockstep. A server's
 * Retry-After wins when it asks for longer.
 */
export const retryDelay = (attempt: number, retryAfterMs?: number, random: () => number = Math.random): number => {
  const exponential = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempt - 1))
  const jittered = exponential * (0.5 + random() * 0.5)
  return retryAfterMs !== undefined && retryAfterMs > jittered ? retryAfterMs : jittered
}

/** The longest Retry-After an adapter reports (ms): a server asking for an hour is capped to a minute. */
export const MAX_RETRY_AFTER_MS = 60_000

/**
 * A Retry-After header in ms, capped at MAX_RETRY_AFTER_MS: a number of seconds,
 * or an HTTP date read against `now` (the server's clock when known). Undefined
 * without a header or for garbage. The one rule both adapters read it by.
 */
export const retryAfterMsOf = (header: string | null | undefined, now: number): number | undefined => {
  const value = header?.trim() ?? ''
  const waitMs = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1_000 : Date.parse(value) - now
  return isNaN(waitMs) ? undefined : Math.min(MAX_RETRY_AFTER_MS, Math.max(0, Math.ceil(waitMs)))
}
