// Token grants a signed-in app asks of a real OpenID provider per 10 minutes
// of API use, for 1 and 3 tabs: the demo app's OIDC build in Chromium against
// oidc-provider (test/oidc), as the OIDC e2e flows run it. Every tab gets
// input and calls the API (the provider's userinfo, with the access token)
// every 5 s, tabs staggered, as bench/network.mjs schedules sessionkit's
// tabs (without its tab switches). Time is virtual: Playwright's clock in the
// pages (paused) and the provider's clock move together in 1 s steps, each
// step once the pages' requests settled. Counts are the provider's own (grant events).
import { chromium } from 'playwright'
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs'
import { DEMO_PROVIDER_TTL, serveOidcApp } from '../scripts/demo-oidc.mjs'
import { startOidcProvider } from '../test/oidc/provider.mjs'

const SECOND = 1_000
/** Every tab gets input and calls the API this often. */
const API_EVERY_MS = 5 * SECOND
const API_MINUTES = 10
const PROVIDER_NAME = 'the test provider'

/**
 * The app's inactivity timeout, and the provider's refresh idle a minute longer (the backstop):
 * the demo's 2 minutes (a touch per 12 s of activity), and bench/network.mjs's 10 minutes (one per 60 s).
 */
export const OIDC_POLICIES = [
  { id: 'demo', label: 'demo policy (2 min inactivity: touch interval 12 s)', inactivityTimeoutMs: 2 * 60 * SECOND },
  { id: 'short', label: '10-min inactivity timeout (touch interval 60 s)', inactivityTimeoutMs: 10 * 60 * SECOND },
]

/** Requests of a context in flight, so time moves only once the pages heard back. */
function trackNetwork(context) {
  const pending = new Set()
  let waiters = []
  context.on('request', (request) => pending.add(request))
  const done = (request) => {
    pending.delete(request)
    if (pending.size === 0) for (const wake of waiters.splice(0)) wake()
  }
  context.on('requestfinished', done)
  context.on('requestfailed', done)
  return {
    idle: (guardMs = 5_000) =>
      pending.size === 0
        ? Promise.resolve()
        : new Promise((resolve) => {
            const guard = setTimeout(resolve, guardMs)
            waiters.push(() => (clearTimeout(guard), resolve()))
          }),
  }
}

/** Waits (real time) until `check` answers true, polling; throws after `timeoutMs`. */
async function until(check, what, timeoutMs = 15_000) {
  const end = Date.now() + timeoutMs
  while (!(await check().catch(() => false))) {
    if (Date.now() > end) throw new Error(`oidc grants: ${what} did not happen within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

const apiUser = (page) => page.evaluate(() => document.querySelector('[data-testid="api-user"]')?.textContent ?? null)

/** Opens `tabCount` tabs of one browser, tab 1 signed in through the provider's login form. */
async function openTabs(context, origin, tabCount) {
  const first = await context.newPage()
  await first.goto(`${origin}/`)
  await first.getByRole('button', { name: `Sign in with ${PROVIDER_NAME}` }).click()
  await first.getByPlaceholder('Enter any login').fill('ada.lovelace')
  await first.getByPlaceholder('and password').fill('any password')
  await first.getByRole('button', { name: 'Sign-in' }).click()
  await until(async () => (await apiUser(first)) === 'ada.lovelace', 'the sign-in')
  const tabs = [first]
  while (tabs.length < tabCount) {
    const tab = await context.newPage()
    await tab.goto(`${origin}/`)
    await until(async () => (await apiUser(tab)) === 'ada.lovelace', `tab ${tabs.length + 1} signed in`)
    tabs.push(tab)
  }
  return tabs
}

/** One run: a fresh provider, app server and browser context; answers the provider's counts. */
async function measure(browser, tabCount, policy) {
  const config = { providerName: PROVIDER_NAME, inactivityTimeoutMs: policy.inactivityTimeoutMs }
  const app = await serveOidcApp({ config })
  const provider = await startOidcProvider({
    redirectUris: [app.redirectUri],
    postLogoutRedirectUris: [app.postLogoutRedirectUri],
    ttlSeconds: { ...DEMO_PROVIDER_TTL, refreshToken: policy.inactivityTimeoutMs / SECOND + 60 },
  })
  Object.assign(config, { issuer: provider.issuer, clientId: provider.clientId })
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } })
  try {
    await context.clock.install()
    await context.route((url) => url.hostname !== '127.0.0.1', (route) => route.abort('internetdisconnected'))
    const network = trackNetwork(context)
    const tabs = await openTabs(context, app.origin, tabCount)
    await network.idle()
    const opened = await provider.stats()
    // From here on only the steps move time, in the pages and at the provider alike: with
    // the clocks also running in real time, a slow machine would see ten minutes grow into
    // fifteen and reach the maximum lifetime.
    let now = Math.max(await provider.now(), await tabs[0].evaluate(() => Date.now())) + SECOND
    await context.clock.pauseAt(now)
    await provider.setNow(now)
    let clicks = 0
    let apiCalls = 0
    const userinfo = `${provider.issuer}/me`
    context.on('request', (request) => {
      if (request.url() === userinfo && request.method() === 'GET') apiCalls++
    })
    for (let t = 0; t < API_MINUTES * 60 * SECOND; t += SECOND) {
      for (const [i, tab] of tabs.entries()) {
        const offset = Math.floor((i * API_EVERY_MS) / tabCount / SECOND) * SECOND
        if (t % API_EVERY_MS !== offset) continue
        // Real input through the browser (activity), and a userinfo call with the access token.
        // `force`: Playwright's wait for a stable element needs animation frames, which the
        // paused clock holds back (about 0.5 s a click in a background tab).
        await tab.getByRole('button', { name: 'Call the API again' }).click({ force: true })
        clicks++
      }
      await network.idle()
      now += SECOND
      await provider.setNow(now)
      await context.clock.runFor(SECOND)
    }
    await network.idle()
    const after = await provider.stats()
    const signedIn = await Promise.all(tabs.map(async (tab) => (await apiUser(tab)) === 'ada.lovelace'))
    return {
      policy: policy.id,
      tabs: tabCount,
      clicks,
      apiCalls,
      opening: { codeGrants: opened.authorizationCodeGrants, refreshGrants: opened.refreshGrants },
      refreshGrants: after.refreshGrants - opened.refreshGrants,
      codeGrants: after.authorizationCodeGrants - opened.authorizationCodeGrants,
      reuseDetections: after.reuseDetections,
      grantErrors: after.grantErrors,
      signedIn: signedIn.every(Boolean),
    }
  } finally {
    await context.close()
    await Promise.all([provider.stop(), app.close()])
  }
}

/** Grants per 10 minutes of API use for each policy and tab count (the app's OIDC build must exist). */
export async function measureOidcGrants({ tabCounts = [1, 3], policies = OIDC_POLICIES, log = () => {} } = {}) {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs })
  try {
    const results = []
    const runs = policies.flatMap((policy) => tabCounts.map((tabCount) => ({ policy, tabCount })))
    for (const { policy, tabCount } of runs) {
      const started = performance.now()
      const result = await measure(browser, tabCount, policy)
      log(
        `  oidc grants, ${policy.id}, ${tabCount} tab(s): ${result.refreshGrants} refresh grants, ${result.reuseDetections} reuse detections, ` +
          `${result.apiCalls} userinfo calls for ${result.clicks} clicks (${((performance.now() - started) / 1000).toFixed(1)} s)`,
      )
      results.push(result)
    }
    return results
  } finally {
    await browser.close()
  }
}
