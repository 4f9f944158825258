import type { SessionKitErrorCode } from '../src/core/errors'

/** A definite error answer: HTTP status plus one `{ code, message, meta? }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: SessionKitErrorCode,
    message: string,
    readonly meta?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message)
  }
}

/** Headers every answer carries: nothing here may be cached by a browser or proxy. */
export const BASE_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
}

export function jsonResponse(status: number, body: unknown, headers?: Record<string, string>): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...BASE_HEADERS, 'content-type': 'application/json; charset=utf-8', ...headers },
  })
}

export function dataResponse(data: unknown, serverNow: number, status = 200): Response {
  return jsonResponse(status, { data, serverNow })
}

export function errorResponse(error: HttpError, serverNow: number): Response {
  const entry: Record<string, unknown> = { code: error.code, message: error.message }
  if (error.meta) entry.meta = error.meta
  return jsonResponse(error.status, { errors: [entry], serverNow }, error.headers)
}

export const badRequest = (message: string) => new HttpError(400, 'invalid_request', message)

const MAX_BODY_BYTES = 16 * 1024

const tooLarge = () => new HttpError(413, 'invalid_request', 'The request body is too large: send at most 16 KB of JSON.')

/**
 * The body as text, read in bytes and given up just past the limit: on a
 * runtime with no Node bridge in front (Deno, Bun, a worker), nothing else
 * stops a peer from streaming a body without end.
 */
async function readLimitedText(request: Request): Promise<string> {
  const declared = request.headers.get('content-length')
  if (declared !== null && Number(declared) > MAX_BODY_BYTES) throw tooLarge()
  if (request.body === null) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > MAX_BODY_BYTES) {
      // The rest is never wanted; a failure to cancel changes nothing for this answer.
      reader.cancel().catch(() => {})
      throw tooLarge()
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return new TextDecoder().decode(bytes)
}

/** Parses a JSON object body; an empty body is `{}`. Over 16 KB is a 413; anything else not a JSON object is a 400. */
export async function readJsonBody(request: Request): Promise<Record<string, unknown>> {
  const text = await readLimitedText(request)
  if (text.trim() === '') return {}
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw badRequest('The request body is not valid JSON.')
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('The request body must be a JSON object.')
  }
  return body as Record<string, unknown>
}

/** A required string field of at most `max` characters. */
export function stringField(body: Record<string, unknown>, name: string, max = 1024): string {
  const value = body[name]
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw badRequest(`"${name}" must be a non-empty string of at most ${max} characters.`)
  }
  return value
}

/** An optional organization id: absent = `undefined`, explicit `null` = no organization. */
export function organizationField(body: Record<string, unknown>): string | null | undefined {
  const value = body.organizationId
  if (value === undefined || value === null) return value
  if (typeof value !== 'string' || value.length === 0 || value.length > 128) {
    throw badRequest('"organizationId" must be an organization id, null, or left out.')
  }
  return value
}
