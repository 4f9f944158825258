import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { SessionKitError, isSessionKitError } from '../../src/core/errors'
import { decodeJwt } from '../../src/core/jwt'
import type { TokenResource } from '../../src/core/adapter'
import { TokenCache } from '../../src/core/tokenCache'
import type { TokenKey } from '../../src/core/tokenKey'
import { createVirtualClock, type VirtualClock } from '../../src/core/virtualClock'

const LIFETIME_S = 60
const SESS_1: TokenKey = { sessionId: 'sess_1', template: null, organizationId: null }
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const jwtWith = (claims: Record<string, unknown>) => `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}.c2ln`

interface TokenRequest {
  sessionId: string
  key: TokenKey
  /** Answers with a fresh token minted now (server time); `claims` override its claims. */
  mint(claims?: Record<string, unknown>): void
  answer(jwt: string): void
  fail(error: unknown): void
}

/** A fake token endpoint on a server whose clock runs `skewMs` ahead; answers at once unless `manual`. */
function setup({ skewMs = 30_000, manual = false } = {}) {
  const clock = createVirtualClock()
  const serverNow = () => clock.now() + skewMs
  const requests: TokenRequest[] = []
  let serial = 0
  const fetchToken = vi.fn(
    (key: TokenKey) =>
      new Promise<TokenResource>((settle, reject) => {
        const resolve = (jwt: string) => settle({ jwt })
        const { sessionId } = key
        const request: TokenRequest = {
          sessionId,
          key,
          mint(claims = {}) {
            const iat = Math.floor(serverNow() / 1000)
            resolve(jwtWith({ sid: sessionId, sub: 'user_1', iat, exp: iat + LIFETIME_S, serial: ++serial, ...claims }))
          },
          answer: resolve,
          fail: reject,
        }
        requests.push(request)
        if (!manual) request.mint()
      }),
  )
  const onBackgroundError = vi.fn()
  const cache = new TokenCache({ clock, serverNow, fetchToken, onBackgroundError })
  /** `getToken`'s view: which token (template, organization) and how (leeway, skipCache). */
  const get = (
    sessionId = 'sess_1',
    { template = null, organizationId = null, ...options }: { template?: string | null; organizationId?: string | null } & Partial<Parameters<TokenCache['get']>[1]> = {},
  ) => cache.get({ sessionId, template, organizationId }, { leewayInSeconds: 10, ...options })
  return { clock, serverNow, requests, fetchToken, onBackgroundError, cache, get }
}

const serialOf = (jwt: string) => decodeJwt(jwt).serial
const rejection = async (promise: Promise<unknown>) => promise.then(() => expect.fail('expected a rejection'), (e) => e)

afterEach(() => {
  vi.restoreAllMocks()
  vi.unstubAllEnvs()
})

