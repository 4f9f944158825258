import { afterEach, describe, expect, it } from 'vitest'
import { ADA, makeServer, type TestServer } from './helpers'

// The fetch-style handler on its own (Deno, Bun, a worker): no Node bridge in
// front caps the body, so the handler reads at most 16 KB of it itself.

const LIMIT = 16 * 1024
const KB = new Uint8Array(1024).fill('x'.charCodeAt(0))

let server: TestServer
afterEach(() => server.close())

/** A body the peer streams in 1 KB chunks, counting how many the server pulled. */
function streamedBody(chunks: number) {
  const progress = { pulled: 0, cancelled: false }
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (progress.pulled === chunks) return controller.close()
        progress.pulled++
        controller.enqueue(KB)
      },
      cancel() {
        progress.cancelled = true
      },
    },
    { highWaterMark: 0 }, // Nothing is pulled before the server asks for it.
  )
  return { progress, body }
}

function signInRequest(body: BodyInit, headers: Record<string, string> = {}) {
  return new Request('http://localhost/v1/client/sign_ins', {
    method: 'POST',
    headers: { 'x-sessionkit-client': '1', 'content-type': 'application/json', ...headers },
    body,
    duplex: 'half',
  } as RequestInit)
}

async function expectTooLarge(response: Response) {
  expect(response.status).toBe(413)
  const { errors } = await response.json()
  expect(errors).toEqual([{ code: 'invalid_request', message: expect.stringMatching(/16 KB/) }])
}

describe('request bodies through the fetch-style handler', () => {
  it('stops reading a streamed body just past 16 KB and answers 413 with the envelope', async () => {
    server = makeServer()
    const upload = streamedBody(1024) // 1 MB, if it were all read
    await expectTooLarge(await server.handler(signInRequest(upload.body)))
    expect(upload.progress.pulled).toBeLessThanOrEqual(LIMIT / 1024 + 2)
    expect(upload.progress.cancelled).toBe(true)
  })

  it('counts bytes, not characters: 6,000 euro signs are 18,000 bytes', async () => {
    server = makeServer()
    const body = JSON.stringify({ ...ADA, padding: '€'.repeat(6_000) })
    expect(body.length).toBeLessThan(LIMIT)
    await expectTooLarge(await server.handler(signInRequest(body)))
  })

  it('refuses a declared Content-Length over the limit without reading the body', async () => {
    server = makeServer()
    const upload = streamedBody(1)
    await expectTooLarge(await server.handler(signInRequest(upload.body, { 'content-length': String(LIMIT + 1) })))
    expect(upload.progress.pulled).toBe(0)
  })

  it('still reads a streamed body within the limit, multi-byte characters split across chunks included', async () => {
    server = makeServer()
    const bytes = new TextEncoder().encode(JSON.stringify({ ...ADA, note: 'Grüße €' }))
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        // One byte at a time: "ü" and "€" arrive in pieces.
        for (const byte of bytes) controller.enqueue(new Uint8Array([byte]))
        controller.close()
      },
    })
    const response = await server.handler(signInRequest(body))
    expect(response.status).toBe(200)
  })
})
