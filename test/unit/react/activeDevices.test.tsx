import { act, fireEvent, screen, within } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { ActiveDevices, type ActiveDevicesMessages } from '../../../src/react'
import { devicesWorld, HOUR, renderWithDevices } from './devicesHarness'

// <ActiveDevices /> in jsdom, on the memory backend with a device list and a virtual clock.

const list = () => screen.getByRole('list')
const items = () => within(list()).getAllByRole('listitem')
const status = () => screen.getByRole('status')

describe('given a user signed in on three devices', () => {
  it('lists each device with its label, IP and last use; "This device" on this one, which has no "Sign out"', async () => {
    const world = devicesWorld()
    await renderWithDevices(world, <ActiveDevices />)

    const section = screen.getByRole('region', { name: 'Active devices' })
    expect(within(section).getByRole('heading', { name: 'Active devices' })).toBeTruthy()
    const [current, phone, laptop] = items()
    expect(current).toHaveAttribute('aria-current', 'true')
    expect(current).toHaveTextContent('Chrome 156 on Linux')
    expect(within(current!).getByText('This device')).toBeTruthy()
    expect(current).toHaveTextContent('IP 127.0.0.1')
    expect(current).toHaveTextContent('Active now')
    expect(within(current!).queryByRole('button')).toBeNull()

    expect(phone).toHaveTextContent('Safari 19 on iOS')
    expect(phone).toHaveTextContent('IP 10.0.0.7')
    expect(phone).toHaveTextContent('Last active 1 hour ago')
    expect(within(phone!).queryByText('This device')).toBeNull()
    expect(within(phone!).getByRole('button', { name: 'Sign out Safari 19 on iOS' })).toHaveTextContent('Sign out')
    const lastUse = within(phone!).getByText('Last active 1 hour ago')
    expect(lastUse.tagName).toBe('TIME')
    expect(lastUse).toHaveAttribute('datetime', new Date(world.clock.now() - HOUR).toISOString())
    expect(laptop).toHaveTextContent('Last active 2 days ago')

    expect(screen.getByRole('button', { name: 'Sign out of all other devices' })).toBeTruthy()
    expect(status()).toHaveTextContent('')
  })

  it('signs one device out: "Signing out…" while it is on its way, then it leaves the list and focus stays in the section', async () => {
    const world = devicesWorld({ adapter: { latencyMs: 200 } })
    await renderWithDevices(world, <ActiveDevices />)
    await world.advance(600)
    const signOut = screen.getByRole('button', { name: 'Sign out Safari 19 on iOS' })
    signOut.focus()

    act(() => fireEvent.click(signOut))
    expect(signOut).toHaveTextContent('Signing out…')
    expect(signOut).toHaveAttribute('aria-disabled', 'true')
    expect(status()).toHaveTextContent('Signing out Safari 19 on iOS…')
    // One revocation at a time: the other buttons wait, and a click on them does nothing.
    const laptop = screen.getByRole('button', { name: 'Sign out Firefox 150 on Windows' })
    expect(laptop).toHaveAttribute('aria-disabled', 'true')
    act(() => fireEvent.click(laptop))

    await world.advance(400)
    expect(screen.queryByText('Safari 19 on iOS')).toBeNull()
    expect(items()).toHaveLength(2)
    expect(status()).toHaveTextContent('Signed out Safari 19 on iOS.')
    expect(screen.getByRole('region', { name: 'Active devices' })).toHaveFocus()
    expect(world.devices.calls.revokeUserSession).toBe(1)
    expect(world.devices.others().map((d) => d.device)).toEqual(['Firefox 150 on Windows'])
    expect(world.client.getState().status).toBe('signed-in')
  })

  it('"Sign out of all other devices" leaves only this one, and says so', async () => {
    const world = devicesWorld()
    await renderWithDevices(world, <ActiveDevices />)
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Sign out of all other devices' }))
    })
    await world.advance(0)
    expect(items()).toHaveLength(1)
    expect(items()[0]).toHaveTextContent('This device')
    expect(screen.getByText('You are not signed in on any other device.')).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Sign out of all other devices' })).toBeNull()
    expect(status()).toHaveTextContent('Signed out of all other devices.')
    expect(world.devices.others()).toEqual([])
  })

  it('after "Sign out of all other devices" with the button focused, focus goes to the section, not to the page', async () => {
    const world = devicesWorld({ adapter: { latencyMs: 200 } })
    await renderWithDevices(world, <ActiveDevices />)
    await world.advance(600)
    const signOutOthers = screen.getByRole('button', { name: 'Sign out of all other devices' })
    signOutOthers.focus()

    act(() => fireEvent.click(signOutOthers))
    expect(signOutOthers).toHaveFocus()
    await world.advance(600)
    expect(screen.queryByRole('button', { name: 'Sign out of all other devices' })).toBeNull()
    expect(screen.getByRole('region', { name: 'Active devices' })).toHaveFocus()
  })

  it('says in words what failed when the server cannot be reached, and keeps the device and the session', async () => {
    const world = devicesWorld()
    await renderWithDevices(world, <ActiveDevices />)
    world.memory.fail('offline')
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Sign out Safari 19 on iOS' }))
    })
    await world.advance(0)
    expect(status()).toHaveTextContent('Could not sign out Safari 19 on iOS. The server could not be reached. Check your connection and try again.')
    expect(screen.getByText('Safari 19 on iOS')).toBeTruthy()
    expect(world.client.getState().status).toBe('signed-in')

    world.memory.fail(null)
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Sign out Safari 19 on iOS' }))
    })
    await world.advance(0)
    expect(status()).toHaveTextContent('Signed out Safari 19 on iOS.')
  })

  it('offers "Try again" when the list could not load', async () => {
    const world = devicesWorld()
    await world.client.load()
    world.memory.fail('server-error')
    await renderWithDevices(world, <ActiveDevices />)
    expect(status()).toHaveTextContent('Could not load your devices. The server is having trouble. Wait a moment, then try again.')
    expect(screen.queryByRole('list')).toBeNull()

    world.memory.fail(null)
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Try again' }))
    })
    await world.advance(0)
    expect(items()).toHaveLength(3)
    expect(status()).toHaveTextContent('')
  })
})