describe('TokenCache', () => {
  describe('serving from the cache', () => {
    it('serves the cached token while it has more than the leeway left, and fetches at exactly the leeway', async () => {
      const { clock, fetchToken, get } = setup()
      const start = clock.now()
      const first = await get()
      // The token expires 60 s after it was minted; with 10 s leeway it is served for 50 s.
      clock.set(start + 50_000 - 1)
      expect(await get()).toBe(first)
      clock.set(start + 50_000)
      const second = await get()
      expect(second).not.toBe(first)
      expect(fetchToken).toHaveBeenCalledTimes(2)
    })

    it('compares expiry with the server clock, not the client clock', async () => {
      // The server runs 30 s ahead: a token minted "now" expires 60 s from now on either clock.
      const { clock, fetchToken, get } = setup({ skewMs: 30_000 })
      const start = clock.now()
      await get()
      clock.set(start + 45_000)
      await get()
      expect(fetchToken).toHaveBeenCalledTimes(1)
    })

    it('fetches a new token with skipCache even when the cached one is fresh, and serves it afterwards', async () => {
      const { fetchToken, get } = setup()
      const first = await get()
      const forced = await get('sess_1', { skipCache: true })
      expect(forced).not.toBe(first)
      expect(await get()).toBe(forced)
      expect(fetchToken).toHaveBeenCalledTimes(2)
    })

    it('keeps tokens apart by session, template and organization', async () => {
      const { fetchToken, get } = setup()
      const tokens = [
        await get('sess_1'),
        await get('sess_2'),
        await get('sess_1', { template: 'hasura' }),
        await get('sess_1', { organizationId: 'org_1' }),
        await get('sess_1', { template: 'hasura', organizationId: 'org_1' }),
      ]
      expect(new Set(tokens).size).toBe(5)
      // Each fetch is also told how it was asked for (leeway, skipCache).
      const asked = expect.objectContaining({ leewayInSeconds: 10, skipCache: undefined })
      expect(fetchToken.mock.calls).toEqual([
        [{ sessionId: 'sess_1', template: null, organizationId: null }, asked],
        [{ sessionId: 'sess_2', template: null, organizationId: null }, asked],
        [{ sessionId: 'sess_1', template: 'hasura', organizationId: null }, asked],
        [{ sessionId: 'sess_1', template: null, organizationId: 'org_1' }, asked],
        [{ sessionId: 'sess_1', template: 'hasura', organizationId: 'org_1' }, asked],
      ])
      // Asking again for each key is served from the cache.
      expect(await get('sess_1', { template: 'hasura', organizationId: 'org_1' })).toBe(tokens[4])
      expect(await get('sess_2')).toBe(tokens[1])
      expect(fetchToken).toHaveBeenCalledTimes(5)
    })

    it('shares one request between 100 concurrent calls for one key', async () => {
      const { requests, fetchToken, get } = setup({ manual: true })
      const calls = Array.from({ length: 100 }, () => get())
      requests[0]!.mint()
      const tokens = await Promise.all(calls)
      expect(fetchToken).toHaveBeenCalledTimes(1)
      expect(new Set(tokens).size).toBe(1)
    })

    it('does not let a skipCache call share a request that started before it', async () => {
      const { requests, get } = setup({ manual: true })
      const early = get()
      const forced = get('sess_1', { skipCache: true })
      const later = get()
      expect(requests).toHaveLength(2)
      requests[1]!.mint()
      requests[0]!.mint()
      expect(serialOf(await forced)).toBe(1)
      expect(serialOf(await later)).toBe(1)
      expect(serialOf(await early)).toBe(2)
      // The older request answered last but does not replace the newer token.
      expect(serialOf(await get())).toBe(1)
    })

    it('never lets a later call join a request a skipCache call distrusted, even after the newer one failed', async () => {
      const { requests, get } = setup({ manual: true })
      const early = get()
      const forced = get('sess_1', { skipCache: true })
      requests[1]!.fail(new SessionKitError('network_error', 'offline'))
      await expect(forced).rejects.toMatchObject({ code: 'network_error' })
      // The distrusted first request is still in flight: a plain call starts its own.
      const later = get()
      expect(requests).toHaveLength(3)
      requests[2]!.mint()
      requests[0]!.mint()
      expect(serialOf(await later)).toBe(1)
      expect(serialOf(await early)).toBe(2)
    })

    it('refuses an empty token shared by another tab and serves none', async () => {
      const { cache, serverNow, fetchToken, get } = setup()
      expect(() => cache.set(SESS_1, { jwt: '', expiresAt: serverNow() + 60_000 })).toThrow(expect.objectContaining({ code: 'invalid_token' }))
      expect(await get()).not.toBe('')
      expect(fetchToken).toHaveBeenCalledTimes(1)
    })

    it('uses a seeded token from another tab without fetching', async () => {
      const { cache, serverNow, fetchToken, get } = setup()
      const iat = Math.floor(serverNow() / 1000)
      const seeded = jwtWith({ sid: 'sess_1', sub: 'user_1', iat, exp: iat + 60 })
      cache.set(SESS_1, { jwt: seeded })
      expect(await get()).toBe(seeded)
      expect(fetchToken).not.toHaveBeenCalled()
      // A seed that expires sooner than the cached token is ignored.
      cache.set(SESS_1, { jwt: jwtWith({ sid: 'sess_1', sub: 'user_1', iat, exp: iat + 30 }) })
      expect(await get()).toBe(seeded)
      expect(() => cache.set(SESS_1, { jwt: jwtWith({ sid: 'sess_2', sub: 'u', iat, exp: iat + 60 }) })).toThrow(
        expect.objectContaining({ code: 'invalid_token' }),
      )
    })

    it('rejects a negative or non-numeric leeway as invalid_option', async () => {
      const { get } = setup()
      for (const leewayInSeconds of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect(isSessionKitError(await rejection(get('sess_1', { leewayInSeconds })), 'invalid_option')).toBe(true)
      }
    })
  })

  describe('failures', () => {
    it('does not cache a failed fetch: the caller rejects and the next call retries', async () => {
      const { requests, fetchToken, get } = setup({ manual: true })
      const failed = get()
      requests[0]!.fail(new SessionKitError('server_error', 'The server failed.'))
      expect(isSessionKitError(await rejection(failed), 'server_error')).toBe(true)
      const retry = get()
      expect(fetchToken).toHaveBeenCalledTimes(2)
      requests[1]!.mint()
      expect(serialOf(await retry)).toBe(1)
    })

    it('reports an error that is not a SessionKitError as a network error', async () => {
      const { requests, get } = setup({ manual: true })
      const failed = get()
      requests[0]!.fail(new TypeError('Failed to fetch'))
      expect(isSessionKitError(await rejection(failed), 'network_error')).toBe(true)
    })

    it('rejects a token for another session as invalid_token and caches nothing', async () => {
      const { requests, fetchToken, get } = setup({ manual: true })
      const call = get('sess_1')
      requests[0]!.mint({ sid: 'sess_2' })
      const error = (await rejection(call)) as SessionKitError
      expect(error.code).toBe('invalid_token')
      void get('sess_1')
      expect(fetchToken).toHaveBeenCalledTimes(2)
    })

    it('rejects a malformed token as invalid_token without quoting it, and caches nothing', async () => {
      const { requests, fetchToken, get } = setup({ manual: true })
      const call = get()
      requests[0]!.answer('not-a.jwt')
      const error = (await rejection(call)) as SessionKitError
      expect(error.code).toBe('invalid_token')
      expect(error.message).not.toContain('not-a.jwt')
      void get()
      expect(fetchToken).toHaveBeenCalledTimes(2)
    })
  })

  describe('clearing', () => {
    it('rejects callers of a fetch in flight during clear with signed_out, and never caches its token', async () => {
      const { requests, fetchToken, cache, get } = setup({ manual: true })
      const waiting = [get(), get()]
      cache.clear('sess_1')
      for (const call of waiting) expect(isSessionKitError(await rejection(call), 'signed_out')).toBe(true)
      requests[0]!.mint()
      const next = get()
      expect(fetchToken).toHaveBeenCalledTimes(2)
      requests[1]!.mint()
      expect(serialOf(await next)).toBe(2)
    })

    it('drops only the cleared session, and everything without an argument', async () => {
      const { fetchToken, cache, get } = setup()
      const one = await get('sess_1')
      const two = await get('sess_2')
      cache.clear('sess_1')
      expect(await get('sess_2')).toBe(two)
      expect(await get('sess_1')).not.toBe(one)
      expect(fetchToken).toHaveBeenCalledTimes(3)
      cache.clear()
      await get('sess_2')
      expect(fetchToken).toHaveBeenCalledTimes(4)
    })

    it('rejects a request superseded by skipCache too, and caches neither', async () => {
      const { requests, fetchToken, cache, get } = setup({ manual: true })
      const older = get()
      const newer = get('sess_1', { skipCache: true })
      cache.clear('sess_1')
      requests[0]!.mint()
      requests[1]!.mint()
      expect(isSessionKitError(await rejection(older), 'signed_out')).toBe(true)
      expect(isSessionKitError(await rejection(newer), 'signed_out')).toBe(true)
      void get()
      expect(fetchToken).toHaveBeenCalledTimes(3)
    })

    it('lets a fetch for another session finish when one session is cleared', async () => {
      const { requests, cache, get } = setup({ manual: true })
      const other = get('sess_2')
      cache.clear('sess_1')
      requests[0]!.mint()
      expect(decodeJwt(await other).sid).toBe('sess_2')
    })
  })

  describe('background refresh', () => {
    it('refreshes a token in use before it stops being served, so the next call does not wait', async () => {
      const { clock, requests, fetchToken, onBackgroundError, get } = setup({ manual: true })
      const first = get()
      requests[0]!.mint()
      await first
      await clock.advanceAsync(20_000)
      await get() // recent use
      await clock.advanceAsync(29_000) // 49 s: the token still has 11 s left
      expect(fetchToken).toHaveBeenCalledTimes(2)
      requests[1]!.mint()
      await clock.advanceAsync(2_000) // 51 s: the first token would no longer be served
      const next = get()
      expect(fetchToken).toHaveBeenCalledTimes(2)
      expect(serialOf(await next)).toBe(2)
      expect(onBackgroundError).not.toHaveBeenCalled()
    })

    it('makes no token request while an open app is idle', async () => {
      const { clock, fetchToken, get } = setup()
      await get()
      await get() // used once, then left alone: not even one refresh follows
      for (let lifetime = 0; lifetime < 10; lifetime++) await clock.advanceAsync(LIFETIME_S * 1000)
      expect(fetchToken).toHaveBeenCalledTimes(1)
      expect(clock.pendingTimers()).toBe(0)
    })

    it('refreshes in the background when a call comes after the refresh time passed while idle', async () => {
      const { clock, requests, fetchToken, get } = setup({ manual: true })
      const first = get()
      requests[0]!.mint()
      const token = await first
      await clock.advanceAsync(47_000) // refresh time passed, nobody used the token
      expect(fetchToken).toHaveBeenCalledTimes(1)
      expect(await get()).toBe(token) // still has 13 s: served at once...
      expect(fetchToken).toHaveBeenCalledTimes(2) // ...and replaced in the background
      requests[1]!.mint()
      await clock.advanceAsync(0)
      expect(serialOf(await get())).toBe(2)
    })

    it('reports refresh errors to onBackgroundError and keeps serving the cached token', async () => {
      const { clock, requests, onBackgroundError, get } = setup({ manual: true })
      const first = get()
      requests[0]!.mint()
      const token = await first
      await clock.advanceAsync(40_000)
      await get() // in use, shortly before the refresh time
      await clock.advanceAsync(6_000)
      const error = new SessionKitError('session_expired', 'The session expired.')
      requests[1]!.fail(error)
      await clock.advanceAsync(0)
      expect(onBackgroundError).toHaveBeenCalledWith(error)
      expect(await get()).toBe(token)
    })

    it('does not report a refresh abandoned by clear, nor cache its token', async () => {
      const { clock, requests, cache, fetchToken, onBackgroundError, get } = setup({ manual: true })
      const first = get()
      requests[0]!.mint()
      await first
      await clock.advanceAsync(40_000)
      await get() // in use, shortly before the refresh time
      await clock.advanceAsync(6_000)
      expect(fetchToken).toHaveBeenCalledTimes(2)
      cache.clear('sess_1')
      requests[1]!.mint()
      await clock.advanceAsync(0)
      expect(onBackgroundError).not.toHaveBeenCalled()
      void get()
      expect(fetchToken).toHaveBeenCalledTimes(3)
    })

    it('cancels every timer on destroy, and rejects calls afterwards', async () => {
      const { clock, requests, cache, get } = setup({ manual: true })
      const first = get('sess_1')
      const second = get('sess_2')
      requests[0]!.mint()
      await first
      // A skipCache call supersedes the shared request; destroy must still reach the older one.
      const inFlight = get('sess_2', { skipCache: true })
      expect(requests).toHaveLength(3)
      expect(clock.pendingTimers()).toBeGreaterThan(0)
      cache.destroy()
      expect(clock.pendingTimers()).toBe(0)
      expect(isSessionKitError(await rejection(second), 'client_destroyed')).toBe(true)
      expect(isSessionKitError(await rejection(inFlight), 'client_destroyed')).toBe(true)
      expect(isSessionKitError(await rejection(get()), 'client_destroyed')).toBe(true)
    })

    it('cancels the refresh timers of a cleared session', async () => {
      const { clock, cache, get } = setup()
      await get('sess_1')
      await get('sess_2')
      expect(clock.pendingTimers()).toBe(2)
      cache.clear('sess_1')
      expect(clock.pendingTimers()).toBe(1)
    })
  })

  describe('leeway at or above the token lifetime', () => {
    it('fetches on every call and warns once in development, without the token', async () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
      const { fetchToken, get } = setup()
      const tokens = [await get('sess_1', { leewayInSeconds: 60 }), await get('sess_1', { leewayInSeconds: 90 })]
      await get('sess_1', { leewayInSeconds: 60 })
      expect(fetchToken).toHaveBeenCalledTimes(3)
      expect(warn).toHaveBeenCalledTimes(1)
      const message = String(warn.mock.calls[0]![0])
      expect(message).toMatch(/^\[sessionkit\] .*does not lengthen a token's life/)
      for (const jwt of tokens) expect(message).not.toContain(jwt.split('.')[1])
    })

    it('does not warn for a leeway below the lifetime', async () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
      const { get } = setup()
      await get('sess_1', { leewayInSeconds: 59 })
      await get('sess_1', { leewayInSeconds: 59 })
      expect(warn).not.toHaveBeenCalled()
    })
  })
})

