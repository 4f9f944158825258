import { screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { InactivityWarning } from '../../../src/react'
import { createWorld, renderWithSession, SECOND } from './harness'

// At the deadline, a tab alone asks the server whether another tab renewed the
// session (at most 5 s): meanwhile the warning stays, at 0:00, not signed out.

describe('given a tab alone whose server is slow to answer at the deadline', () => {
  it('keeps the warning at 0:00 while it asks, then shows the signed-out notice', async () => {
    const world = createWorld({ adapter: { latencyMs: 20 * SECOND }, client: { crossTab: false } })
    await renderWithSession(world, <InactivityWarning />)
    while (world.client.getState().status === 'loading') await world.advance(100)
    await world.advanceToBeforeDeadline(10 * SECOND)
    expect(screen.getByRole('alertdialog')).toHaveTextContent('Your session is about to expire')
    await world.advance(12 * SECOND)
    const warning = screen.getByRole('alertdialog')
    expect(warning).toHaveTextContent('Your session is about to expire')
    expect(within(warning).getByText('0:00')).toBeInTheDocument()
    expect(warning).not.toHaveTextContent('You have been signed out')
    await world.advance(3 * SECOND)
    expect(screen.getByRole('alertdialog')).toHaveTextContent('You have been signed out')
  })
})
