// Renewing an OIDC session against the real provider: a touch and a minting
// are refresh grants, only a touch is activity; revocation and the provider's
// idle timeout sign out, an outage or a hang does not.
import '../oidc/realm'
import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import type { OidcAdapterOptions } from '../../src/adapters/oidc'
import { LATE_ANSWER_MS } from '../../src/adapters/oidc/provider'
import { activeSession, ProviderBrowser, revokeAtProvider, signInThroughProvider, tokenWiretap } from '../oidc/adapterHarness'
import { useTestProvider } from '../oidc/testProvider'

const t = useTestProvider()

describe('given a signed-in session', () => {
  async function signedIn(overrides: Partial<OidcAdapterOptions> = {}) {
    const oidc = t.adapter(overrides)
    const session = activeSession((await signInThroughProvider(oidc, t.navigation, t.browser)).data)
    return { oidc, session }
  }

  it('touch is one refresh grant at the provider and moves lastActiveAt and expireAt', async () => {
    const { oidc, session } = await signedIn()
    const before = (await t.provider.stats()).refreshGrants
    // Less than the provider's refresh idle (120 s), which would end the session there.
    await t.advance(90_000)
    const { data: touched } = await oidc.touchSession(session.id)
    expect((await t.provider.stats()).refreshGrants).toBe(before + 1)
    expect(touched.id).toBe(session.id)
    expect(touched.lastActiveAt).toBe(t.clock.now())
    expect(touched.expireAt).toBe(t.clock.now() + 30 * 60_000)
    expect(touched.expireAt).toBeGreaterThan(session.expireAt!)
  })

  it('createToken answers the access token with expiresAt from expires_in, and does not move expireAt', async () => {
    const { oidc, session } = await signedIn()
    await t.advance(90_000)
    const { data: token } = await oidc.createToken(session.id, {})
    expect(token.jwt).toEqual(expect.any(String))
    expect(token.expiresAt).toBe(t.clock.now() + 60_000)
    const { data: client } = await oidc.getClient()
    expect(activeSession(client).expireAt).toBe(session.expireAt)
    expect(activeSession(client).lastActiveAt).toBe(session.lastActiveAt)
  })

  it('createToken serves a fresh access token it never handed out without a grant, and refreshes for one it did', async () => {
    const { oidc, session } = await signedIn()
    const before = (await t.provider.stats()).refreshGrants
    // The sign-in's own access token: no grant.
    const first = (await oidc.createToken(session.id, {})).data.jwt
    expect((await t.provider.stats()).refreshGrants).toBe(before)
    // Asked again, the client finds that one too old: a refresh grant and a new token.
    const second = (await oidc.createToken(session.id, {})).data.jwt
    expect(second).not.toBe(first)
    expect((await t.provider.stats()).refreshGrants).toBe(before + 1)
    // A touch's token is new: the next minting serves it without another grant.
    await oidc.touchSession(session.id)
    const third = (await oidc.createToken(session.id, {})).data.jwt
    expect(third).not.toBe(second)
    expect((await t.provider.stats()).refreshGrants).toBe(before + 2)
  })

  it('a template is not_supported, with a sentence that says to call without one', async () => {
    const { oidc, session } = await signedIn()
    await expect(oidc.createToken(session.id, { template: 'hasura' })).rejects.toMatchObject({
      code: 'not_supported',
      message: expect.stringMatching(/no token templates.*without a template/),
    })
  })

  it('an organization is not_supported, with a sentence, and no plain token is handed out in its place', async () => {
    const { oidc, session } = await signedIn()
    const before = await t.provider.stats()
    await expect(oidc.createToken(session.id, { organizationId: 'org_acme' })).rejects.toMatchObject({
      code: 'not_supported',
      message: expect.stringMatching(/no organizations \("org_acme"\).*without organizationId/),
    })
    expect((await t.provider.stats()).refreshGrants).toBe(before.refreshGrants)
    // No organization (null: the session's own) is a plain token, as without the option.
    await expect(oidc.createToken(session.id, { organizationId: null })).resolves.toMatchObject({ data: { jwt: expect.any(String) } })
  })

  it('after the refresh token is revoked, a touch is a definite sign-out (session_not_found), and the session is forgotten', async () => {
    const wiretap = tokenWiretap()
    const { oidc, session } = await signedIn({ fetch: wiretap.fetch })
    await revokeAtProvider(t.provider.issuer, t.provider.clientId, wiretap.latestRefreshToken())
    await expect(oidc.touchSession(session.id)).rejects.toMatchObject({
      code: 'session_not_found',
      message: expect.stringMatching(/revoked.*sign in again/),
    })
    expect((await oidc.getClient()).data.sessions).toEqual([])
    await expect(oidc.createToken(session.id, {})).rejects.toMatchObject({ code: 'session_not_found' })
  })

  it('an answer sessionkit cannot use is invalid_response, and the error, logged in full, shows none of its tokens', async () => {
    let mangle = false
    const handedOut: string[] = []
    const { oidc, session } = await signedIn({
      fetch: async (input, init) => {
        const response = await fetch(input, init)
        if (!mangle || !String(input).endsWith('/token')) return response
        // A token answer of a type oauth4webapi does not know: its error keeps the whole body.
        const body = await response.json()
        handedOut.push(body.access_token, body.refresh_token, body.id_token)
        return new Response(JSON.stringify({ ...body, token_type: 'mac' }), { status: 200, headers: { 'content-type': 'application/json' } })
      },
    })
    mangle = true
    const error = await oidc.touchSession(session.id).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'invalid_response', message: expect.stringMatching(/oauth4webapi does not support/) })
    const logged = inspect(error, { depth: 20 })
    expect(handedOut.filter(Boolean)).toHaveLength(3)
    for (const token of handedOut) expect(logged).not.toContain(token)
  })

  it('past the local deadline a touch answers session_expired without asking the provider', async () => {
    const { oidc, session } = await signedIn({ inactivityTimeout: 60_000 })
    const before = (await t.provider.stats()).refreshGrants
    await t.advance(61_000)
    await expect(oidc.touchSession(session.id)).rejects.toMatchObject({ code: 'session_expired', message: expect.stringMatching(/sign in again/) })
    expect((await t.provider.stats()).refreshGrants).toBe(before)
  })

  it('with the provider down, touch and createToken fail with network_error (or server_error on 503) and the session stays', async () => {
    const { oidc, session } = await signedIn()
    // The sign-in's token is handed out first, so the next minting must reach the provider.
    await oidc.createToken(session.id, {})
    await t.provider.setDown(true)
    await expect(oidc.touchSession(session.id)).rejects.toMatchObject({
      code: 'network_error',
      message: expect.stringMatching(/keeps the session and will retry/),
    })
    await t.provider.setDown(true, '503')
    await expect(oidc.createToken(session.id, {})).rejects.toMatchObject({ code: 'server_error', status: 503 })
    expect(activeSession((await oidc.getClient()).data).id).toBe(session.id)
    // A minute later the provider is back: the same refresh token still works.
    await t.advance(60_000)
    await t.provider.setDown(false)
    await expect(oidc.touchSession(session.id)).resolves.toMatchObject({ data: { id: session.id, status: 'active' } })
  })

  it('a provider that never answers fails with timeout after timeoutMs on the clock, and the session stays', async () => {
    let hang: (() => void) | null = null
    const { oidc, session } = await signedIn({
      timeoutMs: 5_000,
      fetch: (input, init) => (hang ? new Promise<Response>(() => hang?.()) : fetch(input, init)),
    })
    const asked = new Promise<void>((resolve) => (hang = resolve))
    const touching = oidc.touchSession(session.id)
    await asked
    t.clock.advance(5_000)
    await expect(touching).rejects.toMatchObject({ code: 'timeout', message: expect.stringMatching(/within 5000 ms.*keeps the session/) })
    expect(activeSession((await oidc.getClient()).data).id).toBe(session.id)
    // The refresh lock waits for a late answer only so long: then the request is given up and a retry can go.
    hang = null
    const retry = oidc.touchSession(session.id)
    await t.clock.advanceAsync(LATE_ANSWER_MS)
    await expect(retry).resolves.toMatchObject({ data: { id: session.id, status: 'active' } })
  })

  it("idle past the provider's own refresh idle (120 s) the provider refuses: a definite sign-out, not a retry", async () => {
    const { oidc, session } = await signedIn()
    await t.advance(121_000)
    await expect(oidc.touchSession(session.id)).rejects.toMatchObject({ code: 'session_not_found' })
  })

  it('a refresh answer later than timeoutMs is adopted: the caller gets timeout, the retry waits for it and sends the new token (no reuse)', async () => {
    let holding: Promise<void> | null = null
    let release = () => {}
    let handled = () => {}
    const providerHandled = new Promise<void>((resolve) => (handled = resolve))
    const { oidc, session } = await signedIn({
      timeoutMs: 5_000,
      fetch: async (input, init) => {
        // The provider handles the grant (rotating the refresh token) at once; its answer is slow to arrive.
        const response = await fetch(input, init)
        const wait = holding
        if (wait && String(input).endsWith('/token')) {
          holding = null
          handled()
          await wait
        }
        return response
      },
    })
    holding = new Promise<void>((resolve) => (release = resolve))
    const before = await t.provider.stats()
    const touching = oidc.touchSession(session.id)
    await providerHandled
    t.clock.advance(5_000)
    await expect(touching).rejects.toMatchObject({ code: 'timeout', message: expect.stringMatching(/keeps the session/) })
    const retry = oidc.touchSession(session.id)
    release()
    await expect(retry).resolves.toMatchObject({ data: { id: session.id, status: 'active' } })
    const after = await t.provider.stats()
    expect(after.reuseDetections).toBe(before.reuseDetections)
    expect(after.refreshGrants).toBe(before.refreshGrants + 2)
  })

  it('an answer that fails its checks after the provider rotated keeps the new refresh token: the next touch works', async () => {
    let mangle = false
    const { oidc, session } = await signedIn({
      fetch: async (input, init) => {
        const response = await fetch(input, init)
        if (!mangle || !String(input).endsWith('/token')) return response
        mangle = false
        const body = await response.json()
        return new Response(JSON.stringify({ ...body, token_type: 'mac' }), { status: 200, headers: { 'content-type': 'application/json' } })
      },
    })
    const before = await t.provider.stats()
    mangle = true
    await expect(oidc.touchSession(session.id)).rejects.toMatchObject({ code: 'invalid_response' })
    await expect(oidc.touchSession(session.id)).resolves.toMatchObject({ data: { id: session.id, status: 'active' } })
    expect((await t.provider.stats()).reuseDetections).toBe(before.reuseDetections)
  })

  it('a refreshed ID token naming another user ends the session cleanly: session_not_found, the new refresh token revoked', async () => {
    const idTokens: string[] = []
    await signInThroughProvider(t.adapter({ fetch: async (input, init) => {
      const response = await fetch(input, init)
      if (String(input).endsWith('/token')) idTokens.push((await response.clone().json()).id_token)
      return response
    } }), t.navigation, new ProviderBrowser(t.provider.issuer), { login: 'grace.hopper' })
    sessionStorage.clear()
    let swap = false
    const { oidc, session } = await signedIn({
      fetch: async (input, init) => {
        const response = await fetch(input, init)
        if (!swap || !String(input).endsWith('/token')) return response
        swap = false
        const body = await response.json()
        return new Response(JSON.stringify({ ...body, id_token: idTokens[0] }), { status: 200, headers: { 'content-type': 'application/json' } })
      },
    })
    const before = (await t.provider.stats()).revocations
    swap = true
    await expect(oidc.touchSession(session.id)).rejects.toMatchObject({ code: 'session_not_found', message: expect.stringMatching(/another user.*sign in again/) })
    expect((await oidc.getClient()).data.sessions).toEqual([])
    await expect.poll(async () => (await t.provider.stats()).revocations).toBe(before + 1)
  })

  it('a 429, 408 or 5xx answered with an HTML page is rate_limited (with Retry-After), timeout or server_error, and the session stays', async () => {
    let answer: Response | null = null
    const { oidc, session } = await signedIn({
      fetch: async (input, init) => (answer && String(input).endsWith('/token') ? answer : fetch(input, init)),
    })
    const html = (status: number, headers: Record<string, string> = {}) =>
      new Response('<html><body>Busy</body></html>', { status, headers: { 'content-type': 'text/html', ...headers } })
    answer = html(429, { 'retry-after': '5' })
    await expect(oidc.touchSession(session.id)).rejects.toMatchObject({ code: 'rate_limited', status: 429, retryAfterMs: 5_000 })
    answer = html(408)
    await expect(oidc.touchSession(session.id)).rejects.toMatchObject({ code: 'timeout', status: 408 })
    answer = html(502)
    await expect(oidc.touchSession(session.id)).rejects.toMatchObject({ code: 'server_error', status: 502 })
    answer = null
    await expect(oidc.touchSession(session.id)).resolves.toMatchObject({ data: { id: session.id, status: 'active' } })
  })

  it("a 429's Retry-After is capped at 60 s like the http adapter's, and a date is read on the adapter's clock", async () => {
    let answer: Response | null = null
    const { oidc, session } = await signedIn({
      fetch: async (input, init) => (answer && String(input).endsWith('/token') ? answer : fetch(input, init)),
    })
    const busy = (retryAfter: string) => new Response('<html>Busy</html>', { status: 429, headers: { 'content-type': 'text/html', 'retry-after': retryAfter } })
    // An hour would leave "Stay signed in" retrying for that hour.
    answer = busy('3600')
    await expect(oidc.touchSession(session.id)).rejects.toMatchObject({ code: 'rate_limited', retryAfterMs: 60_000 })
    // The virtual clock runs 90 s ahead of Date.now(): a date 20 s ahead on it is a 20 s wait, not 110 s.
    await t.advance(90_000)
    const at = Math.ceil((t.clock.now() + 20_000) / 1_000) * 1_000
    answer = busy(new Date(at).toUTCString())
    await expect(oidc.touchSession(session.id)).rejects.toMatchObject({ code: 'rate_limited', retryAfterMs: at - t.clock.now() })
    answer = null
    await expect(oidc.touchSession(session.id)).resolves.toMatchObject({ data: { id: session.id, status: 'active' } })
  })
})
