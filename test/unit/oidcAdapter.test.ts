// The OIDC adapter against a real oidc-provider on 127.0.0.1: sign-in, the
// resources it answers, touches and mintings as refresh grants, revocation
// and an outage, sign-out. Time is a virtual clock the provider's clock
// follows (the provider runs in a child process with its own Date).
import '../oidc/realm'
import { inspect } from 'node:util'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createOidcAdapter, type OidcAdapter, type OidcAdapterOptions } from '../../src/adapters/oidc'
import { createVirtualClock, type VirtualClock } from '../../src/core/virtualClock'
import { unusedPort } from '../oidc/forwarder'
import { startOidcProvider } from '../oidc/provider.mjs'
import type { OidcTestProvider } from '../oidc/provider.d.mts'
import {
  POST_LOGOUT_REDIRECT_URI,
  ProviderBrowser,
  REDIRECT_URI,
  activeSession,
  currentPath,
  landOn,
  recordNavigation,
  revokeAtProvider,
  signInThroughProvider,
  tokenWiretap,
} from '../oidc/adapterHarness'

let provider: OidcTestProvider
let clock: VirtualClock
let navigation: ReturnType<typeof recordNavigation>
let browser: ProviderBrowser

beforeAll(async () => {
  provider = await startOidcProvider({ redirectUris: [REDIRECT_URI], postLogoutRedirectUris: [POST_LOGOUT_REDIRECT_URI] })
})
afterAll(() => provider.stop())

beforeEach(async () => {
  // The adapter's clock starts at the provider's time: token times agree.
  clock = createVirtualClock(await provider.now())
  navigation = recordNavigation()
  browser = new ProviderBrowser(provider.issuer)
  sessionStorage.clear()
  localStorage.clear()
  landOn('/')
})
afterEach(() => provider.setDown(false))

function adapter(overrides: Partial<OidcAdapterOptions> = {}): OidcAdapter {
  return createOidcAdapter({
    issuer: provider.issuer,
    clientId: provider.clientId,
    redirectUri: REDIRECT_URI,
    postLogoutRedirectUri: POST_LOGOUT_REDIRECT_URI,
    clock,
    tabTransport: null,
    navigate: navigation.navigate,
    silentSignIn: false,
    ...overrides,
  })
}

/** Time passes for the app and the provider alike. */
async function advance(ms: number) {
  clock.advance(ms)
  await provider.advance(ms)
}

