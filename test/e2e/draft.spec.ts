import { expect, panel, signIn, test, warning } from './fixtures'

// beforeSignOut in the demo: the draft note is saved only with Save or by
// beforeSignOut, so finding it after signing in again means the client ran it
// before ending the session at the maximum lifetime.

test.describe('given a maximum lifetime of 3 minutes and no inactivity limit', () => {
  test.use({ serverEnv: { SESSIONKIT_MAX_LIFETIME: '3m', SESSIONKIT_INACTIVITY_TIMEOUT: 'off' } })

  test('a draft saved by beforeSignOut at the maximum lifetime is there after signing in again', async ({ page, time }) => {
    await page.goto('/')
    await signIn(page, 'ada@example.com', { userId: 'user_ada' })
    const note = page.getByRole('textbox', { name: 'Note' })
    await note.fill('Ideas for the analytical engine:')
    await expect(page.getByTestId('draft-status')).toHaveText('Not saved yet.')

    // The warning says the session cannot be extended and asks to save; "Keep working" returns to the note.
    await time.advanceUntil(() => warning(page).isVisible(), { maxMs: 125_000, step: 5_000 })
    await expect(warning(page)).toContainText('cannot be extended. Save your work')
    await warning(page).getByRole('button', { name: 'Keep working' }).click()
    // Typed keys, not fill(): what a user adds after the warning must reach beforeSignOut too.
    await note.click()
    await page.keyboard.press('End')
    await page.keyboard.type(' loops, and poetry.')
    await expect(note).toHaveValue('Ideas for the analytical engine: loops, and poetry.')

    await time.advanceUntil(async () => (await panel(page, 'status').textContent()) === 'signed-out', { maxMs: 65_000 })
    await expect(warning(page)).toContainText('maximum length')
    await warning(page).getByRole('button', { name: 'Sign in again' }).click()

    await signIn(page, 'ada@example.com', { userId: 'user_ada' })
    await expect(page.getByRole('textbox', { name: 'Note' })).toHaveValue('Ideas for the analytical engine: loops, and poetry.')
    await expect(page.getByTestId('draft-status')).toContainText('Saved as the session reached its maximum length')
  })

  test("another user's draft is their own", async ({ page }) => {
    await page.goto('/')
    await signIn(page, 'ada@example.com', { userId: 'user_ada' })
    await page.getByRole('textbox', { name: 'Note' }).fill('Ada only')
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await page.getByRole('banner').getByRole('button', { name: 'Sign out', exact: true }).click()
    await signIn(page, 'alan@example.com', { userId: 'user_alan' })
    await expect(page.getByRole('textbox', { name: 'Note' })).toHaveValue('')
  })
})
