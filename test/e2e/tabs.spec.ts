import type { BrowserContext, Page } from '@playwright/test'
import { expect, panel, signIn, test, warning, type TestTime } from './fixtures'

// Several pages of one browser context are tabs of one browser: one cookie jar,
// one BroadcastChannel, one Web Lock. Their fake clocks are moved together by
// `time` (see fixtures.ts).

const callApi = (tab: Page) => tab.getByRole('button', { name: 'Call the API again' }).click()
const LEADS = 'this tab leads'

/** Tab 1 signs in; tabs 2 and 3 open on the same browser and are signed in at once. */
async function threeTabs(context: BrowserContext, page: Page): Promise<Page[]> {
  await page.goto('/')
  await signIn(page, 'ada@example.com', { userId: 'user_ada' })
  const tabs = [page]
  for (let i = 0; i < 2; i++) {
    const tab = await context.newPage()
    await tab.goto('/')
    tabs.push(tab)
  }
  for (const tab of tabs) await expect(tab.getByTestId('api-user')).toHaveText('user_ada')
  return tabs
}

/** The user works in every tab: one API call per tab every 15 s of virtual time. */
async function workInEveryTab(tabs: Page[], time: TestTime, ms: number) {
  for (let done = 0; done < ms; done += 15_000) {
    for (const tab of tabs) await callApi(tab)
    await time.advance(Math.min(15_000, ms - done))
  }
}

/** Requests the app made (the test's own clock and stats calls left out). */
const appRequests = (routes: Record<string, number>) =>
  Object.entries(routes).filter(([name]) => !name.includes(' /__test/')).reduce((sum, [, n]) => sum + n, 0)

const leaderFlags = (tabs: Page[]) => Promise.all(tabs.map(async (tab) => (await panel(tab, 'leader').textContent()) === LEADS))

test.describe('given three tabs of one browser', () => {
  test('one tab refreshes for all: about one token mint per 45 s over 10 minutes of work in every tab', async ({ context, page, server, time }, testInfo) => {
    const tabs = await threeTabs(context, page)
    await server.resetStats()

    const TEN_MINUTES = 10 * 60_000
    await workInEveryTab(tabs, time, TEN_MINUTES)

    for (const tab of tabs) {
      await expect(panel(tab, 'status')).toHaveText('signed-in')
      await expect(tab.getByTestId('api-user')).toHaveText('user_ada')
    }
    const stats = await server.stats()
    await testInfo.attach('server stats', { body: JSON.stringify(stats, null, 2), contentType: 'application/json' })
    expect(stats.routes['GET /api/me']).toBeGreaterThanOrEqual(3 * (TEN_MINUTES / 15_000))
    // 60 s tokens served until 10 s before expiry and refreshed 5 s before that: one per 45 s, for all tabs together.
    expect(stats.tokenMints).toBeLessThanOrEqual(Math.ceil(TEN_MINUTES / 45_000) + 1)
    expect(stats.tokenMints).toBeGreaterThanOrEqual(Math.floor(TEN_MINUTES / 60_000))
    // Touches: at most one per touch interval (a tenth of the 2 min inactivity timeout), not one per tab.
    expect(stats.touches).toBeLessThanOrEqual(Math.floor(TEN_MINUTES / 12_000) + 1)
    expect((await leaderFlags(tabs)).filter(Boolean)).toHaveLength(1)
  })

  test('idle in every tab: one warning per tab, and "Stay signed in" in tab 2 closes them all', async ({ context, page, time }) => {
    const tabs = await threeTabs(context, page)

    await time.advanceUntil(async () => (await Promise.all(tabs.map((tab) => warning(tab).isVisible()))).every(Boolean), {
      maxMs: 130_000,
    })
    for (const tab of tabs) {
      await expect(warning(tab)).toHaveCount(1)
      await expect(warning(tab).getByRole('heading')).toHaveText('Your session is about to expire')
    }

    await warning(tabs[1]!).getByRole('button', { name: 'Stay signed in' }).click()
    for (const tab of tabs) {
      await expect(warning(tab)).toBeHidden()
      await expect(panel(tab, 'phase')).toHaveText('active')
    }
  })

  test('signing out in tab 1 signs tabs 2 and 3 out within a second', async ({ context, page }) => {
    const tabs = await threeTabs(context, page)

    await tabs[0]!.getByRole('button', { name: 'Sign out', exact: true }).click()
    const clickedAt = Date.now()
    for (const tab of tabs.slice(1)) {
      await expect(tab.getByRole('heading', { name: 'Sign in' })).toBeVisible({ timeout: 1_000 })
    }
    expect(Date.now() - clickedAt).toBeLessThan(1_000)
    for (const tab of tabs) await expect(panel(tab, 'status')).toHaveText('signed-out')
  })

  test('closing the refreshing tab hands over to another, without a burst of requests', async ({ context, page, server, time }) => {
    const tabs = await threeTabs(context, page)
    await workInEveryTab(tabs, time, 30_000)

    const flags = await leaderFlags(tabs)
    expect(flags.filter(Boolean)).toHaveLength(1)
    const leader = tabs[flags.indexOf(true)]!
    const rest = tabs.filter((tab) => tab !== leader)

    await server.resetStats()
    await leader.close()
    // The browser frees the closed tab's Web Lock: one of the others takes it.
    await expect.poll(async () => (await leaderFlags(rest)).filter(Boolean).length).toBe(1)

    await time.advance(5_000)
    const afterHandover = await server.stats()
    expect(appRequests(afterHandover.routes), JSON.stringify(afterHandover.routes)).toBeLessThanOrEqual(2)

    await workInEveryTab(rest, time, 60_000)
    const minute = await server.stats()
    expect(minute.tokenMints, JSON.stringify(minute.routes)).toBeLessThanOrEqual(3)
    expect(minute.routes['GET /v1/client'] ?? 0).toBeLessThanOrEqual(1)
    for (const tab of rest) {
      await expect(panel(tab, 'status')).toHaveText('signed-in')
      await expect(tab.getByTestId('api-user')).toHaveText('user_ada')
    }
    expect((await leaderFlags(rest)).filter(Boolean)).toHaveLength(1)
  })
})