describe('given a sign-in through the provider', () => {
  it('sends the browser to the authorization endpoint with PKCE S256, state and nonce, keeping only the transient state', async () => {
    const oidc = adapter()
    await oidc.signInWithRedirect({ returnTo: '/home' })
    const url = new URL(navigation.last().url)
    expect(`${url.origin}${url.pathname}`).toBe(`${provider.issuer}/auth`)
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: provider.clientId,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'openid profile email offline_access',
      code_challenge_method: 'S256',
    })
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/)
    expect(url.searchParams.get('state')).toBeTruthy()
    expect(url.searchParams.get('nonce')).toBeTruthy()
    const stored = Object.keys(sessionStorage).map((k) => JSON.parse(sessionStorage.getItem(k)!))
    expect(stored).toHaveLength(1)
    expect(Object.keys(stored[0]).sort()).toEqual(['codeVerifier', 'nonce', 'returnTo', 'silent', 'state', 'v'])
  })

  it('answers a signed-in client from the ID token, cleans the URL to returnTo and keeps no token in storage', async () => {
    const oidc = adapter()
    const { data: client, serverNow } = await signInThroughProvider(oidc, navigation, browser, { login: 'ada.lovelace' })
    const session = activeSession(client)
    expect(currentPath()).toBe('/home')
    expect(serverNow).toBe(clock.now())
    expect(session).toMatchObject({
      userId: 'ada.lovelace',
      status: 'active',
      lastActiveAt: clock.now(),
      publicUserData: { firstName: 'Ada', lastName: 'Lovelace', identifier: 'ada.lovelace@example.test', imageUrl: null },
      user: { id: 'ada.lovelace', firstName: 'Ada', organizationMemberships: [] },
    })
    expect((await provider.stats()).authorizationCodeGrants).toBe(1)
    // Only the test's own keys may remain, never the pending state or a token.
    expect(Object.keys(sessionStorage)).toEqual([])
    expect(JSON.stringify({ ...localStorage })).not.toMatch(/ey[\w-]{10,}\./)
  })

  it('without refresh_expires_in takes the inactivity option (default 30 minutes) as the deadline and policy', async () => {
    const { data: client } = await signInThroughProvider(adapter(), navigation, browser)
    expect(client.policy).toEqual({ inactivityTimeoutMs: 30 * 60_000, maxLifetimeMs: null })
    expect(activeSession(client).expireAt).toBe(clock.now() + 30 * 60_000)
    expect(activeSession(client).abandonAt).toBeNull()
    // oidc-provider answers expires_in: 60 for access tokens here.
    expect(client.tokenLifetimeMs).toBe(60_000)
  })

  it('with refresh_expires_in (as Keycloak sends) takes it as the inactivity timeout and caps expireAt by it', async () => {
    // Keycloak's token answers carry refresh_expires_in: add it to the real provider's answers on the way.
    const withRefreshExpiry = (seconds: number) => async (input: string | URL | Request, init?: RequestInit) => {
      const response = await fetch(input, init)
      if (!String(input instanceof Request ? input.url : input).endsWith('/token') || !response.ok) return response
      const body = { ...(await response.json()), refresh_expires_in: seconds }
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } })
    }
    const { data: client } = await signInThroughProvider(adapter({ fetch: withRefreshExpiry(600), inactivityTimeout: 30 * 60_000 }), navigation, browser)
    expect(client.policy.inactivityTimeoutMs).toBe(600_000)
    expect(activeSession(client).expireAt).toBe(clock.now() + 600_000)
  })

  it('with maxLifetime asks for max_age and sets abandonAt from auth_time', async () => {
    const signedInAt = clock.now()
    const oidc = adapter({ maxLifetime: 15 * 60_000 })
    const { data: client } = await signInThroughProvider(oidc, navigation, browser)
    expect(new URL(navigation.last().url).searchParams.get('max_age')).toBe('900')
    const { abandonAt, expireAt } = activeSession(client)
    // auth_time has whole seconds: within one second of the sign-in.
    expect(abandonAt).toBeGreaterThan(signedInAt + 15 * 60_000 - 2_000)
    expect(abandonAt).toBeLessThanOrEqual(signedInAt + 15 * 60_000)
    expect(client.policy).toEqual({ inactivityTimeoutMs: 30 * 60_000, maxLifetimeMs: 15 * 60_000 })
    // 30 minutes of inactivity would outlast the 15-minute maximum: expireAt never passes abandonAt.
    expect(expireAt).toBe(abandonAt)
  })

  it('a reload (a new adapter in this tab) holds nothing: the tokens lived in the old one\'s memory only', async () => {
    const oidc = adapter()
    await signInThroughProvider(oidc, navigation, browser)
    // A fresh adapter (a reload of this tab) holds nothing: tokens were in the old one's memory only.
    const reloaded = adapter()
    expect((await reloaded.getClient()).data.sessions).toEqual([])
  })
})

