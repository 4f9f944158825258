// Fixtures of the OpenID Connect flows (oidc*.spec.ts), modelled on fixtures.ts:
// - `oidc`: the demo app's OIDC build on a static server and a real oidc-provider
//   (test/oidc), both on free ports of 127.0.0.1, one pair per test, stopped by it;
// - `time`: moves virtual time for every page of the context and the provider together;
// - `tokens`: every token string the provider handed out (access, ID, refresh), read
//   from the token endpoint's answers; after each test none of them may sit in
//   localStorage, sessionStorage, IndexedDB, any cookie, a URL the pages visited or
//   the console, and no page may have thrown an uncaught error.
import { test as base, expect, type Page } from '@playwright/test'
import { NetworkTracker, TestTime } from './fixtures'
import { DEMO_PROVIDER_TTL, serveOidcApp } from '../../scripts/demo-oidc.mjs'
import { startOidcProvider } from '../oidc/provider.mjs'
import type { OidcProviderOptions, OidcTestProvider } from '../oidc/provider.d.mts'

export { expect }

/** What the provider's button says in these flows: "Sign in with <PROVIDER_NAME>". */
export const PROVIDER_NAME = 'the test provider'

/** The demo app's settings for one test (oidc-config.json) and the provider's lifetimes. */
export interface OidcSetup {
  /** The app's inactivity timeout (ms). Default: the demo's 2 minutes, the provider's refresh idle. */
  inactivityTimeoutMs?: number
  /** The provider's token lifetimes (s). Default: the demo's (DEMO_PROVIDER_TTL: access 60, refresh idle 180, session 1,200). */
  ttlSeconds?: OidcProviderOptions['ttlSeconds']
}

/** The app and its provider, as one test sees them. */
export interface OidcWorld {
  /** The app's origin, e.g. http://127.0.0.1:40123. */
  origin: string
  provider: OidcTestProvider
}

/**
 * Virtual time for the pages and the provider together: TestTime with the
 * provider's clock, in steps of 3 s by default, so a follower tab's heartbeat
 * watchdog (6 s) never fires just because the leader's page clock has not
 * caught up within a step.
 */
export type OidcTime = TestTime

/** The tokens the provider handed out during a test, by kind. */
export interface IssuedTokens {
  access: Set<string>
  id: Set<string>
  refresh: Set<string>
  /** Every one of them. */
  all(): string[]
}

interface Fixtures {
  oidcSetup: OidcSetup
  oidc: OidcWorld
  time: OidcTime
  tokens: IssuedTokens
  network: NetworkTracker
}

