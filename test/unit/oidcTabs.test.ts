// Several tabs of one browser share one OIDC session in memory: a new tab
// gets it from the others without a redirect, refreshes take turns under one
// lock so rotating refresh tokens never race (authts/oidc-client-ts#430), and
// a sign-out in one tab reaches all. jsdom has no Web Locks, so each "tab" is
// given the core's in-memory BroadcastChannel + Web Locks (same semantics).
import '../oidc/realm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createOidcAdapter, type OidcAdapter } from '../../src/adapters/oidc'
import { createMemoryTabHub } from '../../src/core/tabs/memoryTransport'
import type { TabTransport } from '../../src/core/tabs/transport'
import { createVirtualClock, type VirtualClock } from '../../src/core/virtualClock'
import { startOidcProvider } from '../oidc/provider.mjs'
import type { OidcTestProvider } from '../oidc/provider.d.mts'
import { ProviderBrowser, REDIRECT_URI, activeSession, landOn, recordNavigation, signInThroughProvider, tokenWiretap } from '../oidc/adapterHarness'

let provider: OidcTestProvider
let clock: VirtualClock
let navigation: ReturnType<typeof recordNavigation>
let hub: ReturnType<typeof createMemoryTabHub>

beforeAll(async () => {
  provider = await startOidcProvider({ redirectUris: [REDIRECT_URI] })
})
afterAll(() => provider.stop())

beforeEach(async () => {
  clock = createVirtualClock(await provider.now())
  navigation = recordNavigation()
  hub = createMemoryTabHub(clock)
  sessionStorage.clear()
  localStorage.clear()
  landOn('/')
})

function tab(transport: TabTransport | null = hub.tab(), silentSignIn = false, fetchOption?: typeof fetch): OidcAdapter {
  return createOidcAdapter({
    ...(fetchOption ? { fetch: fetchOption } : {}),
    issuer: provider.issuer,
    clientId: provider.clientId,
    redirectUri: REDIRECT_URI,
    clock,
    tabTransport: transport,
    navigate: navigation.navigate,
    silentSignIn,
  })
}

/** One tab signed in through the provider (as `login`, default ada.lovelace), and its session id. */
async function signedInTab(transport?: TabTransport, fetchOption?: typeof fetch, login?: string) {
  const adapter = tab(transport, false, fetchOption)
  const session = activeSession((await signInThroughProvider(adapter, navigation, new ProviderBrowser(provider.issuer), login ? { login } : {})).data)
  return { adapter, sessionId: session.id }
}

