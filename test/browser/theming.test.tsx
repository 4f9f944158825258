import '../../src/react/styles.css'
import { act, screen } from '@testing-library/react'
import type { CSSProperties } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { ImpersonationBanner } from '../../src/react'
import { createWorld, renderWithSession, SECOND } from '../unit/react/harness'
import { USERS_WITH_SUPPORT } from '../unit/supportUser'
import { WarningPage } from './pages'

// Real Chromium against the stylesheet as shipped: the custom properties an
// app sets for theming reach the components from any ancestor, not only when
// set on the component's own class.

const root = document.documentElement

afterEach(() => {
  root.removeAttribute('style')
  root.removeAttribute('data-theme')
})

async function openWarning(ui = <WarningPage />) {
  const world = createWorld()
  await renderWithSession(world, ui)
  await world.advanceToBeforeDeadline(60 * SECOND)
  return { dialog: await screen.findByRole('alertdialog'), stay: screen.getByRole('button', { name: 'Stay signed in' }) }
}

describe('given the theming custom properties', () => {
  it('keeps the default look when the app sets none', async () => {
    const { dialog, stay } = await openWarning()
    expect(getComputedStyle(dialog).backgroundColor).toBe('rgb(255, 255, 255)')
    expect(getComputedStyle(dialog).borderRadius).toBe('12px')
    expect(getComputedStyle(stay).backgroundColor).toBe('rgb(41, 82, 204)')
    expect(getComputedStyle(stay).color).toBe('rgb(255, 255, 255)')
  })

  it('takes a value set on :root', async () => {
    root.style.setProperty('--sk-accent', 'rgb(200, 0, 0)')
    root.style.setProperty('--sk-radius', '3px')
    const { dialog, stay } = await openWarning()
    expect(getComputedStyle(stay).backgroundColor).toBe('rgb(200, 0, 0)')
    expect(getComputedStyle(dialog).borderRadius).toBe('3px')
    // What was not set keeps its default.
    expect(getComputedStyle(dialog).backgroundColor).toBe('rgb(255, 255, 255)')
  })

  it('takes a value set on a wrapper of the app, and the dark defaults stay dark', async () => {
    root.setAttribute('data-theme', 'dark')
    const { dialog, stay } = await openWarning(
      <div style={{ '--sk-bg': 'rgb(1, 2, 3)' } as CSSProperties}>
        <WarningPage />
      </div>,
    )
    expect(getComputedStyle(dialog).backgroundColor).toBe('rgb(1, 2, 3)')
    expect(getComputedStyle(stay).backgroundColor).toBe('rgb(143, 168, 255)')
  })

  it('reaches the impersonation banner from :root too, and its text keeps its default colour', async () => {
    root.style.setProperty('--sk-banner-bg', 'rgb(0, 100, 0)')
    const world = createWorld({ adapter: { users: USERS_WITH_SUPPORT, signedInAs: 'support@example.com' } })
    await renderWithSession(world, <ImpersonationBanner />)
    await act(() => world.client.startImpersonation('user_ada'))
    const banner = screen.getByRole('region', { name: 'Impersonation' })
    expect(getComputedStyle(banner).backgroundColor).toBe('rgb(0, 100, 0)')
    expect(getComputedStyle(banner).color).toBe('rgb(46, 33, 0)')
  })
})
