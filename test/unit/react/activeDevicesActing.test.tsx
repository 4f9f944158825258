import { act, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { ActiveDevices } from '../../../src/react'
import { USERS_WITH_SUPPORT } from '../supportUser'
import { devicesWorld, renderWithDevices, type DevicesWorld } from './devicesHarness'

// Support acting as Ada sees her devices but cannot sign them out (the server
// answers 403 to every sign-out from an acting session): <ActiveDevices />
// shows the list read-only, says why, and gives the buttons back when acting stops.

const NOTE = 'You are acting as Ada Lovelace, so these devices can be seen but not signed out.'

const section = () => screen.getByRole('region', { name: 'Active devices' })
const items = () => within(screen.getByRole('list')).getAllByRole('listitem')

/** Support signed in on this browser; its device list is the world's phone and laptop. */
const supportWorld = () => devicesWorld({ adapter: { users: USERS_WITH_SUPPORT, signedInAs: 'support@example.com' } })

async function actAsAda(world: DevicesWorld) {
  await act(() => world.client.startImpersonation('user_ada'))
  await world.advance(0)
}

describe('given support acting as Ada', () => {
  it('lists her devices without "Sign out" and with a note saying why; stopping brings the buttons back', async () => {
    const world = supportWorld()
    await renderWithDevices(world, <ActiveDevices />)
    expect(within(section()).getByRole('button', { name: 'Sign out Safari 19 on iOS' })).toBeInTheDocument()

    await actAsAda(world)
    expect(world.client.getState().session?.actor).toMatchObject({ sub: 'user_support' })
    expect(items().map((item) => item.querySelector('.sk-device-name')!.textContent)).toEqual(['Safari 19 on iOS', 'Firefox 150 on Windows'])
    expect(within(section()).queryAllByRole('button')).toEqual([])
    const note = within(section()).getByText(NOTE)
    expect(note.tagName).toBe('P')
    // Plain text: nobody's focus was in the list when acting began, so it is read in turn, not announced.
    expect(note.closest('[role="status"], [aria-live]')).toBeNull()
    expect(screen.getByRole('status')).not.toHaveTextContent(NOTE)

    await act(() => world.client.stopImpersonation())
    await world.advance(0)
    expect(world.client.getState().user?.id).toBe('user_support')
    expect(within(section()).getByRole('button', { name: 'Sign out Safari 19 on iOS' })).toBeInTheDocument()
    expect(within(section()).getByRole('button', { name: 'Sign out Firefox 150 on Windows' })).toBeInTheDocument()
    expect(within(section()).getByRole('button', { name: 'Sign out of all other devices' })).toBeInTheDocument()
    expect(screen.queryByText(NOTE)).toBeNull()
    expect(world.devices.calls.revokeUserSession + world.devices.calls.revokeOtherUserSessions).toBe(0)
  })

  it('is read-only from the start when rendered while acting, with the note in the app’s own words', async () => {
    const world = supportWorld()
    await act(() => world.client.load())
    await act(() => world.client.startImpersonation('user_ada'))
    await renderWithDevices(world, <ActiveDevices messages={{ actingNote: (user) => `Vous agissez en tant que ${user} : appareils en lecture seule.` }} />)

    expect(items()).toHaveLength(2)
    expect(items().some((item) => item.hasAttribute('aria-current'))).toBe(false)
    expect(within(section()).queryAllByRole('button')).toEqual([])
    expect(within(section()).getByText('Vous agissez en tant que Ada Lovelace : appareils en lecture seule.')).toBeInTheDocument()
    expect(screen.queryByText(NOTE)).toBeNull()
  })

  it('shows no note, and keeps "Sign out", for a user signed in as themself', async () => {
    const world = devicesWorld()
    await renderWithDevices(world, <ActiveDevices />)
    expect(within(section()).getAllByRole('button')).toHaveLength(3)
    expect(screen.queryByText(/acting as/)).toBeNull()
  })
})