describe('given one signed-in tab', () => {
  it('a tab opened next to it gets the session from it, without a redirect', async () => {
    const { sessionId } = await signedInTab()
    const departures = navigation.departures.length
    const second = tab(hub.tab(), true)
    const { data } = await second.getClient()
    expect(activeSession(data)).toMatchObject({ id: sessionId, userId: 'ada.lovelace' })
    expect(navigation.departures.length).toBe(departures)
    // It holds working tokens: it can renew on its own.
    await expect(second.touchSession(sessionId)).resolves.toMatchObject({ data: { id: sessionId } })
  })

  it('a touch in one tab moves the deadline the other tab reports', async () => {
    const { adapter: first, sessionId } = await signedInTab()
    const second = tab()
    await second.getClient()
    clock.advance(30_000)
    await provider.advance(30_000)
    const { data: touched } = await first.touchSession(sessionId)
    await Promise.resolve()
    expect(activeSession((await second.getClient()).data).expireAt).toBe(touched.expireAt)
  })

  it('two tabs minting at once make one refresh grant: the second uses the first one\'s fresh token', async () => {
    const { adapter: first, sessionId } = await signedInTab()
    const second = tab()
    await second.getClient()
    // Each tab hands out the sign-in's token once (no grant); then both need a new one at once.
    await first.createToken(sessionId, {})
    await second.createToken(sessionId, {})
    const before = (await provider.stats()).refreshGrants
    const [a, b] = await Promise.all([first.createToken(sessionId, {}), second.createToken(sessionId, {})])
    expect(a.data.jwt).toBe(b.data.jwt)
    expect((await provider.stats()).refreshGrants).toBe(before + 1)
  })

  it("a token another tab handed out is not handed out again here: a follower's skipCache mint (after a 401) gets a new one", async () => {
    const { adapter: leader, sessionId } = await signedInTab()
    const follower = tab()
    await follower.getClient()
    // The leading tab mints for every tab; the API then refuses that token, and the follower's
    // client asks its own adapter (getToken({ skipCache: true })) for another.
    const served = (await leader.createToken(sessionId, {})).data.jwt
    await Promise.resolve()
    const before = (await provider.stats()).refreshGrants
    const retried = (await follower.createToken(sessionId, {})).data.jwt
    expect(retried).not.toBe(served)
    expect((await provider.stats()).refreshGrants).toBe(before + 1)
    // And back the other way: the follower's new token is not served again by the leader.
    await Promise.resolve()
    expect((await leader.createToken(sessionId, {})).data.jwt).not.toBe(retried)
  })

  it('a tab closed while its refresh was at the provider: the next tab refused as reuse says the answer was lost, and silent sign-in stays on', async () => {
    const { adapter: first, sessionId } = await signedInTab()
    const closing = hub.tab()
    let reached = () => {}
    const atProvider = new Promise<void>((resolve) => (reached = resolve))
    // The closing tab's grant reaches the provider (which rotates the token); the page is gone before the answer.
    const second = tab(closing, false, async (input, init) => {
      const response = await fetch(input, init)
      if (!String(input).endsWith('/token')) return response
      reached()
      return new Promise<Response>(() => {})
    })
    await second.getClient()
    void second.touchSession(sessionId).catch(() => undefined)
    await atProvider
    closing.close()
    await expect(first.touchSession(sessionId)).rejects.toMatchObject({ code: 'session_not_found', message: expect.stringMatching(/answer .*was lost/) })
    // No sign-out by the user: a tab opened next may sign in silently from the provider's session.
    const third = tab(hub.tab(), true)
    void third.getClient()
    await clock.advanceAsync(500)
    await expect.poll(() => new URL(navigation.last().url).searchParams.get('prompt')).toBe('none')
  })

  it('tabs refreshing concurrently with rotating refresh tokens trigger no reuse detection', async () => {
    const { adapter: first, sessionId } = await signedInTab()
    const others = [tab(), tab()]
    for (const other of others) await other.getClient()
    const tabs = [first, ...others]
    const before = await provider.stats()
    for (let round = 0; round < 3; round++) {
      await Promise.all(tabs.flatMap((t) => [t.touchSession(sessionId), t.createToken(sessionId, {})]))
      clock.advance(10_000)
      await provider.advance(10_000)
    }
    const after = await provider.stats()
    expect(after.reuseDetections).toBe(before.reuseDetections)
    expect(after.grantRevocations).toBe(before.grantRevocations)
    // Every touch was a refresh grant of its own (3 tabs × 3 rounds); mintings shared them.
    expect(after.refreshGrants - before.refreshGrants).toBeGreaterThanOrEqual(9)
    // And the session still works in every tab.
    for (const t of tabs) await expect(t.touchSession(sessionId)).resolves.toMatchObject({ data: { status: 'active' } })
  })

  it("a refresh right after another tab's waits for that tab's news, however late it comes, instead of reusing the spent token", async () => {
    const { adapter: first, sessionId } = await signedInTab()
    // The second tab's incoming news can be held back: then it arrives only once that tab posts
    // something itself, long after the lock was handed over.
    const late: (() => void)[] = []
    let holding = false
    const real = hub.tab()
    const lateNews: TabTransport = {
      locks: real.locks,
      channel(name) {
        const channel = real.channel(name)
        return {
          postMessage(message) {
            channel.postMessage(message)
            for (const deliver of late.splice(0)) deliver()
          },
          subscribe: (listener) => channel.subscribe((data) => (holding ? late.push(() => listener(data)) : listener(data))),
          close: () => channel.close(),
        }
      },
    }
    const second = tab(lateNews)
    await second.getClient()
    const before = await provider.stats()
    holding = true
    await first.touchSession(sessionId)
    await expect(second.touchSession(sessionId)).resolves.toMatchObject({ data: { id: sessionId, status: 'active' } })
    const after = await provider.stats()
    expect(after.reuseDetections).toBe(before.reuseDetections)
    expect(after.refreshGrants).toBe(before.refreshGrants + 2)
    // Only a generation number and the session id were stored, never a token.
    expect(JSON.stringify({ ...localStorage })).not.toMatch(/ey[\w-]{10,}\.|"refreshToken"|"accessToken"/)
  })

  it('without the lock (a transport whose lock excludes nothing) the same race is caught by the provider: the test can fail', async () => {
    const sharedChannelNoLock = (): TabTransport => {
      const real = hub.tab()
      return { channel: (name) => real.channel(name), locks: { request: (_name, _options, callback) => callback({}) } }
    }
    // Once armed, token requests go out together: both tabs' refreshes leave before either answer
    // arrives, as they can in a real browser, so neither tab can learn the other's new token first.
    let gate: (() => void)[] | null = null
    const gatedFetch: typeof fetch = async (input, init) => {
      if (gate && String(input instanceof Request ? input.url : input).includes('/token')) {
        const waiting = gate
        await new Promise<void>((resolve) => {
          waiting.push(resolve)
          if (waiting.length === 2) for (const go of waiting.splice(0)) go()
        })
      }
      return fetch(input, init)
    }
    const { adapter: first, sessionId } = await signedInTab(sharedChannelNoLock(), gatedFetch)
    const second = tab(sharedChannelNoLock(), false, gatedFetch)
    await second.getClient()
    const before = (await provider.stats()).reuseDetections
    gate = []
    const results = await Promise.allSettled([first.touchSession(sessionId), second.touchSession(sessionId)])
    expect((await provider.stats()).reuseDetections).toBe(before + 1)
    // The provider revokes the grant on reuse: the loser fails, and the winner too if its answer came after.
    expect(results.some((r) => r.status === 'rejected')).toBe(true)
  })

  it('a sign-out in one tab makes every tab forget the tokens, and none signs in silently after it', async () => {
    const { adapter: first, sessionId } = await signedInTab()
    const second = tab(hub.tab(), true)
    await second.getClient()
    await first.endSession(sessionId, { reason: 'inactivity' })
    await Promise.resolve()
    await expect(second.touchSession(sessionId)).rejects.toMatchObject({ code: 'session_not_found', message: expect.stringMatching(/sign in again/) })
    const departures = navigation.departures.length
    const loading = second.getClient()
    await clock.advanceAsync(500)
    expect((await loading).data.sessions).toEqual([])
    // A tab opened later does not slip back in through prompt=none either.
    const third = tab(hub.tab(), true)
    const opening = third.getClient()
    await clock.advanceAsync(500)
    expect((await opening).data.sessions).toEqual([])
    expect(navigation.departures.length).toBe(departures)
  })

  it('a sign-out from a tab that holds no tokens is revoked by the tab that does', async () => {
    const { sessionId } = await signedInTab()
    // This tab's client knew the session (from its own tab sync) but its adapter never held the tokens.
    const empty = tab()
    const before = (await provider.stats()).revocations
    await empty.endSession(sessionId, { reason: 'signed-out' })
    await expect.poll(async () => (await provider.stats()).revocations).toBe(before + 1)
  })
})