export const test = base.extend<Fixtures>({
  oidcSetup: [{}, { option: true }],

  oidc: async ({ oidcSetup }, use, testInfo) => {
    // The app's origin goes into the provider's redirect URIs, so the app listens first
    // and learns its provider once that listens.
    const config: Record<string, unknown> = { providerName: PROVIDER_NAME, inactivityTimeoutMs: oidcSetup.inactivityTimeoutMs }
    const app = await serveOidcApp({ config })
    let provider: OidcTestProvider
    try {
      provider = await startOidcProvider({
        redirectUris: [app.redirectUri],
        postLogoutRedirectUris: [app.postLogoutRedirectUri],
        ttlSeconds: { ...DEMO_PROVIDER_TTL, ...oidcSetup.ttlSeconds },
      })
    } catch (error) {
      await app.close()
      throw error
    }
    Object.assign(config, { issuer: provider.issuer, clientId: provider.clientId })
    await use({ origin: app.origin, provider })
    await Promise.all([provider.stop(), app.close()])
    if (testInfo.status !== testInfo.expectedStatus) {
      await testInfo.attach('provider output', { body: provider.output.join('\n'), contentType: 'text/plain' })
    }
  },

  baseURL: async ({ oidc }, use) => {
    await use(oidc.origin)
  },

  tokens: async ({}, use) => {
    const access = new Set<string>()
    const id = new Set<string>()
    const refresh = new Set<string>()
    await use({ access, id, refresh, all: () => [...access, ...id, ...refresh] })
  },

  network: async ({ context }, use) => {
    await use(new NetworkTracker(context))
  },

  context: async ({ context, oidc, tokens }, use) => {
    // Fake timers in every page of the context (the provider's pages too), starting at the real time.
    await context.clock.install()
    // The provider's pages load a web font: nothing leaves 127.0.0.1.
    await context.route((url) => url.hostname !== '127.0.0.1', (route) => route.abort('internetdisconnected'))

    const tokenEndpoint = `${oidc.provider.issuer}/token`
    const reading: Promise<void>[] = []
    context.on('response', (response) => {
      if (response.url() !== tokenEndpoint || response.request().method() !== 'POST') return
      reading.push(
        response.json().then(
          (body: Record<string, unknown>) => {
            if (typeof body.access_token === 'string') tokens.access.add(body.access_token)
            if (typeof body.id_token === 'string') tokens.id.add(body.id_token)
            if (typeof body.refresh_token === 'string') tokens.refresh.add(body.refresh_token)
          },
          () => undefined, // an error answer, or a page that went away: no token in it
        ),
      )
    })
    const visited: string[] = []
    const logged: string[] = []
    const pageErrors: string[] = []
    const watch = (page: Page) => {
      page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`))
      page.on('framenavigated', (frame) => visited.push(frame.url()))
      page.on('console', (message) => logged.push(message.text()))
    }
    context.pages().forEach(watch)
    context.on('page', watch)

    await use(context)

    // After every flow: tokens live in memory only.
    await Promise.all(reading)
    const issued = tokens.all()
    const places: Record<string, string> = {
      'a URL the pages visited': visited.join('\n'),
      'the console': logged.join('\n'),
      'a cookie': (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('\n'),
    }
    for (const page of context.pages()) {
      if (page.isClosed() || !page.url().startsWith('http')) continue
      const found = await page.evaluate(readStorage).catch((error: Error) => ({ unreadable: error.message }))
      for (const [place, text] of Object.entries(found)) places[`${place} of ${page.url()}`] = text
    }
    for (const [place, text] of Object.entries(places)) {
      expect(issued.filter((token) => text.includes(token)).length, `tokens in ${place}`).toBe(0)
    }
    expect(pageErrors, 'uncaught errors in the page').toEqual([])
  },

  time: async ({ context, oidc, network }, use) => {
    await use(new TestTime(context, { advanceClock: (ms) => oidc.provider.advance(ms) }, network, 3_000))
  },
})

/** Everything a script on the page can read and keep: web storage, IndexedDB, document.cookie, its URL. */
export async function readStorage(): Promise<Record<string, string>> {
  const dump = (storage: Storage) =>
    Array.from({ length: storage.length }, (_, i) => `${storage.key(i)}=${storage.getItem(storage.key(i)!)}`).join('\n')
  const databases: string[] = []
  for (const { name } of await indexedDB.databases()) {
    if (!name) continue
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(name)
      open.onsuccess = () => resolve(open.result)
      open.onerror = () => reject(open.error)
    })
    for (const store of Array.from(db.objectStoreNames)) {
      const all = db.transaction(store).objectStore(store).getAll()
      const rows = await new Promise<unknown[]>((resolve, reject) => {
        all.onsuccess = () => resolve(all.result)
        all.onerror = () => reject(all.error)
      })
      databases.push(`${name}/${store}: ${JSON.stringify(rows)}`)
    }
    db.close()
  }
  return {
    localStorage: dump(localStorage),
    sessionStorage: dump(sessionStorage),
    IndexedDB: databases.join('\n'),
    'document.cookie': document.cookie,
    URL: location.href,
  }
}

// ---- page helpers ---------------------------------------------------------------

/** The provider's dev login form: any login, any password. */
export async function loginAtProvider(page: Page, login: string): Promise<void> {
  await page.getByPlaceholder('Enter any login').fill(login)
  await page.getByPlaceholder('and password').fill('any password')
  await page.getByRole('button', { name: 'Sign-in' }).click()
}

/** Signs in by redirect: the app's one button, the provider's form, back to the dashboard showing what userinfo answered. */
export async function signInWithProvider(page: Page, login = 'ada.lovelace'): Promise<void> {
  await page.getByRole('button', { name: `Sign in with ${PROVIDER_NAME}` }).click()
  await loginAtProvider(page, login)
  await expect(page.getByTestId('api-user')).toHaveText(login)
}

/** The inactivity warning (and signed-out notice) of a page. */
export const warning = (page: Page) => page.getByRole('alertdialog')

/** One of the session panel's fields. */
export const panel = (page: Page, field: 'status' | 'phase' | 'reason' | 'connectivity' | 'leader' | 'last-error' | 'sign-out-reason') =>
  page.getByTestId(field)

/** Clicks the dashboard's button: one userinfo call with the access token. */
export const callApi = (page: Page) => page.getByRole('button', { name: 'Call the API again' }).click()
