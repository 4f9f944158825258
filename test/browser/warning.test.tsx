import '../../src/react/styles.css'
import { act, screen } from '@testing-library/react'
import axe from 'axe-core'
import { describe, expect, it } from 'vitest'
import { page, userEvent } from 'vitest/browser'
import { createWorld, MAX_LIFETIME_POLICY, renderWithSession, SECOND, type World } from '../unit/react/harness'
import { WarningPage } from './pages'

// Real Chromium: the native <dialog>, its top layer, focus and Escape as the
// browser does them, and axe-core on the real layout and styles.
// Tab, Shift+Tab and Enter right after opening: dialogKeyboard.test.tsx.

const dialog = () => document.querySelector('dialog')!

async function renderPage(world: World) {
  const result = await renderWithSession(world, <WarningPage />)
  ;(await page.getByRole('button', { name: 'Edit document' }).element() as HTMLElement).focus()
  return result
}

async function expectNoViolations(context: Element) {
  // The dialog fades in over 160 ms; judge contrast on where it ends, now.
  for (const animation of document.getAnimations()) animation.finish()
  const { violations } = await axe.run(context)
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
}

describe('given an open warning in Chromium', () => {
  it('is modal in the top layer and focuses Stay signed in', async () => {
    const world = createWorld()
    await renderPage(world)
    await world.advanceToBeforeDeadline(60 * SECOND)
    expect(dialog().open).toBe(true)
    expect(dialog().matches(':modal')).toBe(true)
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Stay signed in' }))
    await expect.element(page.getByRole('alertdialog', { name: 'Your session is about to expire' })).toBeVisible()
  })

  it('treats Escape as Stay signed in, closes and returns focus', async () => {
    const world = createWorld()
    await renderPage(world)
    await world.advanceToBeforeDeadline(60 * SECOND)
    const deadline = world.client.getState().deadline!
    await userEvent.keyboard('{Escape}')
    await world.advance(0)
    expect(dialog().open).toBe(false)
    expect(world.client.getState().deadline).toBeGreaterThan(deadline)
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Edit document' }))
  })

  it('closes on a click on Stay signed in and returns focus', async () => {
    const world = createWorld()
    await renderPage(world)
    await world.advanceToBeforeDeadline(60 * SECOND)
    await userEvent.click(page.getByRole('button', { name: 'Stay signed in' }))
    await world.advance(0)
    expect(dialog().open).toBe(false)
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Edit document' }))
  })

  it('is not closed by a click on the backdrop', async () => {
    const world = createWorld()
    await renderPage(world)
    await world.advanceToBeforeDeadline(60 * SECOND)
    // A real mouse click where the page shows through: it lands on the backdrop.
    await userEvent.click(page.elementLocator(document.querySelector('h1')!), { force: true })
    await act(async () => undefined)
    expect(dialog().open).toBe(true)
    expect(screen.getByRole('button', { name: 'Stay signed in' })).toBeVisible()
  })

  it('focuses Sign in again in the signed-out notice, and closes it with Escape', async () => {
    const world = createWorld()
    await renderPage(world)
    await world.advanceToBeforeDeadline(60 * SECOND)
    await world.advance(60 * SECOND)
    await expect.element(page.getByRole('alertdialog', { name: 'You have been signed out' })).toBeVisible()
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Sign in again' }))
    await userEvent.keyboard('{Escape}')
    await act(async () => undefined)
    expect(dialog().open).toBe(false)
  })
})

describe('given axe-core', () => {
  it('finds no violation with the warning closed', async () => {
    const world = createWorld()
    await renderPage(world)
    await expectNoViolations(document.body)
  })

  it('finds no violation with the warning open', async () => {
    const world = createWorld()
    await renderPage(world)
    await world.advanceToBeforeDeadline(60 * SECOND)
    await expectNoViolations(document.body)
  })

  it('finds no violation with the warning that cannot be extended', async () => {
    const world = createWorld({ adapter: { policy: MAX_LIFETIME_POLICY } })
    await renderPage(world)
    await world.advanceToBeforeDeadline(60 * SECOND)
    await expectNoViolations(document.body)
  })

  it('finds no violation in the signed-out notice', async () => {
    const world = createWorld()
    await renderPage(world)
    await world.advanceToBeforeDeadline(60 * SECOND)
    await world.advance(60 * SECOND)
    expect(dialog().dataset.kind).toBe('expired')
    await expectNoViolations(document.body)
  })
})

describe("given Chromium's Intl.DurationFormat", () => {
  // DurationFormat writes a zero duration as "" in Chromium: the announcement read "You will be signed out in ."
  it('says every duration in words, 0 seconds too, as screen readers hear it', async () => {
    const { formatDuration } = await import('../../src/react/messages')
    expect('DurationFormat' in Intl).toBe(true)
    expect(formatDuration(0, 'en')).toBe('0 seconds')
    expect(formatDuration(45_000, 'en')).toBe('45 seconds')
    expect(formatDuration(65_000, 'en')).toBe('1 minute, 5 seconds')
  })
})