describe('given a new sign-in over a held session', () => {
  /** What the provider answers a refresh grant with this refresh token (200: it still works). */
  async function refreshStatus(refreshToken: string) {
    const response = await fetch(`${provider.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: provider.clientId }),
    })
    return response.status
  }

  it("another tab's sign-in as another user revokes the refresh token of the session it replaces, once", async () => {
    const wiretap = tokenWiretap()
    const { adapter: first } = await signedInTab(hub.tab(), wiretap.fetch)
    const replaced = wiretap.latestRefreshToken()
    const before = (await provider.stats()).revocations
    // A second tab signs in with another account a while later, without the first signing out.
    // (The same user's is oidcReplacedSession.test.ts: its grant is shared, so nothing is revoked.)
    clock.advance(1_000)
    await provider.advance(1_000)
    const { sessionId } = await signedInTab(hub.tab(), wiretap.fetch, 'grace.hopper')
    await clock.advanceAsync(0)
    expect(activeSession((await first.getClient()).data).id).toBe(sessionId)
    await expect.poll(async () => (await provider.stats()).revocations).toBe(before + 1)
    expect(await refreshStatus(replaced)).toBe(400)
  })

  it('signing in again as another user in the same tab, without signing out, revokes the previous refresh token', async () => {
    const wiretap = tokenWiretap()
    const { adapter } = await signedInTab(null as unknown as TabTransport, wiretap.fetch)
    const replaced = wiretap.latestRefreshToken()
    const before = (await provider.stats()).revocations
    await signInThroughProvider(adapter, navigation, new ProviderBrowser(provider.issuer), { login: 'grace.hopper' })
    expect(activeSession((await adapter.getClient()).data).userId).toBe('grace.hopper')
    await expect.poll(async () => (await provider.stats()).revocations).toBe(before + 1)
    expect(await refreshStatus(replaced)).toBe(400)
  })
})

describe('given a tab alone', () => {
  it('asks the other tabs for 500 ms, then answers signed out', async () => {
    const alone = tab()
    let answered = false
    const loading = alone.getClient().then((r) => {
      answered = true
      return r
    })
    await clock.advanceAsync(499)
    expect(answered).toBe(false)
    await clock.advanceAsync(1)
    expect((await loading).data.sessions).toEqual([])
  })

  it('without BroadcastChannel or Web Locks (tabTransport null) works alone, its refreshes in order', async () => {
    const { adapter, sessionId } = await signedInTab(null as unknown as TabTransport)
    const before = await provider.stats()
    await Promise.all([adapter.touchSession(sessionId), adapter.touchSession(sessionId), adapter.createToken(sessionId, {})])
    const after = await provider.stats()
    expect(after.reuseDetections).toBe(before.reuseDetections)
    // Two touches are two grants; the minting queued behind them takes the token they just got.
    expect(after.refreshGrants - before.refreshGrants).toBe(2)
  })
})
