import '../../src/react/styles.css'
import { act, screen } from '@testing-library/react'
import axe from 'axe-core'
import { describe, expect, it } from 'vitest'
import { page, userEvent } from 'vitest/browser'
import { InactivityWarning } from '../../src/react'
import { createWorld, renderWithSession, SECOND, type World } from '../unit/react/harness'

// Real Chromium: "Stay signed in" with the network gone. The warning stays
// open until the server confirms, says it is retrying, keeps focus and Tab
// inside the native dialog, and closes when a retry gets through.

const RETRYING = "Can't reach the server — retrying"
const FAILED = "Couldn't renew your session. Try again."
const dialog = () => document.querySelector('dialog')!

async function offlineStay(world: World) {
  await renderWithSession(
    world,
    <main>
      <h1>Invoices</h1>
      <button type="button">Edit document</button>
      <InactivityWarning />
    </main>,
  )
  ;((await page.getByRole('button', { name: 'Edit document' }).element()) as HTMLElement).focus()
  await world.advanceToBeforeDeadline(60 * SECOND)
  world.adapter.fail('offline')
  await userEvent.click(page.getByRole('button', { name: 'Stay signed in' }))
  await world.advance(0)
}

describe('given "Stay signed in" while offline, in Chromium', () => {
  it('keeps the dialog open and modal, saying it is retrying, with focus on the renewing button', async () => {
    const world = createWorld()
    await offlineStay(world)
    expect(dialog().open).toBe(true)
    expect(dialog().matches(':modal')).toBe(true)
    await expect.element(page.getByRole('status').filter({ hasText: RETRYING })).toBeVisible()
    const renewing = screen.getByRole('button', { name: 'Renewing…' })
    expect(renewing).toHaveAttribute('aria-disabled', 'true')
    expect(document.activeElement).toBe(renewing)
    // The retries that follow fail too: still open, and the same words.
    await world.advance(10 * SECOND)
    expect(dialog().open).toBe(true)
    expect(world.client.getState().renewal).toBe('retrying')
    expect(screen.getAllByText(RETRYING)).toHaveLength(1)
  })

  it('keeps Tab inside the dialog from the renewing button', async () => {
    const world = createWorld()
    await offlineStay(world)
    const renewing = screen.getByRole('button', { name: 'Renewing…' })
    const signOut = screen.getByRole('button', { name: 'Sign out' })
    // Two stops, Sign out and Renewing…: aria-disabled keeps the button one of them.
    for (const expected of [signOut, renewing, signOut, renewing]) {
      await userEvent.keyboard('{Tab}')
      expect(document.activeElement).toBe(expected)
    }
    await userEvent.keyboard('{Shift>}{Tab}{/Shift}')
    expect(document.activeElement).toBe(signOut)
    await userEvent.keyboard('{Shift>}{Tab}{/Shift}')
    expect(document.activeElement).toBe(renewing)
    expect(dialog().open).toBe(true)
  })

  it('shows the dialog again when Chromium closes it on its own (an Escape it would not let the page cancel)', async () => {
    const world = createWorld()
    await offlineStay(world)
    // As Chromium does it: closed, then a `close` event (a task later), no `cancel`.
    await act(async () => {
      const closed = new Promise((resolve) => dialog().addEventListener('close', resolve, { once: true }))
      dialog().close()
      await closed
    })
    expect(dialog().open).toBe(true)
    expect(dialog().matches(':modal')).toBe(true)
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Renewing…' }))
    await world.advance(60 * SECOND)
    await expect.element(page.getByRole('alertdialog', { name: 'You have been signed out' })).toBeVisible()
  })

  it('stays open through repeated Escape, which Chromium answers by closing the dialog itself', async () => {
    const world = createWorld()
    await offlineStay(world)
    const seen = { cancel: 0, refusable: 0, close: 0 }
    dialog().addEventListener('cancel', (event) => {
      seen.cancel++
      if (event.cancelable) seen.refusable++
    })
    dialog().addEventListener('close', () => seen.close++)
    // Each user activation buys the page one `cancel` it may refuse; past
    // those (how many depends on the page's history), Chromium sends one it
    // may not and closes the dialog itself. Press until it has.
    for (let press = 0; press < 10 && seen.cancel === seen.refusable; press++) {
      await userEvent.keyboard('{Escape}')
      await expect.poll(() => seen.cancel).toBe(press + 1)
    }
    expect(seen.cancel).toBeGreaterThan(seen.refusable)
    await expect.poll(() => seen.close).toBe(1)
    await act(async () => undefined)
    expect(dialog().open).toBe(true)
    expect(dialog().matches(':modal')).toBe(true)
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Renewing…' }))
    expect(screen.getByText(RETRYING)).toBeVisible()
    expect(world.adapter.calls.touchSession).toBeGreaterThanOrEqual(1)
  })

  it('finds no axe violation while retrying', async () => {
    const world = createWorld()
    await offlineStay(world)
    for (const animation of document.getAnimations()) animation.finish()
    const { violations } = await axe.run(document.body)
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
  })

  it('closes when the network is back and the retry gets through, returning focus', async () => {
    const world = createWorld()
    await offlineStay(world)
    const deadline = world.client.getState().deadline!
    world.adapter.fail(null)
    await act(async () => {
      window.dispatchEvent(new Event('online'))
    })
    await world.advance(0)
    expect(dialog().open).toBe(false)
    expect(world.client.getState()).toMatchObject({ phase: 'active', renewal: 'idle', connectivity: 'online' })
    expect(world.client.getState().deadline).toBeGreaterThan(deadline)
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Edit document' }))
  })

  it('signs out at the deadline, offline or not, and shows the notice', async () => {
    const world = createWorld()
    await offlineStay(world)
    await world.advance(60 * SECOND)
    await expect.element(page.getByRole('alertdialog', { name: 'You have been signed out' })).toBeVisible()
    expect(screen.queryByText(RETRYING)).not.toBeInTheDocument()
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Sign in again' }))
  })
})

