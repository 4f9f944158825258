import '../../src/react/styles.css'
import { screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { cdp } from 'vitest/browser'
import { createWorld, renderWithSession, SECOND } from '../unit/react/harness'
import { WarningPage } from './pages'

// Real Chromium with "reduce motion" turned on (emulated through the DevTools
// protocol, as the operating system setting would), against the stylesheet as shipped.

async function emulateMotion(value: 'reduce' | 'no-preference') {
  await cdp().send('Emulation.setEmulatedMedia', { features: [{ name: 'prefers-reduced-motion', value }] })
}

afterEach(() => emulateMotion('no-preference'))

describe('given "reduce motion" in Chromium', () => {
  it('changes the colours of the buttons at once, and shows the dialog without animation', async () => {
    await emulateMotion('reduce')
    expect(matchMedia('(prefers-reduced-motion: reduce)').matches).toBe(true)
    const world = createWorld()
    await renderWithSession(world, <WarningPage />)
    await world.advanceIntoWarning(60 * SECOND)
    for (const button of within(document.querySelector('dialog')!).getAllByRole('button')) {
      expect(getComputedStyle(button).transitionDuration).toBe('0s')
    }
    expect(getComputedStyle(document.querySelector('dialog')!).animationName).toBe('none')
  })

  it('fades the colours of the buttons without it', async () => {
    const world = createWorld()
    await renderWithSession(world, <WarningPage />)
    await world.advanceIntoWarning(60 * SECOND)
    const stay = screen.getByRole('button', { name: 'Stay signed in' })
    expect(getComputedStyle(stay).transitionDuration).not.toBe('0s')
  })
})
