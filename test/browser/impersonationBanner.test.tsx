import '../../src/react/styles.css'
import { act, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { userEvent } from 'vitest/browser'
import { ImpersonationBanner, type ImpersonationBannerProps } from '../../src/react'
import { createWorld, renderWithSession, type World } from '../unit/react/harness'
import { USERS_WITH_SUPPORT } from '../unit/supportUser'

// <ImpersonationBanner /> in real Chromium: "Stop acting as Ada" holds keyboard
// focus and leaves with the banner; focus must land somewhere a keyboard user
// can go on from, not on <body>.

/** `mainHidden`: the page's <main> is hidden, so it cannot take focus. */
async function actingAsAda(props: ImpersonationBannerProps = {}, { mainHidden = false } = {}): Promise<World> {
  const world = createWorld({ adapter: { users: USERS_WITH_SUPPORT, signedInAs: 'support@example.com' } })
  await renderWithSession(
    world,
    <>
      <ImpersonationBanner {...props} />
      <nav aria-label="Account">
        <button type="button">Account menu</button>
      </nav>
      <main hidden={mainHidden}>
        <h1>Dashboard</h1>
      </main>
    </>,
  )
  await act(() => world.client.startImpersonation('user_ada'))
  return world
}

async function stopWithKeyboard(world: World) {
  screen.getByRole('button', { name: 'Stop acting as Ada' }).focus()
  await userEvent.keyboard('{Enter}')
  await world.advance(0)
  expect(screen.queryByRole('region', { name: 'Impersonation' })).toBeNull()
  expect(world.client.getState().user?.id).toBe('user_support')
}

describe('given support acting as Ada, after "Stop acting as Ada" with the keyboard', () => {
  it('moves focus to the page’s <main>, which does not join the tab order', async () => {
    const world = await actingAsAda()
    await stopWithKeyboard(world)
    const main = screen.getByRole('main')
    expect(document.activeElement).toBe(main)
    await userEvent.keyboard('{Shift>}{Tab}{/Shift}')
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Account menu' }))
    expect(main).not.toHaveAttribute('tabindex')
  })

  it('leaves no tabindex on a <main> that cannot take focus (hidden)', async () => {
    const world = await actingAsAda({}, { mainHidden: true })
    await stopWithKeyboard(world)
    expect(document.activeElement).toBe(document.body)
    expect(document.querySelector('main')).not.toHaveAttribute('tabindex')
  })

  it('moves focus where the app says (focusAfterStop)', async () => {
    const world = await actingAsAda({ focusAfterStop: () => screen.getByRole('button', { name: 'Account menu' }) })
    await stopWithKeyboard(world)
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Account menu' }))
  })

  it('leaves focus alone when the app moved it meanwhile', async () => {
    const world = await actingAsAda()
    screen.getByRole('button', { name: 'Stop acting as Ada' }).focus()
    await userEvent.keyboard('{Enter}')
    screen.getByRole('button', { name: 'Account menu' }).focus()
    await world.advance(0)
    expect(screen.queryByRole('region', { name: 'Impersonation' })).toBeNull()
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Account menu' }))
  })
})
