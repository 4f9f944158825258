import type { BrowserContext, Page } from '@playwright/test'
import { axeViolations } from './fixtures'
import { callApi, expect, loginAtProvider, panel, PROVIDER_NAME, signInWithProvider, test, warning, type OidcTime } from './oidcFixtures'

// The demo app's OIDC build (createOidcAdapter) against a real oidc-provider: sign-in
// by redirect with PKCE, tokens in memory, rotating refresh tokens. The app's
// deadlines: inactivity 2 min (warning 60 s before), maximum 15 min; the provider's
// refresh idle (3 min) and session (20 min) are the backstop. Counts come from the
// provider's own events (test/oidc/server.mjs).

const TEN_MINUTES = 10 * 60_000
const LEADS = 'this tab leads'

/** Tab 1 signs in by redirect; the others open on the same browser and get the session from it. */
async function openTabs(context: BrowserContext, page: Page, count: number): Promise<Page[]> {
  await page.goto('/')
  await signInWithProvider(page)
  const tabs = [page]
  while (tabs.length < count) {
    const tab = await context.newPage()
    await tab.goto('/')
    tabs.push(tab)
  }
  for (const tab of tabs) await expect(tab.getByTestId('api-user')).toHaveText('ada.lovelace')
  return tabs
}

/** The user works in every tab: one API call per tab every 15 s of virtual time. */
async function workInEveryTab(tabs: Page[], time: OidcTime, ms: number) {
  for (let done = 0; done < ms; done += 15_000) {
    for (const tab of tabs) await callApi(tab)
    await time.advance(Math.min(15_000, ms - done))
  }
}

const isSignedOut = (page: Page) => async () => (await panel(page, 'status').textContent()) === 'signed-out'

