import { act, fireEvent, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { ActiveDevices } from '../../../src/react'
import { devicesWorld, renderWithDevices, TWO_OTHERS } from './devicesHarness'

// What one user's ActiveDevices said must never be shown to the next user of
// the browser: after a sign-out and another sign-in, or a switch of account.

const status = () => screen.getByRole('status')

describe('given Ada signed out her phone', () => {
  it('does not say so to Grace, who signs in after Ada signed out', async () => {
    const world = devicesWorld()
    await renderWithDevices(world, <ActiveDevices />)
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Sign out Safari 19 on iOS' }))
    })
    await world.advance(0)
    expect(status()).toHaveTextContent('Signed out Safari 19 on iOS.')

    await act(() => world.client.signOut())
    await act(() => world.client.signIn({ identifier: 'grace@example.com', password: 'password' }))
    await world.advance(0)
    expect(world.client.getState().user?.id).toBe('user_grace')
    expect(screen.getByRole('region', { name: 'Active devices' })).toBeTruthy()
    expect(status().textContent).toBe('')
  })

  it('does not say so after a switch to Grace’s account', async () => {
    const world = devicesWorld({ adapter: { signedInAs: ['grace@example.com', 'ada@example.com'] } })
    await renderWithDevices(world, <ActiveDevices />)
    expect(world.client.getState().user?.id).toBe('user_ada')
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Sign out Safari 19 on iOS' }))
    })
    await world.advance(0)
    expect(status()).toHaveTextContent('Signed out Safari 19 on iOS.')

    const grace = world.client.getState().sessions.find((session) => session.userId === 'user_grace')!
    await act(() => world.client.setActive(grace.id))
    await world.advance(0)
    expect(world.client.getState().user?.id).toBe('user_grace')
    expect(status().textContent).toBe('')
  })

  it('does not say so when the account changed while the sign-out was on its way', async () => {
    const world = devicesWorld({
      devices: { ...TWO_OTHERS, latencyMs: 200 },
      adapter: { signedInAs: ['grace@example.com', 'ada@example.com'] },
    })
    await renderWithDevices(world, <ActiveDevices />)
    await world.advance(600)
    act(() => fireEvent.click(screen.getByRole('button', { name: 'Sign out Safari 19 on iOS' })))
    expect(status()).toHaveTextContent('Signing out Safari 19 on iOS…')

    const grace = world.client.getState().sessions.find((session) => session.userId === 'user_grace')!
    await act(() => world.client.setActive(grace.id))
    // Ada's sign-out lands, then Grace's list.
    await world.advance(600)
    expect(world.client.getState().user?.id).toBe('user_grace')
    expect(world.devices.calls.revokeUserSession).toBe(1)
    expect(screen.getAllByRole('listitem').length).toBeGreaterThan(0)
    expect(status().textContent).toBe('')
  })
})
