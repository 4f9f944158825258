import { describe, expect, it, vi } from 'vitest'
import { SessionKitError } from '../../../src/core/errors'
import { HttpError, isRetryableError, sessionRetry, sessionRetryDelay } from '../../../src/react-query'

const http = (status: number, retryAfterMs?: number) =>
  new HttpError(status, `answered ${status}`, retryAfterMs === undefined ? {} : { retryAfterMs })
const sk = (code: ConstructorParameters<typeof SessionKitError>[0]) => new SessionKitError(code, code)

describe('sessionRetry', () => {
  it.each<[string, unknown]>([
    ['401', http(401)],
    ['403', http(403)],
    ['404', http(404)],
    ['422', http(422)],
    ['signed out', sk('signed_out')],
    ['unauthenticated', sk('unauthenticated')],
    ['session_expired', sk('session_expired')],
    ['forbidden', sk('forbidden')],
    ['invalid_response', sk('invalid_response')],
    ['an aborted request', new DOMException('aborted', 'AbortError')],
    ['an API client error with status 401', Object.assign(new Error('no'), { status: 401 })],
  ])('does not retry %s', (_, error) => {
    expect(isRetryableError(error)).toBe(false)
    expect(sessionRetry(0, error)).toBe(false)
  })

  it.each<[string, unknown]>([
    ['a network failure (TypeError from fetch)', new TypeError('Failed to fetch')],
    ['a timeout', new DOMException('timed out', 'TimeoutError')],
    ['500', http(500)],
    ['503', http(503)],
    ['408', http(408)],
    ['429', http(429)],
    ['network_error', sk('network_error')],
    ['server_error', sk('server_error')],
    ['rate_limited', sk('rate_limited')],
  ])('retries %s, three times', (_, error) => {
    expect(isRetryableError(error)).toBe(true)
    expect([0, 1, 2, 3].map((n) => sessionRetry(n, error))).toEqual([true, true, true, false])
  })
})

describe('sessionRetryDelay', () => {
  it('backs off exponentially with jitter, capped at 30 s', () => {
    const random = vi.spyOn(Math, 'random')
    random.mockReturnValue(0.999999)
    expect([0, 1, 2, 3, 10].map((n) => Math.round(sessionRetryDelay(n, http(503))))).toEqual([
      1_000, 2_000, 4_000, 8_000, 30_000,
    ])
    random.mockReturnValue(0)
    expect(sessionRetryDelay(0, http(503))).toBe(500)
    random.mockRestore()
  })

  it("waits as long as the server's Retry-After asks", () => {
    expect(sessionRetryDelay(0, http(429, 7_000))).toBe(7_000)
    expect(sessionRetryDelay(0, new SessionKitError('rate_limited', 'slow down', { retryAfterMs: 5_000 }))).toBe(5_000)
  })

  it('waits a minute at most, whatever an error says', () => {
    expect(sessionRetryDelay(0, http(503, 86_400_000))).toBe(60_000)
    expect(sessionRetryDelay(0, Object.assign(new Error('busy'), { status: 429, retryAfterMs: 2 ** 32 }))).toBe(60_000)
  })
})
