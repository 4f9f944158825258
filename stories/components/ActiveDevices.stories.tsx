import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, waitFor, within } from 'storybook/test'
import { DEMO_USERS } from '../../src/adapters/memory'
import { ActiveDevices } from '../../src/react'
import '../demo/demo.css'
import { SUPPORT_USER as SUPPORT } from '../support/supportUser'
import { activeDevicesArgTypes } from './argTypes'
import { HOUR, inWorld, MINUTE, type StoryDevicesOptions, type StoryWorldParameters } from '../support'
import { framedInDocs } from '../support/framedInDocs'

// The user's devices come from the story world's device list (stories/support/storyDevices.ts):
// the memory backend is this browser, the others are what the server would list.

const DAY = 24 * HOUR

/** Ada on this laptop, her phone and two more. */
const SEVERAL: StoryDevicesOptions = {
  thisDevice: { device: 'Chrome 140 on macOS', ip: '192.0.2.10' },
  others: [
    { id: 'sess_phone', device: 'Safari 19 on iOS', ip: '198.51.100.7', lastActiveAgo: 5 * MINUTE, signedInAgo: 3 * DAY },
    { id: 'sess_office', device: 'Firefox 150 on Windows', ip: '203.0.113.42', lastActiveAgo: 2 * DAY, signedInAgo: 20 * DAY },
    { id: 'sess_tablet', device: 'Chrome 139 on Android', ip: null, lastActiveAgo: 3 * 7 * DAY, signedInAgo: 40 * DAY },
  ],
  // Long enough to see "Signing out…" in the browser; play functions move the clock past it.
  latencyMs: 400,
}

const meta = {
  title: 'Components/ActiveDevices',
  component: ActiveDevices,
  argTypes: activeDevicesArgTypes,
  parameters: { ...framedInDocs, world: { devices: SEVERAL } } satisfies StoryWorldParameters & typeof framedInDocs,
  render: (args) => (
    <div className="demo-card">
      <ActiveDevices {...args} />
    </div>
  ),
} satisfies Meta<typeof ActiveDevices>

export default meta
type Story = StoryObj<typeof meta>

/** Lets the list (or a revocation) arrive: device calls take `latencyMs` of virtual time. */
const ANSWER = 500

/** The section alone: the world's control bar above it has buttons too. */
const devicesIn = (canvasElement: HTMLElement) => within(canvasElement).findByRole('region', { name: 'Active devices' }).then(within)

/** Signed in on this device only: no "Sign out" anywhere, and a note saying so. */
export const OneDevice: Story = {
  parameters: { world: { devices: { others: [], latencyMs: 0 } } } satisfies StoryWorldParameters,
  play: inWorld(async (world, { canvasElement }) => {
    const canvas = await devicesIn(canvasElement)
    await world.advance(ANSWER)
    const list = await canvas.findByRole('list')
    const [only] = within(list).getAllByRole('listitem')
    await expect(within(list).getAllByRole('listitem')).toHaveLength(1)
    await expect(only).toHaveTextContent('Chrome 140 on macOS')
    await expect(within(only!).getByText('This device')).toBeInTheDocument()
    await expect(canvas.getByText('You are not signed in on any other device.')).toBeInTheDocument()
    await expect(canvas.queryByRole('button')).not.toBeInTheDocument()
  }),
}

/** Four devices: this one first with its badge, then the others by last use, each with IP, last use and "Sign out". */
export const SeveralDevices: Story = {
  play: inWorld(async (world, { canvasElement }) => {
    const canvas = await devicesIn(canvasElement)
    await expect(canvas.getByRole('status')).toHaveTextContent('Loading your devices…')
    await world.advance(ANSWER)
    const items = await canvas.findAllByRole('listitem')
    await expect(items.map((item) => item.querySelector('.sk-device-name')!.textContent)).toEqual([
      'Chrome 140 on macOS',
      'Safari 19 on iOS',
      'Firefox 150 on Windows',
      'Chrome 139 on Android',
    ])
    await expect(items[0]).toHaveAttribute('aria-current', 'true')
    const texts = (item: HTMLElement) => [...item.querySelectorAll('.sk-device-details > *')].map((part) => part.textContent)
    await expect(within(items[0]!).getByText('This device')).toBeInTheDocument()
    await expect(texts(items[0]!)).toEqual(['IP 192.0.2.10', 'Active now'])
    await expect(texts(items[1]!)).toEqual(['IP 198.51.100.7', 'Last active 5 minutes ago'])
    await expect(texts(items[2]!)).toEqual(['IP 203.0.113.42', 'Last active 2 days ago'])
    await expect(texts(items[3]!)).toEqual(['Unknown IP address', 'Last active 3 weeks ago'])
    await expect(within(items[0]!).queryByRole('button')).not.toBeInTheDocument()
    for (const device of ['Safari 19 on iOS', 'Firefox 150 on Windows', 'Chrome 139 on Android']) {
      await expect(canvas.getByRole('button', { name: `Sign out ${device}` })).toBeInTheDocument()
    }
    await expect(canvas.getByRole('status')).toHaveTextContent('')
  }),
}

