import type { Page, Route } from '@playwright/test'
import { expect, panel, signIn, test, warning, type TestTime } from './fixtures'

/** Time passes while the user keeps working (moving the mouse every 5 s). */
async function busy(page: Page, time: TestTime, ms: number) {
  for (let done = 0; done < ms; done += 5_000) {
    await page.mouse.move(100 + ((done / 5_000) % 7) * 60, 120 + ((done / 5_000) % 5) * 40)
    await time.advance(Math.min(5_000, ms - done))
  }
}

const callApi = (page: Page) => page.getByRole('button', { name: 'Call the API again' }).click()

test.describe('given a flaky network', () => {
  // No touch reaches the server while the network is cut, and the pages' clocks also run in
  // real time: with the demo's 2 min, a slow machine would see the (correct) inactivity
  // warning before the test looks. 10 min keeps the flow about connectivity alone.
  test.describe('with 10 min of inactivity allowed', () => {
    test.use({ serverEnv: { SESSIONKIT_INACTIVITY_TIMEOUT: '10m' } })

    test('a network cut during token refresh keeps the session, and the app recovers when it is back', async ({ page, time }) => {
      await page.goto('/')
      await signIn(page, 'ada@example.com', { userId: 'user_ada' })
      await busy(page, time, 20_000)
      await callApi(page) // uses the token, so it is refreshed in the background before it goes stale

      let refreshesCut = 0
      await page.route('**/v1/**', (route) => {
        if (route.request().url().endsWith('/tokens')) refreshesCut++
        return route.abort('internetdisconnected')
      })
      await busy(page, time, 40_000) // past the refresh (~45 s) and the token's serving limit (~50 s)
      await callApi(page)
      await time.advance(10_000)

      expect(refreshesCut).toBeGreaterThan(0)
      await expect(panel(page, 'connectivity')).toHaveText('offline')
      await expect(page.getByText('The server cannot be reached. Your session is kept')).toBeVisible()
      await expect(panel(page, 'status')).toHaveText('signed-in')
      await expect(warning(page)).toBeHidden()

      await page.unroute('**/v1/**')
      await busy(page, time, 30_000) // queued retries (backoff) reach the server again
      await callApi(page)
      await time.advance(2_000)
      await expect(panel(page, 'connectivity')).toHaveText('online')
      await expect(page.getByTestId('api-user')).toHaveText('user_ada')
      await expect(page.getByText('Could not load your profile')).toBeHidden()
      await expect(panel(page, 'status')).toHaveText('signed-in')
    })
  })

  test('5xx answers while minting are retried, not a sign-out', async ({ page, time, server, sentTokens }) => {
    await page.goto('/')
    await signIn(page, 'ada@example.com', { userId: 'user_ada' })

    let failures = 0
    let successes = 0
    await page.route('**/v1/client/sessions/*/tokens', async (route) => {
      if (failures < 2) {
        failures++
        return route.fulfill({
          status: 500,
          contentType: 'application/json',
          body: JSON.stringify({ errors: [{ code: 'server_error', message: 'Injected failure.' }], serverNow: Date.now() }),
        })
      }
      successes++
      return route.continue()
    })
    await busy(page, time, 55_000) // the token stops being served at ~50 s
    await callApi(page)
    await time.advance(8_000) // the adapter's backoff between attempts runs on the page's clock

    expect(failures).toBe(2)
    expect(successes).toBeGreaterThanOrEqual(1)
    await expect(page.getByTestId('api-user')).toHaveText('user_ada')
    await expect(panel(page, 'status')).toHaveText('signed-in')
    await expect(panel(page, 'connectivity')).toHaveText('online')
    expect((await server.stats()).tokenMints).toBeGreaterThanOrEqual(2)
    expect(sentTokens.size, 'the API was called with the token minted after the retries').toBeGreaterThanOrEqual(2)
  })

  test('a malformed answer shows an error, and the page stays usable', async ({ page, time }) => {
    await page.goto('/')
    await signIn(page, 'ada@example.com', { userId: 'user_ada' })

    // The session service answers garbage on load.
    await page.route('**/v1/client', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: '{"data": {"sessions": "oops"' }),
    )
    await page.reload()
    const loadError = page.getByRole('alert').filter({ hasText: 'Could not load your session' })
    await expect(loadError).toBeVisible()
    await page.unroute('**/v1/client')
    await loadError.getByRole('button', { name: 'Try again' }).click()
    await expect(page.getByTestId('api-user')).toHaveText('user_ada')

    // A token answer that is not JSON at all.
    await page.route('**/v1/client/sessions/*/tokens', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: '<html>surprise</html>' }),
    )
    await busy(page, time, 55_000)
    // Any answer from the server clears the panel's "last error": hold the touches (a
    // click is input) while it is read, so a touch landing meanwhile cannot hide it.
    const heldTouches: Route[] = []
    await page.route('**/v1/client/sessions/*/touch', (route) => void heldTouches.push(route))
    await callApi(page)
    // sessionRetry does not retry a malformed answer (it is not a network failure): the error shows at once.
    await expect(page.getByRole('alert').filter({ hasText: 'Could not load your profile' })).toBeVisible()
    // The demo is a production build: the short production sentence, not the development explanation ("… not JSON …").
    await expect(panel(page, 'last-error')).toHaveText('Unexpected server answer.')
    await expect(panel(page, 'status')).toHaveText('signed-in')
    await page.unroute('**/v1/client/sessions/*/touch')
    for (const route of heldTouches) await route.continue()

    await page.unroute('**/v1/client/sessions/*/tokens')
    await callApi(page)
    await expect(page.getByTestId('api-user')).toHaveText('user_ada')
  })
})