describe('given "Stay signed in" refused (a captive portal answers with its own page), in Chromium', () => {
  async function refusedStay(world: World) {
    await renderWithSession(
      world,
      <main>
        <h1>Invoices</h1>
        <button type="button">Edit document</button>
        <InactivityWarning />
      </main>,
    )
    await world.advanceToBeforeDeadline(60 * SECOND)
    world.adapter.respondWith('touchSession', { data: '<html><body>Sign in to the hotel Wi-Fi</body></html>', serverNow: world.adapter.serverNow() })
    await userEvent.click(page.getByRole('button', { name: 'Stay signed in' }))
    await world.advance(0)
  }

  it('says so in the status region, keeps Stay signed in enabled and focused, and the next click renews', async () => {
    const world = createWorld()
    await refusedStay(world)
    expect(dialog().open).toBe(true)
    await expect.element(page.getByRole('status').filter({ hasText: FAILED })).toBeVisible()
    const stay = screen.getByRole('button', { name: 'Stay signed in' })
    expect(stay).not.toHaveAttribute('aria-disabled', 'true')
    expect(document.activeElement).toBe(stay)
    // Not retried behind the user's back: still the same words 20 s later.
    await world.advance(20 * SECOND)
    expect(screen.getAllByText(FAILED)).toHaveLength(1)
    const deadline = world.client.getState().deadline!
    await userEvent.click(page.getByRole('button', { name: 'Stay signed in' }))
    await world.advance(0)
    expect(dialog().open).toBe(false)
    expect(world.client.getState()).toMatchObject({ phase: 'active', renewal: 'idle' })
    expect(world.client.getState().deadline).toBeGreaterThan(deadline)
  })

  it('finds no axe violation while saying the renewal failed', async () => {
    const world = createWorld()
    await refusedStay(world)
    for (const animation of document.getAnimations()) animation.finish()
    const { violations } = await axe.run(document.body)
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
  })
})
