import '../../src/react/styles.css'
import { screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { page, userEvent } from 'vitest/browser'
import type { ReverificationCheck } from '../../src/core/authorization'
import { createWorld, MAX_LIFETIME_POLICY, MINUTE, renderWithSession, SECOND, type World } from '../unit/react/harness'
import { LONG_POLICY, PayoutPage, WarningPage } from './pages'

// Real Chromium, real key presses: a native modal <dialog> lets Tab leave
// for the browser's own UI (here, the test runner's frame around the page).
// Each dialog must keep the keyboard, and the warning must not take a key
// press meant for the page as an answer.

const TAB = '{Tab}'
const SHIFT_TAB = '{Shift>}{Tab}{/Shift}'
const dialog = () => document.querySelector('dialog')!

/**
 * Presses `key` `times` times; after each press focus must be on an element
 * inside the open dialog, and the page must still have focus (not the
 * browser's UI). Answers the names of the elements focus visited, in order.
 */
async function pressInside(key: string, times: number): Promise<string[]> {
  const visited: string[] = []
  for (let press = 1; press <= times; press++) {
    await userEvent.keyboard(key)
    const active = document.activeElement
    expect(document.hasFocus(), `the page has focus after press ${press}`).toBe(true)
    expect(active !== null && active !== dialog() && dialog().contains(active), `focus is inside the dialog after press ${press}`).toBe(true)
    visited.push(nameOf(active!))
  }
  return visited
}

const nameOf = (element: Element) => element.getAttribute('aria-label') ?? (element.textContent?.trim() || (element as HTMLElement).id)

async function openWarning(world: World) {
  await renderWithSession(world, <WarningPage />)
  ;((await page.getByRole('button', { name: 'Edit document' }).element()) as HTMLElement).focus()
  await world.advanceToBeforeDeadline(60 * SECOND)
  expect(dialog().open).toBe(true)
}

describe('given an open inactivity warning', () => {
  it('cycles Tab between its buttons, never leaving it', async () => {
    await openWarning(createWorld())
    expect(await pressInside(TAB, 5)).toEqual(['Sign out', 'Stay signed in', 'Sign out', 'Stay signed in', 'Sign out'])
  })

  it('cycles Shift+Tab between its buttons, never leaving it', async () => {
    await openWarning(createWorld())
    expect(await pressInside(SHIFT_TAB, 5)).toEqual(['Sign out', 'Stay signed in', 'Sign out', 'Stay signed in', 'Sign out'])
  })

  it('ignores Enter and Space on Sign out in the first 500 ms, and signs out after them', async () => {
    const world = createWorld()
    await openWarning(world)
    await userEvent.keyboard(SHIFT_TAB)
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Sign out' }))
    await userEvent.keyboard('{Enter}')
    await userEvent.keyboard(' ')
    await world.advance(0)
    expect(world.client.getState().status).toBe('signed-in')
    expect(dialog().open).toBe(true)

    await world.advance(500)
    await userEvent.keyboard('{Enter}')
    await world.advance(0)
    expect(world.client.getState().status).toBe('signed-out')
    await expect.element(page.getByText('You are signed out.')).toBeVisible()
  })

  it('keeps the signed-out notice on its one button', async () => {
    const world = createWorld()
    await openWarning(world)
    await world.advance(60 * SECOND)
    expect(dialog().dataset.kind).toBe('expired')
    expect(await pressInside(TAB, 5)).toEqual(Array(5).fill('Sign in again'))
    expect(await pressInside(SHIFT_TAB, 5)).toEqual(Array(5).fill('Sign in again'))
  })
})

describe('given the warning of a session that cannot be extended', () => {
  const endingWorld = () => createWorld({ adapter: { policy: MAX_LIFETIME_POLICY } })

  it('opens with focus on Keep working, not Sign out', async () => {
    await openWarning(endingWorld())
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Keep working' }))
  })

  it('cycles Tab and Shift+Tab between its buttons, never leaving it', async () => {
    await openWarning(endingWorld())
    expect(await pressInside(TAB, 5)).toEqual(['Sign out', 'Keep working', 'Sign out', 'Keep working', 'Sign out'])
    expect(await pressInside(SHIFT_TAB, 5)).toEqual(['Keep working', 'Sign out', 'Keep working', 'Sign out', 'Keep working'])
  })

  it('takes no Enter or Space pressed right after it opens as an answer', async () => {
    const world = endingWorld()
    await openWarning(world)
    // Still typing in the page: the keys land on the dialog that just took focus.
    await userEvent.keyboard('{Enter} {Enter}')
    await userEvent.keyboard(TAB)
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Sign out' }))
    await userEvent.keyboard('{Enter} ')
    await world.advance(0)
    expect(world.client.getState().status).toBe('signed-in')
    expect(dialog().open).toBe(true)
    await expect.element(page.getByRole('alertdialog', { name: 'Your session is about to end' })).toBeVisible()
  })

  it('answers Enter on Keep working once the warning has been shown for 500 ms', async () => {
    const world = endingWorld()
    await openWarning(world)
    await world.advance(500)
    await userEvent.keyboard('{Enter}')
    await world.advance(0)
    expect(dialog().open).toBe(false)
    expect(world.client.getState().status).toBe('signed-in')
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Edit document' }))
  })
})

async function openReverification({ check = 'strict' as ReverificationCheck, signedInAs = 'ada@example.com' } = {}) {
  const world = createWorld({ adapter: { policy: LONG_POLICY, signedInAs } })
  await renderWithSession(world, <PayoutPage world={world} check={check} />)
  await world.advance(10 * MINUTE)
  await userEvent.click(page.getByRole('button', { name: 'Pay out' }))
  await world.advance(0)
  expect(dialog().open).toBe(true)
}

describe('given an open reverification dialog', () => {
  const fieldId = () => screen.getByLabelText('Verification code').id

  it('cycles Tab through its field and buttons, never leaving it', async () => {
    await openReverification()
    expect(await pressInside(TAB, 5)).toEqual(['Cancel', 'Continue', fieldId(), 'Cancel', 'Continue'])
  })

  it('cycles Shift+Tab through its field and buttons, never leaving it', async () => {
    await openReverification()
    expect(await pressInside(SHIFT_TAB, 5)).toEqual(['Continue', 'Cancel', fieldId(), 'Continue', 'Cancel'])
  })

  it('keeps Tab on Cancel when the level cannot be met and Cancel is all there is', async () => {
    await openReverification({ check: 'strict_mfa', signedInAs: 'alan@example.com' })
    expect(await pressInside(TAB, 5)).toEqual(Array(5).fill('Cancel'))
    expect(await pressInside(SHIFT_TAB, 5)).toEqual(Array(5).fill('Cancel'))
  })
})