test.describe('given the demo app signed in by an OpenID provider', () => {
  test('idle: the warning, "Stay signed in" is one refresh grant, then signed out at the deadline and the grant revoked', async ({ page, oidc, time }) => {
    await page.goto('/')
    await expect(page.getByLabel('Password')).toHaveCount(0)
    await signInWithProvider(page)
    await expect(panel(page, 'status')).toHaveText('signed-in')

    const untilWarning = await time.advanceUntil(() => warning(page).isVisible(), { maxMs: 130_000, step: 5_000 })
    // Inactivity 2 min, warning 60 s before: after about a minute of no input.
    expect(untilWarning).toBeGreaterThanOrEqual(55_000)
    expect(untilWarning).toBeLessThanOrEqual(65_000)

    const beforeClick = await oidc.provider.stats()
    await warning(page).getByRole('button', { name: 'Stay signed in' }).click()
    await expect(warning(page)).toBeHidden()
    await expect(panel(page, 'phase')).toHaveText('active')
    await time.settled()
    const afterClick = await oidc.provider.stats()
    expect(afterClick.refreshGrants - beforeClick.refreshGrants, 'refresh grants for the click').toBe(1)

    const untilSignedOut = await time.advanceUntil(isSignedOut(page), { maxMs: 130_000, step: 5_000 })
    expect(untilSignedOut).toBeGreaterThanOrEqual(115_000)
    expect(untilSignedOut).toBeLessThanOrEqual(125_000)
    await expect(panel(page, 'sign-out-reason')).toHaveText('inactivity')
    await expect(page.getByRole('button', { name: `Sign in with ${PROVIDER_NAME}` })).toBeVisible()
    // The tab signs out first and revokes after (sign-out never waits for the network): the revocation may still be on its way.
    await expect.poll(async () => (await oidc.provider.stats()).revocations, { message: 'the refresh token revoked at sign-out' }).toBe(1)
    const end = await oidc.provider.stats()
    expect(end.grantRevocations, 'the grant revoked with it').toBe(1)
    expect(end.reuseDetections).toBe(0)
  })

  test('3 tabs × 10 minutes of API calls: rotating refresh tokens, 0 reuse detections', async ({ context, page, oidc, time }, testInfo) => {
    const tabs = await openTabs(context, page, 3)
    const before = await oidc.provider.stats()

    await workInEveryTab(tabs, time, TEN_MINUTES)

    for (const tab of tabs) {
      await expect(panel(tab, 'status')).toHaveText('signed-in')
      await expect(tab.getByTestId('api-user')).toHaveText('ada.lovelace')
    }
    const after = await oidc.provider.stats()
    const grants = after.refreshGrants - before.refreshGrants
    console.log(`oidc e2e: 3 tabs × 10 min of API calls: ${grants} refresh grants, ${after.reuseDetections} reuse detections, ${after.grantErrors} grant errors`)
    await testInfo.attach('provider stats', { body: JSON.stringify({ before, after }, null, 2), contentType: 'application/json' })
    expect(after.reuseDetections).toBe(0)
    expect(after.grantErrors).toBe(0)
    // One tab refreshes for all: touches (a refresh grant each) at most one per touch interval
    // (12 s, a tenth of the 2 min timeout), and at least one per 15 s of work; mintings (a refresh
    // grant each) one per ~45 s of the 60 s access token. Per tab, it would be three times that.
    const touches = { min: TEN_MINUTES / 15_000, max: TEN_MINUTES / 12_000 + 1 }
    const mintings = { max: Math.ceil(TEN_MINUTES / 45_000) + 1 }
    expect(grants).toBeLessThanOrEqual(touches.max + mintings.max)
    expect(grants).toBeGreaterThanOrEqual(touches.min)
    const leaders = await Promise.all(tabs.map(async (tab) => (await panel(tab, 'leader').textContent()) === LEADS))
    expect(leaders.filter(Boolean)).toHaveLength(1)
  })

  test('a reload with the provider session alive signs in again silently: no password asked', async ({ page, oidc }) => {
    await page.goto('/')
    await signInWithProvider(page)
    const before = await oidc.provider.stats()

    const loginForms: string[] = []
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame() && frame.url().includes('/interaction/')) loginForms.push(frame.url())
    })
    await page.reload()

    await expect(page.getByTestId('api-user')).toHaveText('ada.lovelace')
    await expect(panel(page, 'status')).toHaveText('signed-in')
    expect(loginForms, 'the provider showed its login form').toEqual([])
    const after = await oidc.provider.stats()
    expect(after.authorizationCodeGrants - before.authorizationCodeGrants, 'one prompt=none code exchanged').toBe(1)
  })

  test('RP-initiated logout in one tab signs the other tabs out within a second', async ({ context, page, oidc }) => {
    const tabs = await openTabs(context, page, 3)

    await tabs[0]!.getByRole('button', { name: 'Sign out', exact: true }).click()
    const clickedAt = Date.now()
    for (const tab of tabs.slice(1)) {
      await expect(tab.getByRole('button', { name: `Sign in with ${PROVIDER_NAME}` })).toBeVisible({ timeout: 1_000 })
    }
    expect(Date.now() - clickedAt).toBeLessThan(1_000)
    for (const tab of tabs.slice(1)) await expect(panel(tab, 'status')).toHaveText('signed-out')

    // Tab 1 went to the provider's logout and came back to the app, signed out there too.
    await expect(tabs[0]!.getByRole('button', { name: `Sign in with ${PROVIDER_NAME}` })).toBeVisible()
    await expect.poll(async () => (await oidc.provider.stats()).endSessions).toBe(1)
    expect((await oidc.provider.stats()).revocations).toBe(1)

    // The provider's session is over: signing in again asks for the login.
    await tabs[1]!.getByRole('button', { name: `Sign in with ${PROVIDER_NAME}` }).click()
    await loginAtProvider(tabs[1]!, 'grace.hopper')
    await expect(tabs[1]!.getByTestId('api-user')).toHaveText('grace.hopper')
  })

  test.describe('with 10 minutes of inactivity allowed', () => {
    // No touch reaches the provider while it is down: with 2 min the (correct) inactivity
    // warning would come within the outage. 10 min keeps the flow about connectivity alone.
    test.use({ oidcSetup: { inactivityTimeoutMs: 10 * 60_000, ttlSeconds: { refreshToken: 11 * 60 } } })

    test('the provider down for a minute: no sign-out, the panel says offline, and recovery when it is back', async ({ page, oidc, time }) => {
      await page.goto('/')
      await signInWithProvider(page)

      await oidc.provider.setDown(true)
      for (let done = 0; done < 60_000; done += 15_000) {
        await page.mouse.move(100 + done / 1_000, 200)
        await callApi(page)
        await time.advance(15_000, { step: 5_000 })
      }
      await expect(panel(page, 'connectivity')).toHaveText('offline')
      await expect(page.getByText('The server cannot be reached. Your session is kept')).toBeVisible()
      await expect(panel(page, 'status')).toHaveText('signed-in')
      await expect(warning(page)).toBeHidden()

      await oidc.provider.setDown(false)
      await time.advanceUntil(async () => (await panel(page, 'connectivity').textContent()) === 'online', { maxMs: 60_000, step: 5_000 })
      await callApi(page)
      await expect(page.getByTestId('api-user')).toHaveText('ada.lovelace')
      await expect(page.getByText('Could not load your profile')).toBeHidden()
      await expect(panel(page, 'status')).toHaveText('signed-in')
      expect((await oidc.provider.stats()).reuseDetections).toBe(0)
    })
  })

  test('the sign-in card and the dashboard of the OIDC build: axe finds nothing', async ({ page }) => {
    await page.goto('/')
    await expect(page.getByRole('button', { name: `Sign in with ${PROVIDER_NAME}` })).toBeVisible()
    expect(await axeViolations(page)).toEqual([])
    await signInWithProvider(page)
    expect(await axeViolations(page)).toEqual([])
  })

  test('storage scan: the tokens handed out are in memory only', async ({ page, tokens, time }) => {
    // The fixture scans storage, cookies, URLs and the console after every test; this one
    // makes sure each kind of token was seen, so that scan is not vacuous.
    await page.goto('/')
    await signInWithProvider(page)
    // Past the first access token's 60 s, the user working: touches and a minting rotate the tokens.
    for (let done = 0; done < 70_000; done += 10_000) {
      await page.mouse.move(100 + done / 1_000, 200)
      await time.advance(10_000, { step: 5_000 })
    }
    await callApi(page)
    await expect(page.getByTestId('api-user')).toHaveText('ada.lovelace')
    await time.settled()
    await page.reload()
    await expect(page.getByTestId('api-user')).toHaveText('ada.lovelace')
    await time.settled()
    expect(tokens.access.size, 'access tokens seen').toBeGreaterThanOrEqual(2)
    expect(tokens.id.size, 'ID tokens seen').toBeGreaterThanOrEqual(1)
    expect(tokens.refresh.size, 'refresh tokens seen').toBeGreaterThanOrEqual(2)
  })
})
