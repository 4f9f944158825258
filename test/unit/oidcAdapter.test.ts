// The OIDC adapter's sign-in against a real oidc-provider on 127.0.0.1: the
// authorization request, and the resources it answers from the provider's
// token response. Time is a virtual clock the provider's clock follows (the
// provider runs in a child process with its own Date).
import '../oidc/realm'
import { describe, expect, it } from 'vitest'
import { createDeadlineTimeline } from '../../src/core/deadline'
import { activeSession, currentPath, landOn, REDIRECT_URI, signInThroughProvider } from '../oidc/adapterHarness'
import { useTestProvider } from '../oidc/testProvider'

const t = useTestProvider()

describe('given a sign-in through the provider', () => {
  it('sends the browser to the authorization endpoint with PKCE S256, state and nonce, keeping only the transient state', async () => {
    const oidc = t.adapter()
    await oidc.signInWithRedirect({ returnTo: '/home' })
    const url = new URL(t.navigation.last().url)
    expect(`${url.origin}${url.pathname}`).toBe(`${t.provider.issuer}/auth`)
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: t.provider.clientId,
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
    const oidc = t.adapter()
    const { data: client, serverNow } = await signInThroughProvider(oidc, t.navigation, t.browser, { login: 'ada.lovelace' })
    const session = activeSession(client)
    expect(currentPath()).toBe('/home')
    expect(serverNow).toBe(t.clock.now())
    expect(session).toMatchObject({
      userId: 'ada.lovelace',
      status: 'active',
      lastActiveAt: t.clock.now(),
      publicUserData: { firstName: 'Ada', lastName: 'Lovelace', identifier: 'ada.lovelace@example.test', imageUrl: null },
      user: { id: 'ada.lovelace', firstName: 'Ada', organizationMemberships: [] },
    })
    expect((await t.provider.stats()).authorizationCodeGrants).toBe(1)
    // Only the test's own keys may remain, never the pending state or a token.
    expect(Object.keys(sessionStorage)).toEqual([])
    expect(JSON.stringify({ ...localStorage })).not.toMatch(/ey[\w-]{10,}\./)
  })

  it('without refresh_expires_in takes the inactivity option (default 30 minutes) as the deadline and policy', async () => {
    const { data: client } = await signInThroughProvider(t.adapter(), t.navigation, t.browser)
    expect(client.policy).toEqual({ inactivityTimeoutMs: 30 * 60_000, maxLifetimeMs: null })
    expect(activeSession(client).expireAt).toBe(t.clock.now() + 30 * 60_000)
    expect(activeSession(client).abandonAt).toBeNull()
    // oidc-provider answers expires_in: 60 for access tokens here.
    expect(client.tokenLifetimeMs).toBe(60_000)
  })

  // Keycloak's token answers carry refresh_expires_in: add it to the real provider's answers on the way.
  const withRefreshExpiry = (seconds: number) => async (input: string | URL | Request, init?: RequestInit) => {
    const response = await fetch(input, init)
    if (!String(input instanceof Request ? input.url : input).endsWith('/token') || !response.ok) return response
    const body = { ...(await response.json()), refresh_expires_in: seconds }
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } })
  }

  it('with refresh_expires_in (as Keycloak sends) shorter than the option takes it as the inactivity timeout and caps expireAt by it', async () => {
    const { data: client } = await signInThroughProvider(t.adapter({ fetch: withRefreshExpiry(600), inactivityTimeout: 30 * 60_000 }), t.navigation, t.browser)
    expect(client.policy.inactivityTimeoutMs).toBe(600_000)
    expect(activeSession(client).expireAt).toBe(t.clock.now() + 600_000)
  })

  it('with refresh_expires_in longer than the option the option wins: the stricter timeout applies, also after a refresh', async () => {
    const oidc = t.adapter({ fetch: withRefreshExpiry(1_800), inactivityTimeout: 5 * 60_000 })
    const { data: client } = await signInThroughProvider(oidc, t.navigation, t.browser)
    expect(client.policy.inactivityTimeoutMs).toBe(5 * 60_000)
    expect(activeSession(client).expireAt).toBe(t.clock.now() + 5 * 60_000)
    const { data: touched } = await oidc.touchSession(activeSession(client).id)
    expect(touched.expireAt).toBe(t.clock.now() + 5 * 60_000)
  })

  it('with inactivityTimeout left out, a longer refresh_expires_in (Keycloak SSO Session Idle 8 h) applies, not the default 30 minutes', async () => {
    const oidc = t.adapter({ fetch: withRefreshExpiry(8 * 3_600) })
    const { data: client } = await signInThroughProvider(oidc, t.navigation, t.browser)
    expect(client.policy.inactivityTimeoutMs).toBe(8 * 3_600_000)
    expect(activeSession(client).expireAt).toBe(t.clock.now() + 8 * 3_600_000)
    const { data: touched } = await oidc.touchSession(activeSession(client).id)
    expect(touched.expireAt).toBe(t.clock.now() + 8 * 3_600_000)
  })

  it('with inactivityTimeout left out, a shorter refresh_expires_in applies too', async () => {
    const { data: client } = await signInThroughProvider(t.adapter({ fetch: withRefreshExpiry(600) }), t.navigation, t.browser)
    expect(client.policy.inactivityTimeoutMs).toBe(600_000)
  })

  // What the real provider's token answers carry, plus the lifetimes Keycloak or Entra ID would add, read at each answer.
  const withLifetimes = (extra: () => Record<string, number>) => async (input: string | URL | Request, init?: RequestInit) => {
    const response = await fetch(input, init)
    if (!String(input instanceof Request ? input.url : input).endsWith('/token') || !response.ok) return response
    const body = { ...(await response.json()), ...extra() }
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } })
  }
  const deadlineOf = (session: { expireAt: number | null; abandonAt: number | null }) =>
    createDeadlineTimeline({ idleTimeout: null, warnBefore: 60_000 }, t.clock.now()).derive(session, t.clock.now()).deadline

  it("Keycloak's SSO Session Max (refresh_expires_in shrinking below the idle timeout) is a fixed end: max-lifetime, not a renewable inactivity deadline", async () => {
    let refreshExpiresIn = 1_800
    const oidc = t.adapter({ fetch: withLifetimes(() => ({ refresh_expires_in: refreshExpiresIn })) })
    const session = activeSession((await signInThroughProvider(oidc, t.navigation, t.browser)).data)
    expect(deadlineOf(session)).toMatchObject({ reason: 'inactivity', renewable: true })
    // 45 s before SSO Session Max, Keycloak answers a refresh with what is left of it.
    refreshExpiresIn = 45
    const { data: touched } = await oidc.touchSession(session.id)
    expect(touched.abandonAt).toBe(t.clock.now() + 45_000)
    expect(deadlineOf(touched)).toEqual({ at: t.clock.now() + 45_000, reason: 'max-lifetime', renewable: false })
    // The idle timeout itself stays the provider's 30 minutes.
    expect((await oidc.getClient()).data.policy.inactivityTimeoutMs).toBe(1_800_000)
  })

  it("Entra ID's refresh_token_expires_in (an SPA's fixed 24 h) is the session's fixed end, and never moves with activity", async () => {
    const signedInAt = t.clock.now()
    const oidc = t.adapter({ fetch: withLifetimes(() => ({ refresh_token_expires_in: 86_400 - Math.round((t.clock.now() - signedInAt) / 1_000) })) })
    const session = activeSession((await signInThroughProvider(oidc, t.navigation, t.browser)).data)
    expect(session.abandonAt).toBe(signedInAt + 86_400_000)
    expect(session.expireAt).toBe(signedInAt + 30 * 60_000)
    await t.advance(60_000)
    const { data: touched } = await oidc.touchSession(session.id)
    expect(touched.abandonAt).toBe(signedInAt + 86_400_000)
    expect(touched.expireAt).toBe(t.clock.now() + 30 * 60_000)
  })

  it("with the provider's clock 10 minutes ahead, abandonAt is still maxLifetime after the sign-in (auth_time read against iat)", async () => {
    await t.provider.advance(10 * 60_000)
    const signedInAt = t.clock.now()
    const { data: client } = await signInThroughProvider(t.adapter({ maxLifetime: 30 * 60_000 }), t.navigation, t.browser)
    const { abandonAt } = activeSession(client)
    expect(abandonAt).toBeGreaterThan(signedInAt + 30 * 60_000 - 2_000)
    expect(abandonAt).toBeLessThanOrEqual(signedInAt + 30 * 60_000)
  })

  it("with this device's clock 2 minutes ahead of the provider's (past the ID token's 60 s lifetime + 30 s) the sign-in still completes", async () => {
    // Only the app's clock moves: the provider's ID token then reads as issued two minutes ago.
    t.clock.advance(2 * 60_000)
    const { data: client } = await signInThroughProvider(t.adapter(), t.navigation, t.browser)
    expect(activeSession(client)).toMatchObject({ userId: 'ada.lovelace', status: 'active' })
  })

  it('with maxLifetime asks for max_age and sets abandonAt from auth_time', async () => {
    const signedInAt = t.clock.now()
    const oidc = t.adapter({ maxLifetime: 15 * 60_000 })
    const { data: client } = await signInThroughProvider(oidc, t.navigation, t.browser)
    expect(new URL(t.navigation.last().url).searchParams.get('max_age')).toBe('900')
    const { abandonAt, expireAt } = activeSession(client)
    // auth_time has whole seconds: within one second of the sign-in.
    expect(abandonAt).toBeGreaterThan(signedInAt + 15 * 60_000 - 2_000)
    expect(abandonAt).toBeLessThanOrEqual(signedInAt + 15 * 60_000)
    expect(client.policy).toEqual({ inactivityTimeoutMs: 30 * 60_000, maxLifetimeMs: 15 * 60_000 })
    // 30 minutes of inactivity would outlast the 15-minute maximum: expireAt never passes abandonAt.
    expect(expireAt).toBe(abandonAt)
  })

  it('a reload (a new adapter in this tab) holds nothing: the tokens lived in the old one\'s memory only', async () => {
    const oidc = t.adapter()
    await signInThroughProvider(oidc, t.navigation, t.browser)
    // A fresh adapter (a reload of this tab) holds nothing: tokens were in the old one's memory only.
    const reloaded = t.adapter()
    expect((await reloaded.getClient()).data.sessions).toEqual([])
  })

  it('a sign-in answer that lands while the provider is down fails with network_error and completes when the client retries getClient', async () => {
    await t.adapter().signInWithRedirect({ returnTo: '/home' })
    landOn(await t.browser.signIn(t.navigation.last().url, 'ada.lovelace'))
    // The page loads at the callback (a new adapter) while the provider is unreachable.
    const loaded = t.adapter()
    await t.provider.setDown(true)
    await expect(loaded.getClient()).rejects.toMatchObject({ code: 'network_error' })
    // The code left the address bar and the verifier left storage all the same: only memory keeps them.
    expect(currentPath()).toBe('/home')
    expect(Object.keys(sessionStorage)).toEqual([])
    await t.provider.setDown(false)
    expect(activeSession((await loaded.getClient()).data).userId).toBe('ada.lovelace')
  })

  it('adds authorizationParams (an Auth0 audience, a login hint) to the sign-in and the silent sign-in, and the provider reads them', async () => {
    const authorizationParams = { audience: 'https://api.example.test', login_hint: 'grace.hopper' }
    const oidc = t.adapter({ authorizationParams })
    await oidc.signInWithRedirect({ returnTo: '/home' })
    const url = new URL(t.navigation.last().url)
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ ...authorizationParams, client_id: t.provider.clientId, response_type: 'code' })
    // The provider took the request and read the hint: its login form is filled in with it.
    const login = await t.browser.open(url.href)
    expect(login.body).toMatch(/name="login"[^>]*value="grace\.hopper"/)
    landOn(await t.browser.signIn(url.href, 'grace.hopper'))
    expect(activeSession((await oidc.getClient()).data).userId).toBe('grace.hopper')

    // A tab opened later signs in silently with the same parameters.
    sessionStorage.clear()
    landOn('/')
    const silentTab = t.adapter({ authorizationParams, silentSignIn: true })
    const loading = silentTab.getClient()
    await expect.poll(() => t.navigation.departures.length).toBe(2)
    const silent = new URL(t.navigation.last().url)
    expect(Object.fromEntries(silent.searchParams)).toMatchObject({ ...authorizationParams, prompt: 'none' })
    t.clock.advance(10_000)
    await loading
  })
})
