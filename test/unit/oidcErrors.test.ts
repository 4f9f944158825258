// Every way the OIDC adapter can be set up wrong, or handed a wrong sign-in
// answer, fails with a SessionKitError whose code names the problem and
// whose message says what to fix. Against the real test provider.
import '../oidc/realm'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createOidcAdapter, type OidcAdapter, type OidcAdapterOptions } from '../../src/adapters/oidc'
import { SessionKitError } from '../../src/core/errors'
import { createVirtualClock, type VirtualClock } from '../../src/core/virtualClock'
import { startForwarder, unusedPort } from '../oidc/forwarder'
import { startOidcProvider } from '../oidc/provider.mjs'
import type { OidcTestProvider } from '../oidc/provider.d.mts'
import { ProviderBrowser, REDIRECT_URI, currentPath, landOn, recordNavigation } from '../oidc/adapterHarness'

let provider: OidcTestProvider
let clock: VirtualClock
let navigation: ReturnType<typeof recordNavigation>

beforeAll(async () => {
  provider = await startOidcProvider({ redirectUris: [REDIRECT_URI] })
})
afterAll(() => provider.stop())

beforeEach(async () => {
  clock = createVirtualClock(await provider.now())
  navigation = recordNavigation()
  sessionStorage.clear()
  localStorage.clear()
  landOn('/')
})

function adapter(overrides: Partial<OidcAdapterOptions> = {}): OidcAdapter {
  return createOidcAdapter({
    issuer: provider.issuer,
    clientId: provider.clientId,
    redirectUri: REDIRECT_URI,
    clock,
    tabTransport: null,
    navigate: navigation.navigate,
    silentSignIn: false,
    ...overrides,
  })
}

/** The SessionKitError `run` throws (synchronously or as a rejection). */
async function failure(run: () => unknown): Promise<SessionKitError> {
  try {
    await run()
  } catch (error) {
    expect(error).toBeInstanceOf(SessionKitError)
    return error as SessionKitError
  }
  throw new Error('expected a SessionKitError, but nothing was thrown')
}

