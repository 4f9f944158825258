import '../../src/react/styles.css'
import { afterEach, describe, expect, it } from 'vitest'
import { page, userEvent } from 'vitest/browser'
import { InactivityWarning, SignedIn } from '../../src/react'
import { createWorld, MAX_LIFETIME_POLICY, renderWithSession, SECOND, type World } from '../unit/react/harness'

// Real Chromium: what screen readers are told, read as they read it. A polite
// live region is spoken when its text changes; one inserted with its text
// already in it is not reliably spoken, and the alertdialog itself is
// announced when it is shown with showModal().

const RETRYING = "Can't reach the server — retrying"
const FAILED = "Couldn't renew your session. Try again."
const NOTICE = 'You have been signed out You were signed out because you were inactive for too long.'
const dialog = () => document.querySelector('dialog')!

/** Each new text of a live region in the dialog that was there before it changed: what screen readers say. */
function listenToLiveRegions() {
  const heard: string[] = []
  const known = new Map<Element, string>()
  const read = (record: boolean) => {
    for (const region of dialog().querySelectorAll('[aria-live]')) {
      const text = region.textContent ?? ''
      const before = known.get(region)
      known.set(region, text)
      if (record && before !== undefined && before !== text && text !== '') heard.push(text)
    }
  }
  read(false)
  const observer = new MutationObserver(() => read(true))
  observer.observe(dialog(), { subtree: true, childList: true, characterData: true })
  observers.push(observer)
  return heard
}
const observers: MutationObserver[] = []
afterEach(() => {
  for (const observer of observers.splice(0)) observer.disconnect()
})

/** How many times the dialog was shown with showModal() (the real one runs). */
function countShowModal() {
  const calls = { count: 0 }
  const showModal = HTMLDialogElement.prototype.showModal
  HTMLDialogElement.prototype.showModal = function (this: HTMLDialogElement) {
    calls.count++
    showModal.call(this)
  }
  restores.push(() => (HTMLDialogElement.prototype.showModal = showModal))
  return calls
}
const restores: (() => void)[] = []
afterEach(() => {
  for (const restore of restores.splice(0)) restore()
})

async function openWarning(world: World) {
  await renderWithSession(
    world,
    <main>
      <h1>Invoices</h1>
      <SignedIn>
        <button type="button">Edit document</button>
      </SignedIn>
      <InactivityWarning />
    </main>,
  )
  ;((await page.getByRole('button', { name: 'Edit document' }).element()) as HTMLElement).focus()
  await world.advanceIntoWarning(60 * SECOND)
}

describe('given the warning reaching its deadline, in Chromium', () => {
  it('tells screen readers once that the user has been signed out, in a live region that was there before', async () => {
    const world = createWorld()
    await openWarning(world)
    const heard = listenToLiveRegions()
    await world.advance(60 * SECOND)
    await expect.element(page.getByRole('alertdialog', { name: 'You have been signed out' })).toBeVisible()
    expect(heard.filter((text) => text.includes('signed out because'))).toEqual([NOTICE])
    // Nothing more while the notice stays.
    await world.advance(30 * SECOND)
    expect(heard.filter((text) => text.includes('signed out because'))).toEqual([NOTICE])
  })

  it('announces a notice shown anew through the dialog, not a second time through the live region', async () => {
    const world = createWorld({ adapter: { policy: MAX_LIFETIME_POLICY } })
    await openWarning(world)
    // With the keyboard: focus is on "Keep working", the least destructive action (a second in, so the
    // dialog's guard against an Enter meant for the page has passed).
    await world.advance(SECOND)
    expect(document.activeElement?.textContent).toBe('Keep working')
    await userEvent.keyboard('{Enter}')
    const shown = countShowModal()
    await world.advance(60 * SECOND)
    await expect.element(page.getByRole('alertdialog', { name: 'You have been signed out' })).toBeVisible()
    expect(shown.count).toBe(1)
    const regions = [...dialog().querySelectorAll('[aria-live]')]
    expect(regions.map((region) => region.textContent)).toEqual([''])
  })
})

describe('given "Stay signed in" pressed, in Chromium', () => {
  it('announces no time left while the renewal is on its way, nor as the warning closes', async () => {
    const world = createWorld()
    await openWarning(world)
    await world.advance(3 * SECOND)
    const heard = listenToLiveRegions()
    await userEvent.click(page.getByRole('button', { name: 'Stay signed in' }))
    await world.advance(0)
    expect(dialog().open).toBe(false)
    expect(heard).toEqual([])
  })

  it('says only that it is retrying while the server cannot be reached, through the thresholds', async () => {
    const world = createWorld()
    await openWarning(world)
    await world.advance(3 * SECOND)
    const heard = listenToLiveRegions()
    world.adapter.fail('offline')
    await userEvent.click(page.getByRole('button', { name: 'Stay signed in' }))
    await world.advance(0)
    await expect.element(page.getByRole('status').filter({ hasText: RETRYING })).toBeVisible()
    // Past the 45 s and 30 s thresholds, still retrying.
    await world.advance(25 * SECOND)
    expect(world.client.getState().renewal).toBe('retrying')
    expect(heard).toEqual([RETRYING])
  })

  it('says once that the renewal failed when it is refused (a captive portal page), through the thresholds', async () => {
    const world = createWorld()
    await openWarning(world)
    await world.advance(3 * SECOND)
    const heard = listenToLiveRegions()
    world.adapter.respondWith('touchSession', { data: '<html><body>Sign in to the hotel Wi-Fi</body></html>', serverNow: world.adapter.serverNow() })
    await userEvent.click(page.getByRole('button', { name: 'Stay signed in' }))
    await world.advance(0)
    await expect.element(page.getByRole('status').filter({ hasText: FAILED })).toBeVisible()
    // Past the 45 s and 30 s thresholds, still the one failure said.
    await world.advance(25 * SECOND)
    expect(world.client.getState().renewal).toBe('failed')
    expect(heard).toEqual([FAILED])
  })

  it('still announces the thresholds before it is pressed', async () => {
    const world = createWorld()
    await openWarning(world)
    const heard = listenToLiveRegions()
    await world.advance(3 * SECOND)
    expect(heard).toEqual([])
    await world.advance(12 * SECOND)
    expect(heard).toEqual(['You will be signed out in 45 seconds.'])
  })
})
