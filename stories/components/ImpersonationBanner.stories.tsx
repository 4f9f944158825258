import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, waitFor } from 'storybook/test'
import { DEMO_USERS } from '../../src/adapters/memory'
import { ImpersonationBanner, useUser, type ImpersonationBannerProps } from '../../src/react'
import '../demo/demo.css'
import { SUPPORT_USER as SUPPORT } from '../support/supportUser'
import { inWorld, type StoryWorldParameters } from '../support'
import { impersonationBannerArgTypes } from './argTypes'
import { framedInDocs } from '../support/framedInDocs'


/** Signed in as support, acting as Ada since the story began. */
const actingAsAda: StoryWorldParameters = {
  world: {
    adapter: { users: [...DEMO_USERS, SUPPORT] },
    signedInAs: 'support@example.com',
    setup: (world) => world.client.startImpersonation('user_ada'),
  },
}

/** The banner above an app page that says whose account it shows. */
function Page(bannerProps: ImpersonationBannerProps) {
  const { user } = useUser()
  return (
    <div className="demo-page">
      <ImpersonationBanner {...bannerProps} />
      <main className="demo-card">
        <h1 className="demo-title">Dashboard</h1>
        <p>Signed in as {user ? `${user.firstName} ${user.lastName}` : 'nobody'}.</p>
      </main>
    </div>
  )
}

const meta = {
  title: 'Components/ImpersonationBanner',
  component: ImpersonationBanner,
  argTypes: impersonationBannerArgTypes,
  render: (args) => <Page {...args} />,
  parameters: { ...framedInDocs, ...actingAsAda },
} satisfies Meta<typeof ImpersonationBanner>

export default meta
type Story = StoryObj<typeof meta>

/** Support acting as Ada: a labelled region says so, and "Stop acting as Ada" returns to support's own session. */
export const ActingAsAda: Story = {
  play: inWorld(async (world, { canvas, userEvent }) => {
    const banner = canvas.getByRole('region', { name: 'Impersonation' })
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('You are acting as Ada Lovelace (signed in as support@example.com)'))
    await expect(canvas.getByText('Signed in as Ada Lovelace.')).toBeInTheDocument()
    await userEvent.click(canvas.getByRole('button', { name: 'Stop acting as Ada' }))
    await waitFor(() => expect(banner).not.toBeInTheDocument())
    await expect(canvas.getByText('Signed in as Sam Support.')).toBeInTheDocument()
    await expect(world.client.getState().session?.actor).toBeNull()
  }),
}

/** Nobody acting as the user: the banner renders nothing. */
export const NotActing: Story = {
  parameters: { world: { signedInAs: 'ada@example.com', setup: () => undefined } } satisfies StoryWorldParameters,
  play: inWorld(async (_world, { canvas }) => {
    await expect(canvas.getByText('Signed in as Ada Lovelace.')).toBeInTheDocument()
    await expect(canvas.queryByRole('region', { name: 'Impersonation' })).toBeNull()
  }),
}

/** Every text can be replaced (here in French); the region's label too. */
export const CustomMessages: Story = {
  args: {
    lang: 'fr',
    messages: {
      label: 'Mode assistance',
      text: ({ user, actor }) => `Vous agissez en tant que ${user} (connecté en tant que ${actor})`,
      stop: ({ userFirstName }) => `Ne plus agir en tant que ${userFirstName}`,
      stopping: 'Retour à votre compte…',
    },
  },
  render: (args) => <ImpersonationBanner {...args} />,
  play: inWorld(async (_world, { canvas }) => {
    const region = canvas.getByRole('region', { name: 'Mode assistance' })
    await waitFor(() => expect(region).toHaveTextContent('Vous agissez en tant que Ada Lovelace (connecté en tant que support@example.com)'))
    await expect(canvas.getByRole('button', { name: 'Ne plus agir en tant que Ada' })).toBeInTheDocument()
  }),
}

/** In a dark theme (`data-theme="dark"` on an ancestor): the same contrast, no violation. */
export const Dark: Story = {
  render: (args) => (
    <div data-theme="dark" style={{ padding: '1rem', background: '#111318' }}>
      <ImpersonationBanner {...args} />
    </div>
  ),
  play: inWorld(async (_world, { canvas }) => {
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent(/You are acting as Ada Lovelace/))
  }),
}