describe('TokenCache property', () => {
  type Command =
    | { kind: 'get'; session: 'A' | 'B'; skipCache: boolean; leeway: number }
    | { kind: 'clear'; session: 'A' | 'B' | null }
    | { kind: 'advance'; ms: number }
    | { kind: 'answer'; index: number; ok: boolean }

  const session = fc.constantFrom('A' as const, 'B' as const)
  const command: fc.Arbitrary<Command> = fc.oneof(
    fc.record({ kind: fc.constant('get' as const), session, skipCache: fc.boolean(), leeway: fc.constantFrom(0, 10, 30) }),
    fc.record({ kind: fc.constant('clear' as const), session: fc.option(session, { nil: null }) }),
    fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 70_000 }) }),
    fc.record({ kind: fc.constant('answer' as const), index: fc.nat(), ok: fc.boolean() }),
  )

  const settle = async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve()
  }

  it('never serves a token for a session after clear(session) unless it was fetched after that clear', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 40 }), async (commands) => {
        const clock: VirtualClock = createVirtualClock()
        // Every fetch and clear gets a place in one order; a token carries the place of its fetch.
        let order = 0
        const lastClear = { A: 0, B: 0 }
        const pending: { sessionId: string; fetchedAt: number; resolve: (token: TokenResource) => void; reject: (e: unknown) => void }[] = []
        const cache = new TokenCache({
          clock,
          serverNow: () => clock.now(),
          fetchToken: ({ sessionId }) =>
            new Promise((resolve, reject) => pending.push({ sessionId, fetchedAt: ++order, resolve, reject })),
          onBackgroundError: () => {},
        })
        const violations: string[] = []
        for (const step of commands) {
          if (step.kind === 'get') {
            cache.get({ sessionId: step.session, template: null, organizationId: null }, { leewayInSeconds: step.leeway, skipCache: step.skipCache }).then(
              (jwt) => {
                const claims = decodeJwt(jwt)
                if (claims.sid !== step.session || (claims.fetchedAt as number) < lastClear[step.session]) {
                  violations.push(`served ${claims.sid} token fetched at ${claims.fetchedAt} after clear at ${lastClear[step.session]}`)
                }
              },
              () => {},
            )
          } else if (step.kind === 'clear') {
            const at = ++order
            if (step.session === null || step.session === 'A') lastClear.A = at
            if (step.session === null || step.session === 'B') lastClear.B = at
            if (step.session === null) cache.clear()
            else cache.clear(step.session)
          } else if (step.kind === 'advance') {
            await clock.advanceAsync(step.ms)
          } else if (pending.length > 0) {
            const [request] = pending.splice(step.index % pending.length, 1)
            const iat = Math.floor(clock.now() / 1000)
            if (step.ok) {
              request!.resolve({ jwt: jwtWith({ sid: request!.sessionId, sub: 'u', iat, exp: iat + LIFETIME_S, fetchedAt: request!.fetchedAt }) })
            } else {
              request!.reject(new SessionKitError('server_error', 'The server failed.'))
            }
          }
          await settle()
        }
        cache.destroy()
        expect(violations).toEqual([])
      }),
      { numRuns: 1000 },
    )
  })
})