describe('given a signed-in session', () => {
  async function signedIn(overrides: Partial<OidcAdapterOptions> = {}) {
    const oidc = adapter(overrides)
    const session = activeSession((await signInThroughProvider(oidc, navigation, browser)).data)
    return { oidc, session }
  }

  it('touch is one refresh grant at the provider and moves lastActiveAt and expireAt', async () => {
    const { oidc, session } = await signedIn()
    const before = (await provider.stats()).refreshGrants
    // Less than the provider's refresh idle (120 s), which would end the session there.
    await advance(90_000)
    const { data: touched } = await oidc.touchSession(session.id)
    expect((await provider.stats()).refreshGrants).toBe(before + 1)
    expect(touched.id).toBe(session.id)
    expect(touched.lastActiveAt).toBe(clock.now())
    expect(touched.expireAt).toBe(clock.now() + 30 * 60_000)
    expect(touched.expireAt).toBeGreaterThan(session.expireAt!)
  })

  it('createToken answers the access token with expiresAt from expires_in, and does not move expireAt', async () => {
    const { oidc, session } = await signedIn()
    await advance(90_000)
    const { data: token } = await oidc.createToken(session.id, {})
    expect(token.jwt).toEqual(expect.any(String))
    expect(token.expiresAt).toBe(clock.now() + 60_000)
    const { data: client } = await oidc.getClient()
    expect(activeSession(client).expireAt).toBe(session.expireAt)
    expect(activeSession(client).lastActiveAt).toBe(session.lastActiveAt)
  })

  it('createToken refreshes: each call answers a new access token from a refresh grant', async () => {
    const { oidc, session } = await signedIn()
    const before = (await provider.stats()).refreshGrants
    const first = (await oidc.createToken(session.id, {})).data.jwt
    const second = (await oidc.createToken(session.id, {})).data.jwt
    expect(second).not.toBe(first)
    expect((await provider.stats()).refreshGrants).toBe(before + 2)
  })

  it('a template is not_supported, with a sentence that says to call without one', async () => {
    const { oidc, session } = await signedIn()
    await expect(oidc.createToken(session.id, { template: 'hasura' })).rejects.toMatchObject({
      code: 'not_supported',
      message: expect.stringMatching(/no token templates.*without a template/),
    })
  })

  it('after the refresh token is revoked, a touch is a definite sign-out (session_not_found), and the session is forgotten', async () => {
    const wiretap = tokenWiretap()
    const { oidc, session } = await signedIn({ fetch: wiretap.fetch })
    await revokeAtProvider(provider.issuer, provider.clientId, wiretap.latestRefreshToken())
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
    const before = (await provider.stats()).refreshGrants
    await advance(61_000)
    await expect(oidc.touchSession(session.id)).rejects.toMatchObject({ code: 'session_expired', message: expect.stringMatching(/sign in again/) })
    expect((await provider.stats()).refreshGrants).toBe(before)
  })

  it('with the provider down, touch and createToken fail with network_error (or server_error on 503) and the session stays', async () => {
    const { oidc, session } = await signedIn()
    await provider.setDown(true)
    await expect(oidc.touchSession(session.id)).rejects.toMatchObject({
      code: 'network_error',
      message: expect.stringMatching(/keeps the session and will retry/),
    })
    await provider.setDown(true, '503')
    await expect(oidc.createToken(session.id, {})).rejects.toMatchObject({ code: 'server_error', status: 503 })
    expect(activeSession((await oidc.getClient()).data).id).toBe(session.id)
    // A minute later the provider is back: the same refresh token still works.
    await advance(60_000)
    await provider.setDown(false)
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
    clock.advance(5_000)
    await expect(touching).rejects.toMatchObject({ code: 'timeout', message: expect.stringMatching(/within 5000 ms.*keeps the session/) })
    expect(activeSession((await oidc.getClient()).data).id).toBe(session.id)
  })

  it("idle past the provider's own refresh idle (120 s) the provider refuses: a definite sign-out, not a retry", async () => {
    const { oidc, session } = await signedIn()
    await advance(121_000)
    await expect(oidc.touchSession(session.id)).rejects.toMatchObject({ code: 'session_not_found' })
  })

  it('endSession revokes the refresh token (RFC 7009) and stays on the page when called at a deadline', async () => {
    const { oidc, session } = await signedIn()
    const before = await provider.stats()
    const departuresBefore = navigation.departures.length
    const { data: client } = await oidc.endSession(session.id, { reason: 'inactivity' })
    expect(client.sessions).toEqual([])
    const after = await provider.stats()
    expect(after.revocations).toBe(before.revocations + 1)
    expect(navigation.departures.length).toBe(departuresBefore)
    // The grant is gone at the provider: the old refresh token no longer works anywhere.
    expect(after.grantRevocations).toBe(before.grantRevocations + 1)
  })

  it('endSession for the user revokes, then leaves for RP-initiated logout, with no token in the URL', async () => {
    const { oidc, session } = await signedIn()
    await oidc.endSession(session.id, { reason: 'signed-out' })
    const logout = new URL(navigation.last().url)
    expect(`${logout.origin}${logout.pathname}`).toBe(`${provider.issuer}/session/end`)
    expect(Object.fromEntries(logout.searchParams)).toEqual({ client_id: provider.clientId, post_logout_redirect_uri: POST_LOGOUT_REDIRECT_URI })
    // The browser follows it: the provider ends its own session and returns to the app.
    const before = (await provider.stats()).endSessions
    const landing = await browser.logout(logout.href)
    expect(landing.redirectedTo).toBe(POST_LOGOUT_REDIRECT_URI)
    expect((await provider.stats()).endSessions).toBe(before + 1)
    expect(browser.hasProviderSession).toBe(false)
  })

  it('with logoutIdTokenHint the logout URL carries the ID token as id_token_hint (Okta needs it)', async () => {
    const { oidc, session } = await signedIn({ logoutIdTokenHint: true })
    await oidc.endSession(session.id, { reason: 'signed-out' })
    const hint = new URL(navigation.last().url).searchParams.get('id_token_hint')
    expect(hint?.split('.')).toHaveLength(3)
    expect(JSON.parse(atob(hint!.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')))).toMatchObject({ sub: 'ada.lovelace', aud: provider.clientId })
    expect((await browser.logout(navigation.last().url)).redirectedTo).toBe(POST_LOGOUT_REDIRECT_URI)
  })

  it('without postLogoutRedirectUri a sign-out only revokes and stays on the page', async () => {
    const { oidc, session } = await signedIn({ postLogoutRedirectUri: undefined })
    const departures = navigation.departures.length
    const before = (await provider.stats()).revocations
    await oidc.endSession(session.id, { reason: 'signed-out' })
    expect(navigation.departures.length).toBe(departures)
    expect((await provider.stats()).revocations).toBe(before + 1)
  })

  it('after a sign-out this tab never signs in silently, and the next sign-in asks for the password again (prompt=login)', async () => {
    const { oidc, session } = await signedIn()
    await oidc.endSession(session.id, { reason: 'idle' })
    const departures = navigation.departures.length
    const reloaded = adapter({ silentSignIn: true })
    expect((await reloaded.getClient()).data.sessions).toEqual([])
    expect(navigation.departures.length).toBe(departures)
    await reloaded.signInWithRedirect({ returnTo: '/' })
    expect(new URL(navigation.last().url).searchParams.get('prompt')).toBe('login')
  })
})

describe('given silent sign-in', () => {
  it('a new tab with the provider session alive signs in with prompt=none, without a form', async () => {
    await signInThroughProvider(adapter(), navigation, browser)
    sessionStorage.clear()
    landOn('/reports?year=2026')
    const fresh = adapter({ silentSignIn: true })
    const loading = fresh.getClient()
    await expect.poll(() => navigation.departures.length).toBeGreaterThan(1)
    const silent = new URL(navigation.last().url)
    expect(silent.searchParams.get('prompt')).toBe('none')
    const landing = await browser.open(silent.href)
    expect(landing.redirectedTo).toMatch(/^http:\/\/localhost:3000\/callback\?code=/)
    landOn(landing.redirectedTo!)
    const { data } = await adapter({ silentSignIn: true }).getClient()
    expect(activeSession(data).userId).toBe('ada.lovelace')
    expect(currentPath()).toBe('/reports?year=2026')
    clock.advance(10_000)
    await loading
  })

  it('a silent sign-in that cannot start (provider unreachable) answers signed out; "Sign in" reports the error', async () => {
    const unreachable = adapter({ silentSignIn: true, issuer: `http://127.0.0.1:${await unusedPort()}` })
    await expect(unreachable.getClient()).resolves.toMatchObject({ data: { sessions: [] } })
    expect(navigation.departures).toEqual([])
    await expect(unreachable.signInWithRedirect({})).rejects.toMatchObject({ code: 'network_error' })
  })

  it('login_required comes back signed out, and the tab does not try again (no loop)', async () => {
    const fresh = adapter({ silentSignIn: true })
    const loading = fresh.getClient()
    await expect.poll(() => navigation.departures.length).toBe(1)
    const landing = await browser.open(navigation.last().url)
    expect(landing.redirectedTo).toContain('error=login_required')
    landOn(landing.redirectedTo!)
    expect((await adapter({ silentSignIn: true }).getClient()).data.sessions).toEqual([])
    expect((await adapter({ silentSignIn: true }).getClient()).data.sessions).toEqual([])
    expect(navigation.departures).toHaveLength(1)
    clock.advance(10_000)
    await expect(loading).resolves.toMatchObject({ data: { sessions: [] } })
  })
})