describe('given bad options', () => {
  const good = (): OidcAdapterOptions => ({ issuer: 'https://id.example.com', clientId: 'web', redirectUri: REDIRECT_URI })
  const cases: [string, Partial<Record<keyof OidcAdapterOptions, unknown>>, RegExp][] = [
    ['no issuer', { issuer: undefined }, /`issuer` is required/],
    ['a relative issuer', { issuer: '/realms/main' }, /`issuer` must be an absolute URL/],
    ['an http issuer off this machine', { issuer: 'http://id.example.com' }, /must use https \(http only for a provider on this machine/],
    ['an issuer with a query', { issuer: 'https://id.example.com/?tenant=1' }, /must not have a query/],
    ['an empty client id', { clientId: ' ' }, /`clientId` is required: the id of the public client/],
    ['a relative redirect URI', { redirectUri: '/callback' }, /`redirectUri` must be an absolute URL such as `\$\{location.origin\}\/callback`/],
    ['a redirect URI on another origin', { redirectUri: 'https://evil.example/callback' }, /must be on this page's origin \(http:\/\/localhost:3000\)/],
    ['a relative post-logout URI', { postLogoutRedirectUri: 'signed-out' }, /`postLogoutRedirectUri` must be an absolute URL/],
    // Optional: the message must not call it required, nor suggest the sign-in callback for it.
    ['an empty post-logout URI', { postLogoutRedirectUri: '' }, /^(?!.*required)(?!.*\/callback).*`postLogoutRedirectUri` must be an absolute URL such as `\$\{location.origin\}\/signed-out`, or left out/],
    ['a scope without openid', { scope: 'profile email' }, /`scope` must be .* includes "openid"/],
    ['a negative inactivity timeout', { inactivityTimeout: -5 }, /`inactivityTimeout` must be milliseconds from 1,000 up to 400 days, or null/],
    ['an absurd maximum lifetime', { maxLifetime: 10 ** 13 }, /`maxLifetime` must be milliseconds from 1,000 up to 400 days/],
    ['a zero timeout', { timeoutMs: 0 }, /`timeoutMs` must be a positive number/],
    ['a navigate that is not a function', { navigate: 'location' }, /`navigate` must be a function/],
    ['a clock without timers', { clock: { now: () => 0 } }, /`clock` must be a Clock/],
    ['a tab transport of the wrong shape', { tabTransport: {} }, /`tabTransport` must be a TabTransport/],
    ['authorization parameters that are not an object', { authorizationParams: 'audience=api' }, /`authorizationParams` must be an object of strings, e\.g\. \{ audience:/],
    ['an authorization parameter that is not a string', { authorizationParams: { audience: 42 } }, /`authorizationParams\.audience` must be a string; got a number/],
    ['an authorization parameter setting scope', { authorizationParams: { scope: 'openid api' } }, /`authorizationParams` must not set "scope": .*use the `scope` option/],
    ['an authorization parameter setting max_age', { authorizationParams: { max_age: '0' } }, /must not set "max_age": .*use `maxLifetime`/],
  ]
  it.each(cases)('%s is invalid_option with a sentence that says what to pass', async (_name, change, message) => {
    const error = await failure(() => createOidcAdapter({ ...good(), ...change } as OidcAdapterOptions))
    expect(error.code).toBe('invalid_option')
    expect(error.message).toMatch(/^createOidcAdapter: /)
    expect(error.message).toMatch(message)
  })

  it.each(['response_type', 'response_mode', 'client_id', 'redirect_uri', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'prompt', 'max_age'])(
    'an authorization parameter the adapter sets itself (%s) is invalid_option, never sent',
    async (name) => {
      const error = await failure(() => createOidcAdapter({ ...good(), authorizationParams: { audience: 'https://api.example.com', [name]: 'x' } }))
      expect(error.code).toBe('invalid_option')
      expect(error.message).toMatch(new RegExp(`^createOidcAdapter: \`authorizationParams\` must not set "${name}": sessionkit sets it`))
    },
  )

  it.each(['request', 'request_uri'])(
    'a request object (%s) is invalid_option: it could override the state, redirect_uri or nonce sessionkit checks',
    async (name) => {
      const error = await failure(() => createOidcAdapter({ ...good(), authorizationParams: { [name]: 'eyJhbGciOiJub25lIn0.e30.' } }))
      expect(error.code).toBe('invalid_option')
      expect(error.message).toMatch(new RegExp(`^createOidcAdapter: \`authorizationParams\` must not set "${name}": a request object could replace the state, redirect_uri or nonce`))
    },
  )

  it('both lifetimes off is invalid_policy: a session would live forever', async () => {
    const error = await failure(() => createOidcAdapter({ ...good(), inactivityTimeout: null, maxLifetime: null }))
    expect(error.code).toBe('invalid_policy')
    expect(error.message).toMatch(/set `inactivityTimeout`, `maxLifetime`, or both/)
  })

  it('http on 127.0.0.1 or localhost is allowed (a provider on this machine)', () => {
    expect(() => createOidcAdapter({ ...good(), issuer: 'http://127.0.0.1:8080' })).not.toThrow()
    expect(() => createOidcAdapter({ ...good(), issuer: 'http://localhost:8080/realms/dev' })).not.toThrow()
  })

  it('a returnTo on another site is invalid_option (never an open redirect)', async () => {
    const error = await failure(() => adapter().signInWithRedirect({ returnTo: '//evil.example/' }))
    expect(error.code).toBe('invalid_option')
    expect(error.message).toMatch(/`returnTo` must be a path on this origin starting with "\/"/)
    expect(navigation.departures).toEqual([])
  })

  // The URL standard drops tabs and newlines and reads a backslash as "/": each of these is another origin once parsed.
  it.each(['/\t/evil.example', '/\n/evil.example', '/\r/evil.example', '/\\evil.example', '\\\\evil.example', '/a/..//evil.example', 'https:evil.example', 'evil'])(
    'a returnTo of %j, another site once parsed, is invalid_option before anything leaves the page',
    async (returnTo) => {
      const error = await failure(() => adapter().signInWithRedirect({ returnTo }))
      expect(error.code).toBe('invalid_option')
      expect(navigation.departures).toEqual([])
    },
  )

  it('a returnTo on this origin keeps its query and hash', async () => {
    await adapter().signInWithRedirect({ returnTo: '/settings?tab=security#devices' })
    expect(sessionStorage.length).toBeGreaterThan(0)
    expect(JSON.stringify(Object.entries(sessionStorage))).toContain('/settings?tab=security#devices')
  })
})

describe('given a provider set up wrong', () => {
  it('an issuer with no discovery document is oidc_discovery_failed, naming the URL it tried', async () => {
    const error = await failure(() => adapter({ issuer: `${provider.issuer}/realms/nowhere` }).signInWithRedirect({}))
    expect(error.code).toBe('oidc_discovery_failed')
    expect(error.status).toBe(404)
    expect(error.message).toContain(`${provider.issuer}/realms/nowhere/.well-known/openid-configuration answered 404`)
    expect(error.message).toMatch(/Check `issuer`: it is the URL the provider's \/.well-known\/openid-configuration lives under/)
    expect(navigation.departures).toEqual([])
  })

  it('an issuer where nothing answers is network_error (the provider may come back), and a later try discovers again', async () => {
    const port = await unusedPort()
    const error = await failure(() => adapter({ issuer: `http://127.0.0.1:${port}` }).signInWithRedirect({}))
    expect(error.code).toBe('network_error')
    expect(error.message).toMatch(/could not be reached.*check `issuer` and that the provider allows this origin \(CORS\)/)
  })

  it('a provider that names another issuer (a proxy in front of it) is oidc_issuer_mismatch, quoting the value to set', async () => {
    const proxy = await startForwarder(provider.issuer)
    try {
      const error = await failure(() => adapter({ issuer: proxy.url }).signInWithRedirect({}))
      expect(error.code).toBe('oidc_issuer_mismatch')
      expect(error.message).toContain(`names its issuer "${provider.issuer}", not "${proxy.url}"`)
      expect(error.message).toMatch(/Set `issuer` to exactly the provider's value/)
    } finally {
      await proxy.stop()
    }
  })

  it('a client id the provider does not know: its login page refuses, and a code exchange with it is oidc_invalid_client', async () => {
    const wrong = adapter({ clientId: 'not-registered' })
    await wrong.signInWithRedirect({ returnTo: '/' })
    const browser = new ProviderBrowser(provider.issuer)
    // What the user would see: the provider's own error page, no way back to the app.
    const refused = await browser.open(navigation.last().url)
    expect(refused.redirectedTo).toBeNull()
    expect(refused.body).toContain('invalid_client')
    // The same sign-in with the registered id gets a code; exchanging it as "not-registered" is refused.
    const url = new URL(navigation.last().url)
    url.searchParams.set('client_id', provider.clientId)
    landOn(await browser.signIn(url.href))
    const error = await failure(() => wrong.getClient())
    expect(error.code).toBe('oidc_invalid_client')
    expect(error.message).toMatch(/refused client id "not-registered" \(invalid_client\)\. Check `clientId` against the client registered at the provider/)
  })
})

describe('given a wrong sign-in answer', () => {
  it('a state that is not the one this tab sent is oidc_state_mismatch; the code leaves the URL and is not exchanged', async () => {
    const oidc = adapter()
    await oidc.signInWithRedirect({ returnTo: '/first' })
    const first = navigation.last().url
    // A second sign-in started meanwhile (another click): the first answer no longer matches.
    await oidc.signInWithRedirect({ returnTo: '/second' })
    landOn(await new ProviderBrowser(provider.issuer).signIn(first))
    const exchanges = (await provider.stats()).authorizationCodeGrants
    const error = await failure(() => oidc.getClient())
    expect(error.code).toBe('oidc_state_mismatch')
    expect(error.message).toMatch(/does not belong to the sign-in this tab started.*Start the sign-in again with signInWithRedirect\(\)/)
    expect(currentPath()).toBe('/second')
    expect((await provider.stats()).authorizationCodeGrants).toBe(exchanges)
  })

  it('an answer landing in a tab that did not start the sign-in is oidc_missing_verifier', async () => {
    const oidc = adapter()
    await oidc.signInWithRedirect({ returnTo: '/' })
    const callback = await new ProviderBrowser(provider.issuer).signIn(navigation.last().url)
    // Another tab (its own sessionStorage) opens the link.
    sessionStorage.clear()
    landOn(callback)
    const error = await failure(() => adapter().getClient())
    expect(error.code).toBe('oidc_missing_verifier')
    expect(error.message).toMatch(/not the sign-in that asked for it .*Start the sign-in again from this tab/)
    expect(currentPath()).toBe('/callback')
  })

  it('the same answer used twice: the second time there is no verifier left', async () => {
    const oidc = adapter()
    await oidc.signInWithRedirect({ returnTo: '/' })
    const callback = await new ProviderBrowser(provider.issuer).signIn(navigation.last().url)
    landOn(callback)
    await oidc.getClient()
    landOn(callback)
    expect((await failure(() => adapter().getClient())).code).toBe('oidc_missing_verifier')
  })

  it('a user who cancels at the provider gets oidc_callback_error with its reason', async () => {
    const oidc = adapter()
    await oidc.signInWithRedirect({ returnTo: '/' })
    landOn(await new ProviderBrowser(provider.issuer).cancel(navigation.last().url))
    const error = await failure(() => oidc.getClient())
    expect(error.code).toBe('oidc_callback_error')
    expect(error.message).toMatch(/did not sign the user in \(access_denied\); sign in again/)
  })

  it('a code that expired before it was exchanged is oidc_callback_error, not a sign-out', async () => {
    const oidc = adapter()
    await oidc.signInWithRedirect({ returnTo: '/' })
    landOn(await new ProviderBrowser(provider.issuer).signIn(navigation.last().url))
    // Authorization codes live 60 s at the provider.
    await provider.advance(61_000)
    clock.advance(61_000)
    const error = await failure(() => oidc.getClient())
    expect(error.code).toBe('oidc_callback_error')
    expect(error.message).toMatch(/refused the sign-in answer \(invalid_grant\): the code expired or was used already.*start the sign-in again/)
  })

  it('on a page without Web Crypto (not a secure context) signInWithRedirect is not_supported, saying to serve over https', async () => {
    // What an http page off localhost gets: crypto.getRandomValues, but no crypto.subtle.
    const real = globalThis.crypto
    try {
      vi.stubGlobal('crypto', { getRandomValues: <T extends ArrayBufferView<ArrayBuffer>>(array: T) => real.getRandomValues(array) })
      const error = await failure(() => adapter().signInWithRedirect({ returnTo: '/' }))
      expect(error.code).toBe('not_supported')
      expect(error.message).toMatch(/serve the app over https \(or from localhost/)
      expect(navigation.departures).toEqual([])
    } finally {
      vi.unstubAllGlobals()
    }
  })
})
