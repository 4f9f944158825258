// Drives the OIDC adapter through a whole sign-in in a jsdom test: the
// adapter leaves for the provider (recorded, since jsdom cannot navigate),
// a ProviderBrowser signs in there over real HTTP, and the page "lands" on
// the callback URL the provider redirected to.
import type { AdapterResponse } from '../../src/core/adapter'
import type { ClientResource } from '../../src/core/resources'
import type { OidcAdapter } from '../../src/adapters/oidc'
import { ProviderBrowser } from './browser'

/** The app's origin in the unit tests (jsdom's default URL) and its callback. */
export const APP_ORIGIN = 'http://localhost:3000'
export const REDIRECT_URI = `${APP_ORIGIN}/callback`
export const POST_LOGOUT_REDIRECT_URI = `${APP_ORIGIN}/signed-out`

/** One page leaving for the provider. */
export interface Departure {
  url: string
}

/** Stands in for the browser's navigation: records where the page would go. */
export function recordNavigation() {
  const departures: Departure[] = []
  return {
    departures,
    navigate: (url: string) => {
      departures.push({ url })
    },
    /** The last departure, failing the test when the page never left. */
    last(): Departure {
      const departure = departures.at(-1)
      if (!departure) throw new Error('the adapter never left the page for the provider')
      return departure
    },
  }
}

/** Puts the page at `url` (same origin), as a redirect back from the provider would. */
export function landOn(url: string) {
  history.replaceState(null, '', new URL(url, APP_ORIGIN).href)
}

/** Where the page is now, as a path (what the address bar shows after the adapter cleaned it). */
export function currentPath(): string {
  return `${location.pathname}${location.search}${location.hash}`
}

/**
 * Signs in through the provider: signInWithRedirect, the provider's login
 * form for `login`, back to the callback, and getClient reading the answer.
 */
export async function signInThroughProvider(
  adapter: OidcAdapter,
  navigation: ReturnType<typeof recordNavigation>,
  browser: ProviderBrowser,
  { login = 'ada.lovelace', returnTo = '/home' }: { login?: string; returnTo?: string } = {},
): Promise<AdapterResponse<ClientResource>> {
  await adapter.signInWithRedirect({ returnTo })
  const callback = await browser.signIn(navigation.last().url, login)
  landOn(callback)
  return adapter.getClient()
}

/** The active session of a client answer, failing the test when there is none. */
export function activeSession(client: ClientResource) {
  const session = client.sessions.find((s) => s.id === client.lastActiveSessionId)
  if (!session) throw new Error(`no active session in ${JSON.stringify(client)}`)
  return session
}

export { ProviderBrowser }

/**
 * A fetch that passes everything to the real one and notes the refresh
 * tokens the provider hands out (as a network inspector would): tests use
 * them to act at the provider the way another party could, e.g. revoke.
 */
export function tokenWiretap() {
  const refreshTokens: string[] = []
  return {
    refreshTokens,
    latestRefreshToken(): string {
      const token = refreshTokens.at(-1)
      if (!token) throw new Error('the provider handed out no refresh token yet')
      return token
    },
    fetch: async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const response = await fetch(input, init)
      const url = String(input instanceof Request ? input.url : input)
      if (url.endsWith('/token') && response.ok) {
        const body = (await response.clone().json()) as { refresh_token?: string }
        if (body.refresh_token) refreshTokens.push(body.refresh_token)
      }
      return response
    },
  }
}

/** Revokes a refresh token at the provider (RFC 7009), as an admin console or another client could. */
export async function revokeAtProvider(issuer: string, clientId: string, refreshToken: string) {
  const response = await fetch(`${issuer}/token/revocation`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: clientId, token: refreshToken, token_type_hint: 'refresh_token' }),
  })
  if (response.status !== 200) throw new Error(`revocation answered ${response.status}`)
}