describe('texts and parts', () => {
  it('takes any texts, and formats times in the given locale', async () => {
    const german: Partial<ActiveDevicesMessages> = {
      locale: 'de',
      title: 'Aktive Geräte',
      thisDevice: 'Dieses Gerät',
      lastActive: (session, { ago }) => (session.isCurrent ? 'Jetzt aktiv' : `Zuletzt aktiv ${ago(session.lastActiveAt)}`),
      signOut: 'Abmelden',
      signOutDevice: (device) => `${device} abmelden`,
    }
    const world = devicesWorld()
    await renderWithDevices(world, <ActiveDevices messages={german} />)
    expect(screen.getByRole('region', { name: 'Aktive Geräte' })).toBeTruthy()
    expect(items()[0]).toHaveTextContent('Dieses Gerät')
    expect(items()[1]).toHaveTextContent('Zuletzt aktiv vor 1 Stunde')
    expect(screen.getByRole('button', { name: 'Safari 19 on iOS abmelden' })).toHaveTextContent('Abmelden')
    // Texts left out stay English.
    expect(screen.getByRole('button', { name: 'Sign out of all other devices' })).toBeTruthy()
  })

  it('composes from parts: the app’s own item content and button, whose preventDefault keeps the device', async () => {
    const world = devicesWorld()
    const confirm = vi.fn((event: { preventDefault: () => void }) => event.preventDefault())
    await renderWithDevices(
      world,
      <ActiveDevices.Root aria-label="Your devices">
        <ActiveDevices.Status />
        <ActiveDevices.List>
          {(session) => (
            <ActiveDevices.Item session={session}>
              <span>{session.device}</span>
              <ActiveDevices.SignOutButton asChild onClick={confirm}>
                <a href="#confirm">Remove</a>
              </ActiveDevices.SignOutButton>
            </ActiveDevices.Item>
          )}
        </ActiveDevices.List>
      </ActiveDevices.Root>,
    )
    // No Title: the app's label names the section.
    expect(screen.getByRole('region', { name: 'Your devices' })).not.toHaveAttribute('aria-labelledby')
    const remove = screen.getByRole('link', { name: 'Sign out Safari 19 on iOS' })
    expect(remove).toHaveTextContent('Remove')
    await act(async () => {
      fireEvent.click(remove)
    })
    expect(confirm).toHaveBeenCalledOnce()
    expect(world.devices.calls.revokeUserSession).toBe(0)
    expect(items()).toHaveLength(3)
  })

  it('says which Root a part needs outside one', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const world = devicesWorld()
    await expect(renderWithDevices(world, <ActiveDevices.Status />)).rejects.toThrow('`ActiveDevices.Status` must be used within `ActiveDevices.Root`')
    spy.mockRestore()
  })
})

describe('when there is nothing to list', () => {
  it('renders nothing while signed out', async () => {
    const world = devicesWorld()
    await renderWithDevices(world, <ActiveDevices />)
    expect(screen.getByRole('region')).toBeTruthy()
    await act(async () => {
      await world.client.signOut()
    })
    expect(screen.queryByRole('region')).toBeNull()
    expect(screen.queryByRole('list')).toBeNull()
  })

  it('renders nothing, and warns in development, when the adapter cannot list devices', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const world = devicesWorld({ withDevices: false })
    await renderWithDevices(world, <ActiveDevices />)
    expect(screen.queryByRole('region')).toBeNull()
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^\[sessionkit\] ActiveDevices renders nothing: this adapter \(memory\) cannot list devices\. Add getUserSessions/))
    warn.mockRestore()
  })
})
