/** Facts about a failed response that `HttpError` carries. */
export interface HttpErrorDetails {
  /** The response's status text. Default ''. */
  statusText?: string
  /** The URL that was requested (never carries a token). Default ''. */
  url?: string
  /** The first error code the server gave (`{ errors: [{ code }] }`), or null. Default null. */
  code?: string | null
  /** The response body: parsed JSON, else text, else null. Default null. */
  body?: unknown
  /** How long the server asked us to wait (Retry-After), in ms, at most a minute. Default undefined. */
  retryAfterMs?: number
}

/**
 * A response outside 200–299, thrown by `fetchJson` and `authFetch.json` so
 * that query functions fail the query. `status` drives `sessionRetry`: 401
 * and 403 are not retried, 408, 429 and 5xx are.
 */
export class HttpError extends Error {
  override readonly name = 'HttpError'
  /** The HTTP status, e.g. 404. */
  readonly status: number
  /** The response's status text, e.g. `Not Found`. */
  readonly statusText: string
  /** The URL that was requested. */
  readonly url: string
  /** The first error code the server gave, or null. */
  readonly code: string | null
  /** The response body: parsed JSON, else text, else null. */
  readonly body: unknown
  /** How long the server asked us to wait (Retry-After), in ms, if it did: `fetchJson` caps it at a minute. */
  readonly retryAfterMs: number | undefined

  constructor(status: number, message: string, details: HttpErrorDetails = {}) {
    super(message)
    this.status = status
    this.statusText = details.statusText ?? ''
    this.url = details.url ?? ''
    this.code = details.code ?? null
    this.body = details.body ?? null
    this.retryAfterMs = details.retryAfterMs
  }
}

/** True for an `HttpError`, optionally with one of the given statuses. */
export function isHttpError(error: unknown, ...statuses: number[]): error is HttpError {
  return error instanceof HttpError && (statuses.length === 0 || statuses.includes(error.status))
}