/** Sign the phone out: it reads "Signing out…" while the server works, then leaves the list; then every other device at once. */
export const RevokeFlow: Story = {
  play: inWorld(async (world, { canvasElement, userEvent }) => {
    const canvas = await devicesIn(canvasElement)
    await world.advance(ANSWER)
    const signOutPhone = await canvas.findByRole('button', { name: 'Sign out Safari 19 on iOS' })

    await userEvent.click(signOutPhone)
    await expect(signOutPhone).toHaveTextContent('Signing out…')
    await expect(signOutPhone).toHaveAttribute('aria-disabled', 'true')
    await expect(canvas.getByRole('status')).toHaveTextContent('Signing out Safari 19 on iOS…')

    await world.advance(ANSWER)
    await waitFor(() => expect(canvas.queryByText('Safari 19 on iOS')).not.toBeInTheDocument())
    await expect(canvas.getByRole('status')).toHaveTextContent('Signed out Safari 19 on iOS.')
    // Focus does not fall to the page: it stays on the section.
    await expect(within(canvasElement).getByRole('region', { name: 'Active devices' })).toHaveFocus()
    await expect(world.devices!.others().map((d) => d.device)).toEqual(['Firefox 150 on Windows', 'Chrome 139 on Android'])

    await userEvent.click(canvas.getByRole('button', { name: 'Sign out of all other devices' }))
    await expect(canvas.getByRole('status')).toHaveTextContent('Signing out of all other devices…')
    await world.advance(ANSWER)
    await waitFor(() => expect(canvas.getAllByRole('listitem')).toHaveLength(1))
    await expect(canvas.getByRole('listitem')).toHaveTextContent('This device')
    await expect(canvas.getByRole('status')).toHaveTextContent('Signed out of all other devices.')
    await expect(world.devices!.others()).toEqual([])
    // Signing other devices out never signs this one out.
    await expect(world.client.getState().status).toBe('signed-in')
  }),
}

/** The network goes away before "Sign out": the status says so in words, the device stays, and so does the session. */
export const NetworkError: Story = {
  play: inWorld(async (world, { canvasElement, userEvent }) => {
    const canvas = await devicesIn(canvasElement)
    await world.advance(ANSWER)
    const signOutOffice = await canvas.findByRole('button', { name: 'Sign out Firefox 150 on Windows' })
    world.goOffline()

    await userEvent.click(signOutOffice)
    await world.advance(ANSWER)
    await waitFor(() =>
      expect(canvas.getByRole('status')).toHaveTextContent(
        'Could not sign out Firefox 150 on Windows. The server could not be reached. Check your connection and try again.',
      ),
    )
    await expect(canvas.getByText('Firefox 150 on Windows')).toBeInTheDocument()
    await expect(world.client.getState().status).toBe('signed-in')

    world.goOnline()
    await userEvent.click(signOutOffice)
    await world.advance(ANSWER)
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('Signed out Firefox 150 on Windows.'))
  }),
}

/** The list itself could not load (the server answers 500): what happened, and "Try again". */
export const LoadError: Story = {
  parameters: { world: { setup: (world) => world.setServerError(true) } } satisfies StoryWorldParameters,
  play: inWorld(async (world, { canvasElement, userEvent }) => {
    const canvas = await devicesIn(canvasElement)
    await world.advance(ANSWER)
    await waitFor(() =>
      expect(canvas.getByRole('status')).toHaveTextContent('Could not load your devices. The server is having trouble. Wait a moment, then try again.'),
    )
    await expect(canvas.queryByRole('list')).not.toBeInTheDocument()

    world.setServerError(false)
    await userEvent.click(canvas.getByRole('button', { name: 'Try again' }))
    await world.advance(ANSWER)
    await waitFor(() => expect(canvas.getAllByRole('listitem')).toHaveLength(4))
  }),
}


/**
 * Support acting as Ada: her devices, read-only, with a note saying why (the server refuses every
 * sign-out from an acting session). This browser's acting session is not one of her devices, so no
 * entry is "This device". "Stop acting" (here from the play function) brings the buttons back.
 */
export const ActingAsUser: Story = {
  parameters: {
    world: {
      adapter: { users: [...DEMO_USERS, SUPPORT] },
      signedInAs: 'support@example.com',
      setup: (world) => world.client.startImpersonation('user_ada'),
    },
  } satisfies StoryWorldParameters,
  play: inWorld(async (world, { canvasElement }) => {
    const canvas = await devicesIn(canvasElement)
    await world.advance(ANSWER)
    await waitFor(() => expect(canvas.getAllByRole('listitem')).toHaveLength(3))
    await expect(canvas.queryByText('This device')).not.toBeInTheDocument()
    await expect(canvas.queryByRole('button')).not.toBeInTheDocument()
    await expect(canvas.getByText('You are acting as Ada Lovelace, so these devices can be seen but not signed out.')).toBeInTheDocument()

    await world.client.stopImpersonation()
    await world.advance(ANSWER)
    await waitFor(() => expect(canvas.getByRole('button', { name: 'Sign out of all other devices' })).toBeInTheDocument())
    await expect(canvas.queryByText(/You are acting as/)).not.toBeInTheDocument()
  }),
}
