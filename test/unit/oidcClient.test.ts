// The OIDC adapter under the real session client: signed in from the
// provider's answer, touched (a refresh grant) on user input, and signed out
// at the inactivity deadline although the app keeps asking for tokens. One
// virtual clock for the client and the adapter; the provider's clock follows.
import '../oidc/realm'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createOidcAdapter } from '../../src/adapters/oidc'
import { createSessionClient } from '../../src/core/client'
import { createMemoryTabHub } from '../../src/core/tabs/memoryTransport'
import type { TabTransport } from '../../src/core/tabs/transport'
import type { SessionClient } from '../../src/core/types'
import { createVirtualClock, type VirtualClock } from '../../src/core/virtualClock'
import { startOidcProvider } from '../oidc/provider.mjs'
import type { OidcTestProvider } from '../oidc/provider.d.mts'
import { ProviderBrowser, REDIRECT_URI, currentPath, landOn, recordNavigation } from '../oidc/adapterHarness'
import { userInput } from './helpers'

const SECOND = 1_000
const MINUTE = 60 * SECOND
/** The app's inactivity timeout: the test provider's refresh-token idle lifetime (120 s). */
const INACTIVITY = 2 * MINUTE

let provider: OidcTestProvider
let clock: VirtualClock
let client: SessionClient | null = null
/** Requests the adapter has on the wire: time only moves once they are answered. */
let inFlight = 0

beforeAll(async () => {
  provider = await startOidcProvider({ redirectUris: [REDIRECT_URI] })
})
afterAll(() => provider.stop())
beforeEach(async () => {
  clock = createVirtualClock(await provider.now())
  sessionStorage.clear()
  localStorage.clear()
  landOn('/')
})
afterEach(() => {
  client?.destroy()
  client = null
})

/** The real fetch, counted until the whole body has arrived (a busy machine may deliver it late). */
const countingFetch = async (input: string | URL | Request, init?: RequestInit) => {
  inFlight++
  try {
    const response = await fetch(input, init)
    const body = await response.arrayBuffer()
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers })
  } finally {
    inFlight--
  }
}

/** Lets due timers start their requests and the adapter's real requests finish (real time), until nothing is on the wire. */
async function settle() {
  for (let quiet = 0; quiet < 5; ) {
    await clock.advanceAsync(0)
    if (inFlight === 0) quiet++
    else {
      quiet = 0
      await expect.poll(() => inFlight, { interval: 2, timeout: 5_000 }).toBe(0)
    }
    // One turn of the event loop, so real socket callbacks (the provider runs in its own process) get in: no time passes for the client.
    await new Promise((resolve) => setImmediate(resolve))
  }
}

/** Time passes for the client, the adapter and the provider, in steps, each step's requests answered. */
async function advance(ms: number, step = 5 * SECOND) {
  for (let done = 0; done < ms; done += step) {
    const chunk = Math.min(step, ms - done)
    await provider.advance(chunk)
    await clock.advanceAsync(chunk)
    await settle()
  }
}

describe('given the OIDC adapter under createSessionClient', () => {
  it('signs in from the callback, touches on input, and signs out at the inactivity deadline while getToken keeps being called', async () => {
    const navigation = recordNavigation()
    const adapter = createOidcAdapter({
      issuer: provider.issuer,
      clientId: provider.clientId,
      redirectUri: REDIRECT_URI,
      inactivityTimeout: INACTIVITY,
      clock,
      tabTransport: null,
      navigate: navigation.navigate,
      silentSignIn: false,
      fetch: countingFetch,
    })
    // The app's "Sign in" button, the provider's login form, and back.
    await adapter.signInWithRedirect({ returnTo: '/app' })
    landOn(await new ProviderBrowser(provider.issuer).signIn(navigation.last().url, 'grace.hopper'))
    client = createSessionClient({ adapter, clock, eventTarget: window, crossTab: false })
    client.mount()
    await expect.poll(() => client!.getState().status).toBe('signed-in')
    const signedInAt = clock.now()
    expect(currentPath()).toBe('/app')
    expect(client.getState().user).toMatchObject({ firstName: 'Grace', lastName: 'Hopper', identifier: 'grace.hopper@example.test' })
    expect(client.getState().deadline).toBe(signedInAt + INACTIVITY)

    // Real input 30 s in: one touch, a refresh grant at the provider, and the deadline follows.
    await advance(30 * SECOND)
    const beforeTouch = (await provider.stats()).refreshGrants
    userInput()
    await settle()
    const touchedAt = clock.now()
    expect((await provider.stats()).refreshGrants).toBe(beforeTouch + 1)
    expect(client.getState().deadline).toBe(touchedAt + INACTIVITY)

    // The user leaves; the app keeps polling its API with fresh tokens every 20 s.
    const beforeTokens = await provider.stats()
    let lastToken: string | null = null
    for (let t = 0; t < INACTIVITY - 20 * SECOND; t += 20 * SECOND) {
      lastToken = await client.getToken()
      expect(lastToken).toEqual(expect.any(String))
      expect(client.getState().deadline).toBe(touchedAt + INACTIVITY)
      await advance(20 * SECOND)
    }
    // Minting refreshed at the provider (access tokens live 60 s) but never counted as activity.
    expect((await provider.stats()).refreshGrants).toBeGreaterThan(beforeTokens.refreshGrants)
    expect(client.getState().phase).toBe('warning')

    // The deadline passes: signed out for inactivity, the refresh token revoked at the provider.
    await advance(touchedAt + INACTIVITY - clock.now())
    expect(client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'inactivity' })
    await expect(client.getToken()).resolves.toBeNull()
    await settle()
    expect((await provider.stats()).revocations).toBe(beforeTokens.revocations + 1)
    // A deadline never leaves the page: no RP-initiated logout navigation.
    expect(navigation.departures).toHaveLength(1)
  })

  it('a user who cancels at the provider lands signed out, with the error to explain it and no sign-out told to other tabs', async () => {
    const navigation = recordNavigation()
    const adapter = createOidcAdapter({
      issuer: provider.issuer,
      clientId: provider.clientId,
      redirectUri: REDIRECT_URI,
      clock,
      tabTransport: null,
      navigate: navigation.navigate,
      silentSignIn: false,
      fetch: countingFetch,
    })
    await adapter.signInWithRedirect({ returnTo: '/app' })
    // "[ Cancel ]" on the provider's login page: back with access_denied.
    landOn(await new ProviderBrowser(provider.issuer).cancel(navigation.last().url))
    // What this tab posts to the others, read off its channel.
    const posted: { type?: unknown }[] = []
    const tab = createMemoryTabHub(clock).tab()
    const recording: TabTransport = {
      locks: tab.locks,
      channel(name) {
        const channel = tab.channel(name)
        return { ...channel, postMessage: (message) => (posted.push(message as { type?: unknown }), channel.postMessage(message)) }
      },
    }
    client = createSessionClient({ adapter, clock, eventTarget: window, crossTab: recording })
    client.mount()
    await settle()
    expect(client.getState()).toMatchObject({ status: 'signed-out', session: null, signOutReason: null, phase: 'active', sessions: [] })
    expect(client.getState().error).toMatchObject({ code: 'oidc_callback_error', message: expect.stringMatching(/access_denied/) })
    expect(posted.filter((message) => message.type === 'signed-out')).toEqual([])
    // Nothing asks the provider again by itself: the answer stands until the user signs in.
    await advance(60 * SECOND)
    expect(client.getState()).toMatchObject({ status: 'signed-out', error: { code: 'oidc_callback_error' } })
    expect(navigation.departures).toHaveLength(1)
  })
})
