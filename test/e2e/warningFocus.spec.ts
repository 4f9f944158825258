import { expect, panel, signIn, test, warning } from './fixtures'

// The demo app after the signed-out notice: the signed-in page that had focus
// is gone, so focus must land somewhere a keyboard user can go on from, not
// on <body>. "Sign in again" brings it to the sign-in form's first field.

/**
 * Virtual time until the signed-out notice: the demo's 2 min of inactivity, plus one touch interval
 * (12 s): focusing the Save button is a focus event, which counts as activity.
 */
const UNTIL_SIGNED_OUT = { maxMs: 150_000, step: 5_000 }

test.describe('given the signed-out notice after inactivity (demo lifetimes: 2 min)', () => {
  test('"Sign in again" moves focus to the Email field of the sign-in form', async ({ page, time }) => {
    await page.goto('/')
    await signIn(page, 'ada@example.com', { userId: 'user_ada' })
    await page.getByRole('button', { name: 'Save', exact: true }).focus()
    await time.advanceUntil(async () => (await panel(page, 'status').textContent()) === 'signed-out', UNTIL_SIGNED_OUT)
    await expect(warning(page).getByRole('heading')).toHaveText('You have been signed out')

    await warning(page).getByRole('button', { name: 'Sign in again' }).click()
    await expect(warning(page)).toBeHidden()
    await expect(page.getByLabel('Email')).toBeFocused()
  })

  test('Escape on the notice moves focus to the main landmark', async ({ page, time }) => {
    await page.goto('/')
    await signIn(page, 'ada@example.com', { userId: 'user_ada' })
    await page.getByRole('button', { name: 'Save', exact: true }).focus()
    await time.advanceUntil(async () => (await panel(page, 'status').textContent()) === 'signed-out', UNTIL_SIGNED_OUT)
    await expect(warning(page).getByRole('heading')).toHaveText('You have been signed out')

    await page.keyboard.press('Escape')
    await expect(warning(page)).toBeHidden()
    await expect(page.getByRole('main')).toBeFocused()
  })
})
