import { screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { InactivityWarning } from '../../../src/react'
import { createWorld, renderWithSession, SECOND } from './harness'

// At the deadline the app's beforeSignOut runs (at most beforeSignOutTimeout) before the tab signs out:
// too late to stay by then, so the warning at 0:00 offers no "Stay signed in".

describe('given a tab whose beforeSignOut takes 3 s at the deadline', () => {
  it('shows the warning at 0:00 without "Stay signed in" while it runs, then the signed-out notice', async () => {
    const world = createWorld({ client: { crossTab: false, beforeSignOut: () => new Promise<void>(() => undefined), beforeSignOutTimeout: 3 * SECOND } })
    await renderWithSession(world, <InactivityWarning />)
    while (world.client.getState().status === 'loading') await world.advance(100)
    await world.advanceToBeforeDeadline(10 * SECOND)
    expect(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Stay signed in' })).toBeInTheDocument()
    await world.advance(11 * SECOND)
    const warning = screen.getByRole('alertdialog')
    expect(within(warning).getByText('0:00')).toBeInTheDocument()
    expect(warning).not.toHaveTextContent('You have been signed out')
    expect(within(warning).queryByRole('button', { name: 'Stay signed in' })).toBeNull()
    await world.advance(3 * SECOND)
    expect(screen.getByRole('alertdialog')).toHaveTextContent('You have been signed out')
  })
})
