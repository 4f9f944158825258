import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, waitFor } from 'storybook/test'
import { useSession, useSessionClient } from '../../src/react'
import '../demo/demo.css'
import { clockTime } from '../demo/format'
import { inWorld, MINUTE, type StoryWorldParameters } from '../support'
import { framedInDocs } from '../support/framedInDocs'

/** The active session's fields (times on the story's virtual clock), and a manual renewal. */
function SessionCard() {
  const { isLoaded, isSignedIn, session } = useSession()
  const client = useSessionClient()
  if (!isLoaded) return <p>Loading…</p>
  if (!isSignedIn) return <p>No active session.</p>
  return (
    <section className="demo-card" aria-label="useSession()">
      <dl>
        <dt>id</dt>
        <dd>{session.id}</dd>
        <dt>status</dt>
        <dd>{session.status}</dd>
        <dt>user</dt>
        <dd>{session.publicUserData.identifier}</dd>
        <dt>lastActiveAt</dt>
        <dd data-testid="lastActiveAt">{clockTime(session.lastActiveAt)}</dd>
        <dt>expireAt (inactivity)</dt>
        <dd data-testid="expireAt">{clockTime(session.expireAt)}</dd>
        <dt>abandonAt (max lifetime)</dt>
        <dd data-testid="abandonAt">{clockTime(session.abandonAt)}</dd>
      </dl>
      <div className="demo-row">
        <button type="button" className="demo-button" onClick={() => void client.touch()}>
          Renew now
        </button>
      </div>
    </section>
  )
}

const meta = {
  title: 'Hooks/useSession',
  render: () => <SessionCard />,
  parameters: { ...framedInDocs, world: {} } satisfies StoryWorldParameters & typeof framedInDocs,
} satisfies Meta

export default meta
type Story = StoryObj<typeof meta>

/** A touch moves `expireAt` (10 minutes from now) and never `abandonAt`; the hook re-renders with it. */
export const Active: Story = {
  play: inWorld(async (world, { canvas, userEvent }) => {
    await expect(canvas.getByTestId('expireAt')).toHaveTextContent('00:10:00')
    await expect(canvas.getByTestId('abandonAt')).toHaveTextContent('01:00:00')

    await world.advance(2 * MINUTE)
    await userEvent.click(canvas.getByRole('button', { name: 'Renew now' }))
    await waitFor(() => expect(canvas.getByTestId('expireAt')).toHaveTextContent('00:12:00'))
    await expect(canvas.getByTestId('lastActiveAt')).toHaveTextContent('00:02:00')
    await expect(canvas.getByTestId('abandonAt')).toHaveTextContent('01:00:00')
  }),
}

/** Revoked elsewhere: the next answer from the server ends it here too. */
export const RevokedElsewhere: Story = {
  play: inWorld(async (world, { canvas }) => {
    await expect(canvas.getByText('active')).toBeInTheDocument()
    await world.signOutElsewhere()
    await expect(await canvas.findByText('No active session.')).toBeInTheDocument()
    await expect(world.client.getState().signOutReason).toBe('revoked')
  }),
}
