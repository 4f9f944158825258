// Ending an OIDC session against the real provider (revocation, RP-initiated
// logout only when the user asked), and silent sign-in (prompt=none) that
// never loops and never slips back in after a sign-out.
import '../oidc/realm'
import { describe, expect, it, vi } from 'vitest'
import type { OidcAdapterOptions } from '../../src/adapters/oidc'
import { unusedPort } from '../oidc/forwarder'
import { activeSession, currentPath, landOn, POST_LOGOUT_REDIRECT_URI, signInThroughProvider } from '../oidc/adapterHarness'
import { useTestProvider } from '../oidc/testProvider'

const t = useTestProvider()

describe('given a signed-in session', () => {
  async function signedIn(overrides: Partial<OidcAdapterOptions> = {}) {
    const oidc = t.adapter(overrides)
    const session = activeSession((await signInThroughProvider(oidc, t.navigation, t.browser)).data)
    return { oidc, session }
  }

  it('endSession revokes the refresh token (RFC 7009) and stays on the page when called at a deadline', async () => {
    const { oidc, session } = await signedIn()
    const before = await t.provider.stats()
    const departuresBefore = t.navigation.departures.length
    const { data: client } = await oidc.endSession(session.id, { reason: 'inactivity' })
    expect(client.sessions).toEqual([])
    const after = await t.provider.stats()
    expect(after.revocations).toBe(before.revocations + 1)
    expect(t.navigation.departures.length).toBe(departuresBefore)
    // The grant is gone at the provider: the old refresh token no longer works anywhere.
    expect(after.grantRevocations).toBe(before.grantRevocations + 1)
  })

  it('endSession for a session that is no longer the one held (a stale tab ending an old id) leaves the held session alone', async () => {
    const { oidc, session } = await signedIn()
    const before = (await t.provider.stats()).revocations
    const { data: client } = await oidc.endSession('sess_signed_out_long_ago', { reason: 'inactivity' })
    expect(client.sessions.map((s) => s.id)).toEqual([session.id])
    expect((await oidc.getClient()).data.sessions.map((s) => s.id)).toEqual([session.id])
    expect((await t.provider.stats()).revocations).toBe(before)
    // The held session still refreshes: its refresh token was neither forgotten nor revoked.
    await expect(oidc.touchSession(session.id)).resolves.toBeDefined()
  })

  it('endSession for the user revokes, then leaves for RP-initiated logout, with no token in the URL', async () => {
    const { oidc, session } = await signedIn()
    await oidc.endSession(session.id, { reason: 'signed-out' })
    const logout = new URL(t.navigation.last().url)
    expect(`${logout.origin}${logout.pathname}`).toBe(`${t.provider.issuer}/session/end`)
    expect(Object.fromEntries(logout.searchParams)).toEqual({ client_id: t.provider.clientId, post_logout_redirect_uri: POST_LOGOUT_REDIRECT_URI })
    // The browser follows it: the provider ends its own session and returns to the app.
    const before = (await t.provider.stats()).endSessions
    const landing = await t.browser.logout(logout.href)
    expect(landing.redirectedTo).toBe(POST_LOGOUT_REDIRECT_URI)
    expect((await t.provider.stats()).endSessions).toBe(before + 1)
    expect(t.browser.hasProviderSession).toBe(false)
  })

  it('with logoutIdTokenHint the logout URL carries the ID token as id_token_hint (Okta needs it)', async () => {
    const { oidc, session } = await signedIn({ logoutIdTokenHint: true })
    await oidc.endSession(session.id, { reason: 'signed-out' })
    const hint = new URL(t.navigation.last().url).searchParams.get('id_token_hint')
    expect(hint?.split('.')).toHaveLength(3)
    expect(JSON.parse(atob(hint!.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')))).toMatchObject({ sub: 'ada.lovelace', aud: t.provider.clientId })
    expect((await t.browser.logout(t.navigation.last().url)).redirectedTo).toBe(POST_LOGOUT_REDIRECT_URI)
  })

  it('without postLogoutRedirectUri a sign-out only revokes and stays on the page', async () => {
    const { oidc, session } = await signedIn({ postLogoutRedirectUri: undefined })
    const departures = t.navigation.departures.length
    const before = (await t.provider.stats()).revocations
    await oidc.endSession(session.id, { reason: 'signed-out' })
    expect(t.navigation.departures.length).toBe(departures)
    expect((await t.provider.stats()).revocations).toBe(before + 1)
  })

  it('after a sign-out this tab never signs in silently, and the next sign-in asks for the password again (prompt=login)', async () => {
    const { oidc, session } = await signedIn()
    await oidc.endSession(session.id, { reason: 'idle' })
    const departures = t.navigation.departures.length
    const reloaded = t.adapter({ silentSignIn: true })
    expect((await reloaded.getClient()).data.sessions).toEqual([])
    expect(t.navigation.departures.length).toBe(departures)
    await reloaded.signInWithRedirect({ returnTo: '/' })
    expect(new URL(t.navigation.last().url).searchParams.get('prompt')).toBe('login')
  })
})


describe('given silent sign-in', () => {
  it('a new tab with the provider session alive signs in with prompt=none, without a form', async () => {
    await signInThroughProvider(t.adapter(), t.navigation, t.browser)
    sessionStorage.clear()
    landOn('/reports?year=2026')
    const fresh = t.adapter({ silentSignIn: true })
    const loading = fresh.getClient()
    await expect.poll(() => t.navigation.departures.length).toBeGreaterThan(1)
    const silent = new URL(t.navigation.last().url)
    expect(silent.searchParams.get('prompt')).toBe('none')
    const landing = await t.browser.open(silent.href)
    expect(landing.redirectedTo).toMatch(/^http:\/\/localhost:3000\/callback\?code=/)
    landOn(landing.redirectedTo!)
    const { data } = await t.adapter({ silentSignIn: true }).getClient()
    expect(activeSession(data).userId).toBe('ada.lovelace')
    expect(currentPath()).toBe('/reports?year=2026')
    t.clock.advance(10_000)
    await loading
  })

  it('a silent sign-in that cannot start (provider unreachable) fails with network_error for the client to retry; "Sign in" reports the error', async () => {
    const unreachable = t.adapter({ silentSignIn: true, issuer: `http://127.0.0.1:${await unusedPort()}` })
    await expect(unreachable.getClient()).rejects.toMatchObject({ code: 'network_error' })
    expect(t.navigation.departures).toEqual([])
    await expect(unreachable.signInWithRedirect({})).rejects.toMatchObject({ code: 'network_error' })
  })

  it('a silent sign-in that could not start while the provider was down is tried when the client retries, once it is back', async () => {
    await t.provider.setDown(true)
    await expect(t.adapter({ silentSignIn: true }).getClient()).rejects.toMatchObject({ code: 'network_error' })
    await t.provider.setDown(false)
    const retried = t.adapter({ silentSignIn: true }).getClient()
    await expect.poll(() => t.navigation.departures.length).toBe(1)
    expect(new URL(t.navigation.last().url).searchParams.get('prompt')).toBe('none')
    t.clock.advance(10_000)
    await retried
  })

  it('a silent sign-in set up wrong (a secure context missing) answers signed out and is not tried again', async () => {
    const real = globalThis.crypto
    try {
      vi.stubGlobal('crypto', { getRandomValues: <T extends ArrayBufferView<ArrayBuffer>>(array: T) => real.getRandomValues(array) })
      await expect(t.adapter({ silentSignIn: true }).getClient()).resolves.toMatchObject({ data: { sessions: [] } })
    } finally {
      vi.unstubAllGlobals()
    }
    await expect(t.adapter({ silentSignIn: true }).getClient()).resolves.toMatchObject({ data: { sessions: [] } })
    expect(t.navigation.departures).toEqual([])
  })

  it('a silent sign-in whose preparation fails with something other than the network (a crypto.subtle.digest rejection) answers signed out, not a retry forever', async () => {
    const real = globalThis.crypto
    const failingDigest = () => Promise.reject(new DOMException('The operation failed.', 'OperationError'))
    try {
      vi.stubGlobal('crypto', {
        getRandomValues: <T extends ArrayBufferView<ArrayBuffer>>(array: T) => real.getRandomValues(array),
        subtle: { digest: failingDigest },
      })
      await expect(t.adapter({ silentSignIn: true }).getClient()).resolves.toMatchObject({ data: { sessions: [] } })
    } finally {
      vi.unstubAllGlobals()
    }
    await expect(t.adapter({ silentSignIn: true }).getClient()).resolves.toMatchObject({ data: { sessions: [] } })
    expect(t.navigation.departures).toEqual([])
  })

  it('a silent attempt answered with any other authorization error (a provider refusing prompt=none) is signed out, not an error', async () => {
    const loading = t.adapter({ silentSignIn: true }).getClient()
    await expect.poll(() => t.navigation.departures.length).toBe(1)
    const state = new URL(t.navigation.last().url).searchParams.get('state')!
    landOn(`/callback?error=invalid_request&error_description=prompt%3Dnone+is+not+supported&state=${state}&iss=${encodeURIComponent(t.provider.issuer)}`)
    await expect(t.adapter({ silentSignIn: true }).getClient()).resolves.toMatchObject({ data: { sessions: [] } })
    expect(t.navigation.departures).toHaveLength(1)
    t.clock.advance(10_000)
    await loading
  })

  it('login_required comes back signed out, and the tab does not try again (no loop)', async () => {
    const fresh = t.adapter({ silentSignIn: true })
    const loading = fresh.getClient()
    await expect.poll(() => t.navigation.departures.length).toBe(1)
    const landing = await t.browser.open(t.navigation.last().url)
    expect(landing.redirectedTo).toContain('error=login_required')
    landOn(landing.redirectedTo!)
    expect((await t.adapter({ silentSignIn: true }).getClient()).data.sessions).toEqual([])
    expect((await t.adapter({ silentSignIn: true }).getClient()).data.sessions).toEqual([])
    expect(t.navigation.departures).toHaveLength(1)
    t.clock.advance(10_000)
    await expect(loading).resolves.toMatchObject({ data: { sessions: [] } })
  })
})
