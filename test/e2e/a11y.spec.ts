import { createRequire } from 'node:module'
import type { Page } from '@playwright/test'
import { expect, signIn, test, warning } from './fixtures'

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js')

/** axe-core's WCAG 2 A/AA rules on the page as it stands; returns one line per violation. */
async function violations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath })
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)
  })
}

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
