import { retryAfterMsOf } from '../core/backoff'
import { SessionKitError } from '../core/errors'
import { HttpError } from './httpError'

/** Anything shaped like `fetch`: the global one, `createAuthFetch(...)`, a test double. */
export type FetchLike<Init extends RequestInit = RequestInit> = (
  input: RequestInfo | URL,
  init?: Init,
) => Promise<Response>

/**
 * Calls `fetcher` and resolves to the parsed JSON body (undefined for an
 * empty body). A status outside 200–299 rejects with an `HttpError` carrying
 * `status` (and the server's error code, if it sent `{ errors: [{ code }] }`),
 * so a query function can return it as is. Sends `Accept: application/json`
 * unless the request sets its own.
 */
export async function fetchJson<T = unknown, Init extends RequestInit = RequestInit>(
  fetcher: FetchLike<Init>,
  input: RequestInfo | URL,
  init?: Init,
): Promise<T> {
  const headers = new Headers(init?.headers ?? (isRequest(input) ? input.headers : undefined))
  if (!headers.has('Accept')) headers.set('Accept', 'application/json')
  const response = await fetcher(input, { ...init, headers } as Init)
  return readJson<T>(response, urlOf(input))
}

/** The body of `response` as JSON, or an `HttpError` for a status outside 200–299. */
export async function readJson<T = unknown>(response: Response, url: string = response.url): Promise<T> {
  const where = withoutQuery(url) || 'The server'
  const text = await response.text()
  if (!response.ok) {
    const body = parseOrText(text)
    const first = firstServerError(body)
    const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`
    throw new HttpError(response.status, `${where} answered ${status}${first?.message ? `: ${first.message}` : '.'}`, {
      statusText: response.statusText,
      url,
      code: first?.code ?? null,
      body,
      // Capped at a minute, the adapters' rule: a day's wait would leave the query fetching (and overflow setTimeout).
      retryAfterMs: retryAfterMsOf(response.headers.get('Retry-After'), Date.now()),
    })
  }
  if (text.trim() === '') return undefined as T
  try {
    return JSON.parse(text) as T
  } catch (error) {
    throw new SessionKitError(
      'invalid_response',
      `${where} answered ${response.status} with a body that is not JSON: check the URL, or read the response with fetch instead.`,
      { status: response.status, cause: error },
    )
  }
}

function parseOrText(text: string): unknown {
  if (text === '') return null
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/** The sessionkit protocol's (and many APIs') error shape: `{ errors: [{ code, message }] }`. */
function firstServerError(body: unknown): { code: string | null; message: string | null } | null {
  if (body === null || typeof body !== 'object') return null
  const errors = (body as { errors?: unknown }).errors
  const first: unknown = Array.isArray(errors) ? errors[0] : null
  if (first === null || typeof first !== 'object') return null
  const { code, message } = first as { code?: unknown; message?: unknown }
  return { code: typeof code === 'string' ? code : null, message: typeof message === 'string' ? message : null }
}

export function isRequest(input: unknown): input is Request {
  return typeof Request !== 'undefined' && input instanceof Request
}

export function urlOf(input: RequestInfo | URL): string {
  if (typeof input === 'string') return input
  if (isRequest(input)) return input.url
  return input.href
}

/** Error messages name the path, never the query string (which may carry anything). */
function withoutQuery(url: string): string {
  return url.split(/[?#]/, 1)[0] ?? ''
}
