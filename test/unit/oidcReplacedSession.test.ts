// A sign-in over a session this browser already holds (signing in again, a
// second tab signing in, session restore opening two tabs). For the same user
// in one browser both sign-ins share the provider's grant (oidc-provider's
// default revokeGrantPolicy revokes the whole grant on a refresh-token
// revocation; Keycloak's revocation detaches the client from every session of
// the user), so revoking the replaced refresh token would end the new session
// too. Each test uses one ProviderBrowser: one cookie jar, as a real browser.
import '../oidc/realm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createOidcAdapter, type OidcAdapter } from '../../src/adapters/oidc'
import { createMemoryTabHub } from '../../src/core/tabs/memoryTransport'
import type { TabTransport } from '../../src/core/tabs/transport'
import { createVirtualClock, type VirtualClock } from '../../src/core/virtualClock'
import { startOidcProvider } from '../oidc/provider.mjs'
import type { OidcTestProvider } from '../oidc/provider.d.mts'
import { ProviderBrowser, REDIRECT_URI, activeSession, landOn, recordNavigation, signInThroughProvider } from '../oidc/adapterHarness'

let provider: OidcTestProvider
let clock: VirtualClock
let navigation: ReturnType<typeof recordNavigation>
let hub: ReturnType<typeof createMemoryTabHub>
/** The revocation requests the adapters sent, to wait for their answers (they are fire-and-forget). */
let revocations: Promise<unknown>[]

beforeAll(async () => {
  provider = await startOidcProvider({ redirectUris: [REDIRECT_URI] })
})
afterAll(() => provider.stop())

beforeEach(async () => {
  clock = createVirtualClock(await provider.now())
  navigation = recordNavigation()
  hub = createMemoryTabHub(clock)
  revocations = []
  sessionStorage.clear()
  localStorage.clear()
  landOn('/')
})

const noteRevocations: typeof fetch = (input, init) => {
  const request = fetch(input, init)
  if (String(input instanceof Request ? input.url : input).includes('/revocation')) revocations.push(request.catch(() => undefined))
  return request
}

function tab(transport: TabTransport | null): OidcAdapter {
  return createOidcAdapter({
    fetch: noteRevocations,
    issuer: provider.issuer,
    clientId: provider.clientId,
    redirectUri: REDIRECT_URI,
    clock,
    tabTransport: transport,
    navigate: navigation.navigate,
    silentSignIn: false,
  })
}

/** Lets tab news land, then waits until every revocation sent so far is answered. */
async function settle() {
  await clock.advanceAsync(0)
  await Promise.all(revocations)
}

describe('given a signed-in browser, the same user signing in again', () => {
  it('in a second tab: the new session keeps working in both tabs, and no grant is revoked', async () => {
    const browser = new ProviderBrowser(provider.issuer)
    const first = tab(hub.tab())
    const replaced = activeSession((await signInThroughProvider(first, navigation, browser)).data)
    const before = await provider.stats()
    clock.advance(1_000)
    await provider.advance(1_000)
    const second = tab(hub.tab())
    const session = activeSession((await signInThroughProvider(second, navigation, browser)).data)
    expect(session.id).not.toBe(replaced.id)
    await settle()
    // The first refresh of the new session (a minute later, say) in either tab.
    await expect(second.touchSession(session.id)).resolves.toMatchObject({ data: { id: session.id, status: 'active' } })
    await settle()
    await expect(first.touchSession(session.id)).resolves.toMatchObject({ data: { id: session.id, status: 'active' } })
    expect(activeSession((await first.getClient()).data).id).toBe(session.id)
    expect((await provider.stats()).grantRevocations).toBe(before.grantRevocations)
    // The replaced session is gone from this browser, and news of it never brings it back.
    await expect(first.touchSession(replaced.id)).rejects.toMatchObject({ code: 'session_not_found' })
  })

  it('in the same tab (no tab transport): the new session keeps working, and no grant is revoked', async () => {
    const browser = new ProviderBrowser(provider.issuer)
    const adapter = tab(null)
    const replaced = activeSession((await signInThroughProvider(adapter, navigation, browser)).data)
    const before = await provider.stats()
    clock.advance(1_000)
    await provider.advance(1_000)
    const session = activeSession((await signInThroughProvider(adapter, navigation, browser)).data)
    expect(session.id).not.toBe(replaced.id)
    await settle()
    await expect(adapter.touchSession(session.id)).resolves.toMatchObject({ data: { id: session.id, status: 'active' } })
    await settle()
    await expect(adapter.touchSession(session.id)).resolves.toMatchObject({ data: { id: session.id, status: 'active' } })
    expect((await provider.stats()).grantRevocations).toBe(before.grantRevocations)
    await expect(adapter.touchSession(replaced.id)).rejects.toMatchObject({ code: 'session_not_found' })
  })
})
