import type { Page } from '@playwright/test'
import type { DemoServer } from './server'
import { axeViolations, expect, panel, PASSWORD, signIn, test, type TestTime } from './fixtures'

// Step-up reverification: `GET /api/sensitive` answers 403 `reverification_required`
// unless a factor was verified in the last 10 minutes (Clerk's `strict`). Alan has no
// second factor, so the demo's <ReverificationDialog /> asks for his password.

const MINUTE = 60_000
const VERIFY = 'POST /v1/client/sessions/:id/verify'
const SENSITIVE = 'GET /api/sensitive'

const runSensitive = (page: Page) => page.getByRole('button', { name: 'Run sensitive action' })
/** The `<p role="status">` under the button. */
const result = (page: Page) => page.getByTestId('sensitive-result')
const dialog = (page: Page) => page.getByRole('dialog', { name: 'Confirm it’s you' })

/**
 * Moves time (pages and server) until the server's clock reads `at`. The
 * server's test clock also runs in real time, so this moves it by fewer
 * virtual ms than `at - now`: a freshness window measured on the server is
 * then hit to the second, however long the steps took.
 */
async function advanceServerTo(time: TestTime, server: DemoServer, at: number): Promise<void> {
  for (let left = at - (await server.clockNow()); left > 0; left = at - (await server.clockNow())) {
    await time.advance(Math.min(left, 5_000), { step: 5_000 })
  }
}

test.describe('given a session that outlives the flow (1 h inactivity, 2 h max)', () => {
  test.use({ serverEnv: { SESSIONKIT_INACTIVITY_TIMEOUT: '1h', SESSIONKIT_MAX_LIFETIME: '2h' } })

  test('asks for the password once, then the action runs without asking for 10 minutes', async ({ page, server, time }) => {
    await page.goto('/')
    await signIn(page, 'alan@example.com', { userId: 'user_alan' })

    // The sign-in's password is 10 minutes old: `strict` wants a newer one. (One tab: 5 s steps are fine.)
    await time.advance(10 * MINUTE, { step: 5_000 })
    await runSensitive(page).click()
    await expect(dialog(page)).toBeVisible()
    const password = dialog(page).getByLabel('Password')
    await expect(password).toBeFocused()
    await expect(result(page)).toHaveText('Running the sensitive action…')
    expect(await axeViolations(page)).toEqual([])

    const verifiedNoEarlierThan = await server.clockNow()
    await password.fill(PASSWORD)
    await password.press('Enter')
    await expect(dialog(page)).toBeHidden()
    await expect(result(page)).toHaveText('Sensitive action allowed: you verified recently. Password entered less than a minute ago.')
    await expect(runSensitive(page)).toBeFocused() // the dialog gives focus back

    // 9 min 59 s after the password, as the server counts: still fresh, no dialog.
    await advanceServerTo(time, server, verifiedNoEarlierThan + 9 * MINUTE + 59_000)
    await runSensitive(page).click()
    await expect(result(page)).toHaveText('Sensitive action allowed: you verified recently. Password entered 9 min ago.')
    await expect(dialog(page)).toHaveCount(0)

    const { routes } = await server.stats()
    expect(routes[VERIFY], 'verify calls').toBe(1)
    expect(routes[SENSITIVE], 'refused once, then allowed twice').toBe(3)
    await expect(panel(page, 'status')).toHaveText('signed-in')
  })

  test('a wrong password is refused inline; Cancel and Escape reject the action, and the app carries on', async ({ page, server, time }) => {
    await page.goto('/')
    await signIn(page, 'alan@example.com', { userId: 'user_alan' })
    await time.advance(10 * MINUTE, { step: 5_000 })

    await runSensitive(page).click()
    const password = dialog(page).getByLabel('Password')
    await expect(password).toBeFocused()
    await password.fill('not-the-password')
    await password.press('Enter')
    await expect(dialog(page).getByRole('alert')).toHaveText('That password is not right. Try again.')
    await expect(password).toBeFocused()
    await expect(password).toHaveValue('')
    await expect(password).toHaveAttribute('aria-invalid', 'true')
    await expect(dialog(page)).toBeVisible()

    await dialog(page).getByRole('button', { name: 'Cancel' }).click()
    await expect(dialog(page)).toBeHidden()
    await expect(result(page)).toHaveText('Cancelled: you did not confirm it was you, so the action did not run.')
    await expect(runSensitive(page)).toBeFocused()

    // Asked again from scratch (empty field, no error); Escape gives up too.
    await runSensitive(page).click()
    await expect(dialog(page).getByLabel('Password')).toBeFocused()
    await expect(dialog(page).getByLabel('Password')).toHaveValue('')
    await expect(dialog(page).getByRole('alert')).toHaveText('')
    await page.keyboard.press('Escape')
    await expect(dialog(page)).toBeHidden()
    await expect(result(page)).toHaveText('Cancelled: you did not confirm it was you, so the action did not run.')

    // Nothing broke: still signed in, the API still answers.
    await page.getByRole('button', { name: 'Call the API again' }).click()
    await expect(page.getByTestId('api-user')).toHaveText('user_alan')
    await expect(panel(page, 'status')).toHaveText('signed-in')
    const { routes } = await server.stats()
    expect(routes[VERIFY], 'only the wrong password was sent').toBe(1)
    expect(routes[SENSITIVE], 'refused twice, never allowed').toBe(2)
  })
})
