import '../../src/react/styles.css'
import { act, screen } from '@testing-library/react'
import axe from 'axe-core'
import { describe, expect, it } from 'vitest'
import { userEvent } from 'vitest/browser'
import { ActiveDevices } from '../../src/react'
import { USERS_WITH_SUPPORT } from '../unit/supportUser'
import { devicesWorld, renderWithDevices, TWO_OTHERS } from '../unit/react/devicesHarness'

// <ActiveDevices /> in real Chromium: where keyboard focus goes when the
// focused button leaves, and axe-core on the real layout, including the
// experimental rule that the visible text is part of the accessible name.

const section = () => screen.getByRole('region', { name: 'Active devices' })

async function expectNoViolations(context: Element) {
  const { violations } = await axe.run(context, { rules: { 'label-content-name-mismatch': { enabled: true } } })
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
}

describe('given the list could not load', () => {
  it('"Try again" with the keyboard keeps focus in the section while the list loads and after', async () => {
    const world = devicesWorld({ devices: { ...TWO_OTHERS, latencyMs: 200 } })
    await act(() => world.client.load())
    world.memory.fail('server-error', { times: 1 })
    await renderWithDevices(world, <ActiveDevices />)
    await world.advance(200)
    const retry = screen.getByRole('button', { name: 'Try again' })
    retry.focus()

    await userEvent.keyboard('{Enter}')
    expect(screen.getByRole('status')).toHaveTextContent('Loading your devices…')
    expect(document.activeElement).toBe(section())

    await world.advance(200)
    expect(screen.getAllByRole('listitem')).toHaveLength(3)
    expect(document.activeElement).toBe(section())
  })
})

describe('given a sign-out on its way', () => {
  it('names the button "Signing out Safari 19 on iOS", which holds its visible text, and axe finds nothing', async () => {
    const world = devicesWorld({ devices: { ...TWO_OTHERS, latencyMs: 200 } })
    await renderWithDevices(world, <ActiveDevices />)
    await world.advance(200)
    await expectNoViolations(section())

    await userEvent.click(screen.getByRole('button', { name: 'Sign out Safari 19 on iOS' }))
    await expectNoViolations(section())
    const signingOut = screen.getByRole('button', { name: 'Signing out Safari 19 on iOS' })
    expect(signingOut).toHaveTextContent('Signing out…')

    await world.advance(200)
    expect(screen.queryByText('Safari 19 on iOS')).toBeNull()
    await expectNoViolations(section())
  })
})

describe('given "Sign out of all other devices" pressed with the keyboard', () => {
  it('keeps focus in the section once the button leaves with the other devices', async () => {
    const world = devicesWorld({ devices: { ...TWO_OTHERS, latencyMs: 200 } })
    await renderWithDevices(world, <ActiveDevices />)
    await world.advance(200)
    const signOutOthers = screen.getByRole('button', { name: 'Sign out of all other devices' })
    signOutOthers.focus()

    await userEvent.keyboard('{Enter}')
    expect(signOutOthers).toHaveTextContent('Signing out…')
    expect(document.activeElement).toBe(signOutOthers)
    await world.advance(200)
    expect(screen.getAllByRole('listitem')).toHaveLength(1)
    expect(screen.queryByRole('button', { name: 'Sign out of all other devices' })).toBeNull()
    expect(document.activeElement).toBe(section())
  })
})

describe('given support acting as Ada', () => {
  const NOTE = 'You are acting as Ada Lovelace, so these devices can be seen but not signed out.'
  const supportWorld = () => devicesWorld({ adapter: { users: USERS_WITH_SUPPORT, signedInAs: 'support@example.com' } })

  it('shows her devices read-only with a plain note, and axe finds nothing', async () => {
    const world = supportWorld()
    await act(() => world.client.load())
    await act(() => world.client.startImpersonation('user_ada'))
    await renderWithDevices(world, <ActiveDevices />)
    expect(screen.getAllByRole('listitem')).toHaveLength(2)
    expect(screen.queryAllByRole('button')).toEqual([])
    const note = screen.getByText(NOTE)
    expect(note).not.toHaveAttribute('role')
    expect(note).not.toHaveAttribute('aria-live')
    await expectNoViolations(section())
  })

  it('when acting begins while "Sign out" holds focus, focus stays in the section and the note is announced', async () => {
    const world = supportWorld()
    await renderWithDevices(world, <ActiveDevices />)
    screen.getByRole('button', { name: 'Sign out Safari 19 on iOS' }).focus()

    // As when support starts acting in another tab: this page's active session becomes the acting one.
    await act(() => world.client.startImpersonation('user_ada'))
    await world.advance(0)
    expect(screen.queryAllByRole('button')).toEqual([])
    expect(document.activeElement).toBe(section())
    const note = screen.getByText(NOTE)
    expect(note).toHaveAttribute('role', 'status')
    expect(note).toHaveAttribute('aria-live', 'polite')
    await expectNoViolations(section())

    await act(() => world.client.stopImpersonation())
    await world.advance(0)
    expect(screen.queryByText(NOTE)).toBeNull()
    expect(screen.getByRole('button', { name: 'Sign out of all other devices' })).toBeInTheDocument()
    expect(document.activeElement).toBe(section())
  })
})
