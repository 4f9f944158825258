import '../../src/react/styles.css'
import { act, screen } from '@testing-library/react'
import axe from 'axe-core'
import { describe, expect, it } from 'vitest'
import { page, userEvent } from 'vitest/browser'
import { DEMO_TOTP_CODE } from '../../src/adapters/memory'
import type { ReverificationCheck } from '../../src/core/authorization'
import { createWorld, MINUTE, renderWithSession } from '../unit/react/harness'
import { LONG_POLICY, PayoutPage } from './pages'

// Real Chromium: the native <dialog> and its top layer, focus, Escape as the
// browser does it, and axe-core on the real layout and styles.
// Tab, Shift+Tab and Enter right after opening: dialogKeyboard.test.tsx.

const dialog = () => document.querySelector('dialog')!

async function openDialog({ check = 'strict' as ReverificationCheck, signedInAs = 'ada@example.com', latencyMs = 0 } = {}) {
  const world = createWorld({ adapter: { policy: LONG_POLICY, signedInAs, latencyMs } })
  await renderWithSession(world, <PayoutPage world={world} check={check} />)
  // The proof is as old as the strict limit once the first load (its latency) is in.
  await world.advance(10 * MINUTE + latencyMs)
  await userEvent.click(page.getByRole('button', { name: 'Pay out' }))
  await world.advance(0)
  return world
}

async function expectNoViolations(context: Element) {
  // The dialog fades in over 160 ms; judge contrast on where it ends, now.
  for (const animation of document.getAnimations()) animation.finish()
  const { violations } = await axe.run(context)
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
}

describe('given an open reverification dialog in Chromium', () => {
  it('is modal in the top layer and focuses the code field', async () => {
    await openDialog()
    expect(dialog().open).toBe(true)
    expect(dialog().matches(':modal')).toBe(true)
    await expect.element(page.getByRole('dialog', { name: 'Confirm it’s you' })).toBeVisible()
    expect(document.activeElement).toBe(screen.getByLabelText('Verification code'))
  })

  it('cancels on Escape, closes and returns focus to Pay out', async () => {
    await openDialog()
    await userEvent.keyboard('{Escape}')
    await pageSettles()
    expect(dialog().open).toBe(false)
    await expect.element(page.getByText('reverification_cancelled')).toBeVisible()
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Pay out' }))
  })

  it('verifies with the keyboard alone and runs the action', async () => {
    const world = await openDialog()
    await userEvent.keyboard(DEMO_TOTP_CODE)
    await userEvent.keyboard('{Enter}')
    await world.advance(0)
    expect(dialog().open).toBe(false)
    await expect.element(page.getByText('Paid out.')).toBeVisible()
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Pay out' }))
  })

  it('is not closed by a click on the backdrop', async () => {
    await openDialog()
    await userEvent.click(page.elementLocator(document.querySelector('h1')!), { force: true })
    await pageSettles()
    expect(dialog().open).toBe(true)
  })
})

describe('given the same mistake twice', () => {
  /** Every text node or element put into the alert from now on, as a screen reader is told of it. */
  function recordInsertions(alert: Element) {
    const inserted: string[] = []
    const note = (records: MutationRecord[]) => {
      for (const record of records) for (const node of record.addedNodes) inserted.push(node.textContent ?? '')
    }
    const observer = new MutationObserver(note)
    observer.observe(alert, { childList: true, subtree: true })
    return () => {
      note(observer.takeRecords())
      observer.disconnect()
      return inserted
    }
  }

  it('announces a second wrong code: the alert empties while the code is checked, and the message is inserted anew', async () => {
    const world = await openDialog({ latencyMs: 200 })
    const field = screen.getByLabelText('Verification code')
    const alert = screen.getByRole('alert')
    const stop = recordInsertions(alert)
    for (const attempt of [1, 2]) {
      await userEvent.keyboard('000000{Enter}')
      await pageSettles()
      expect(alert.textContent, `while attempt ${attempt} is checked`).toBe('')
      await world.advance(200)
      expect(alert.textContent, `after attempt ${attempt}`).toBe('That code is not right. Try again.')
      expect(document.activeElement).toBe(field)
    }
    expect(stop()).toEqual(['That code is not right. Try again.', 'That code is not right. Try again.'])
  })

  it('announces a second empty submit', async () => {
    const world = await openDialog()
    const alert = screen.getByRole('alert')
    const stop = recordInsertions(alert)
    await userEvent.keyboard('{Enter}')
    await world.advance(0)
    await userEvent.keyboard('{Enter}')
    await world.advance(0)
    expect(alert.textContent).toBe('Enter the code.')
    expect(stop()).toEqual(['Enter the code.', 'Enter the code.'])
  })
})

describe('given axe-core', () => {
  it('finds no violation with the dialog closed', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY } })
    await renderWithSession(world, <PayoutPage world={world} check="strict" />)
    await expectNoViolations(document.body)
  })

  it('finds no violation on the code step', async () => {
    await openDialog()
    await expectNoViolations(document.body)
  })

  it('finds no violation with a wrong code shown inline', async () => {
    const world = await openDialog()
    await userEvent.keyboard('000000{Enter}')
    await world.advance(0)
    await expect.element(page.getByRole('alert')).toHaveTextContent('That code is not right. Try again.')
    expect(screen.getByLabelText('Verification code')).toHaveAttribute('aria-invalid', 'true')
    await expectNoViolations(document.body)
  })

  it('finds no violation on the two-step (password, then code) form', async () => {
    await openDialog({ check: 'strict_mfa' })
    expect(document.activeElement).toBe(screen.getByLabelText('Password'))
    await expectNoViolations(document.body)
  })

  it('finds no violation when the level cannot be met', async () => {
    await openDialog({ check: 'strict_mfa', signedInAs: 'alan@example.com' })
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }))
    await expectNoViolations(document.body)
  })
})

/** Lets React commit what a real browser event started. */
async function pageSettles() {
  await act(async () => undefined)
}
