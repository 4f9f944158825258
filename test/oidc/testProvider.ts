// One real test provider per test file, and a fresh page for each test: a
// virtual clock starting at the provider's time (token times agree), empty
// storage, the page at '/', a recorded navigation and a provider browser.
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'
import { createOidcAdapter, type OidcAdapter, type OidcAdapterOptions } from '../../src/adapters/oidc'
import { createVirtualClock, type VirtualClock } from '../../src/core/virtualClock'
import { POST_LOGOUT_REDIRECT_URI, ProviderBrowser, REDIRECT_URI, landOn, recordNavigation } from './adapterHarness'
import { startOidcProvider } from './provider.mjs'
import type { OidcTestProvider } from './provider.d.mts'

/** What each test of a file sees; read its fields inside tests (they change per test). */
export interface ProviderTestContext {
  provider: OidcTestProvider
  clock: VirtualClock
  navigation: ReturnType<typeof recordNavigation>
  browser: ProviderBrowser
  /** An adapter for this provider and page; alone (no tabs), no silent sign-in unless overridden. */
  adapter(overrides?: Partial<OidcAdapterOptions>): OidcAdapter
  /** Time passes for the app and the provider alike. */
  advance(ms: number): Promise<void>
}

/** Starts the provider for this file (stopped after it) and resets the page before each test. */
export function useTestProvider(): ProviderTestContext {
  const context = {} as ProviderTestContext
  beforeAll(async () => {
    context.provider = await startOidcProvider({ redirectUris: [REDIRECT_URI], postLogoutRedirectUris: [POST_LOGOUT_REDIRECT_URI] })
  })
  afterAll(() => context.provider.stop())
  beforeEach(async () => {
    const { provider } = context
    context.clock = createVirtualClock(await provider.now())
    context.navigation = recordNavigation()
    context.browser = new ProviderBrowser(provider.issuer)
    sessionStorage.clear()
    localStorage.clear()
    landOn('/')
  })
  afterEach(() => context.provider.setDown(false))
  context.adapter = (overrides = {}) =>
    createOidcAdapter({
      issuer: context.provider.issuer,
      clientId: context.provider.clientId,
      redirectUri: REDIRECT_URI,
      postLogoutRedirectUri: POST_LOGOUT_REDIRECT_URI,
      clock: context.clock,
      tabTransport: null,
      navigate: context.navigation.navigate,
      silentSignIn: false,
      ...overrides,
    })
  context.advance = async (ms) => {
    context.clock.advance(ms)
    await context.provider.advance(ms)
  }
  return context
}
