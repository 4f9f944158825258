import { axeViolations as violations, expect, signIn, test, warning } from './fixtures'

test('the demo app has no axe violations: sign-in, dashboard, warning', async ({ page, time }) => {
  await page.goto('/')
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
  expect(await violations(page)).toEqual([])

  await signIn(page, 'ada@example.com', { userId: 'user_ada' })
  await page.getByRole('button', { name: 'Add account' }).click()
  await expect(page.getByRole('heading', { name: 'Add an account' })).toBeVisible()
  expect(await violations(page)).toEqual([])
  await page.getByRole('button', { name: 'Cancel' }).click()

  await time.advanceUntil(() => warning(page).isVisible(), { maxMs: 125_000 })
  await expect(warning(page).getByRole('button', { name: 'Stay signed in' })).toBeFocused()
  expect(await violations(page)).toEqual([])
})
