import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, waitFor, within } from 'storybook/test'
import type { Session } from '../../src/core/types'
import { useAuth, useSessionList, useUser } from '../../src/react'
import '../demo/demo.css'
import { inWorld, type StoryWorldParameters } from '../support'

const nameOf = (session: Session) => session.publicUserData.firstName ?? session.publicUserData.identifier

/** Who the app is acting as: `useUser()`. */
function CurrentUser() {
  const { isSignedIn, user } = useUser()
  if (!isSignedIn) return <p>Nobody is active.</p>
  const memberships = user.organizationMemberships.map((m) => `${m.organization.name} (${m.role})`).join(', ')
  return (
    <p aria-label="Current user">
      Acting as <strong>{`${user.firstName} ${user.lastName}`}</strong>
      {memberships ? ` · ${memberships}` : ''}
    </p>
  )
}

/** Every session on this browser: switch with `setActive`, sign out of one with `signOut({ sessionId })`. */
function SessionSwitcher() {
  const { isLoaded, sessions, setActive } = useSessionList()
  const { sessionId, signOut } = useAuth()
  if (!isLoaded) return <p>Loading…</p>
  return (
    <section className="demo-card" aria-label="Accounts">
      <CurrentUser />
      <ul aria-label="Sessions on this browser">
        {sessions!.map((session) => {
          const name = nameOf(session)
          const live = session.status === 'active'
          return (
            <li key={session.id} className="demo-row">
              <span>
                {name} <small>({session.status})</small>
              </span>
              {session.id === sessionId ? <strong>current</strong> : null}
              {live && session.id !== sessionId ? (
                <button type="button" className="demo-button" onClick={() => void setActive(session.id)}>
                  Switch to {name}
                </button>
              ) : null}
              {live ? (
                <button type="button" className="demo-button" data-tone="quiet" onClick={() => void signOut({ sessionId: session.id })}>
                  Sign out {name}
                </button>
              ) : null}
            </li>
          )
        })}
      </ul>
    </section>
  )
}

const meta = {
  title: 'Hooks/useSessionList',
  render: () => <SessionSwitcher />,
  // Three sessions on one browser; the last signed in (Ada) is active.
  parameters: { world: { signedInAs: ['grace@example.com', 'alan@example.com', 'ada@example.com'] } } satisfies StoryWorldParameters,
} satisfies Meta

export default meta
type Story = StoryObj<typeof meta>

/** A multi-session switcher: switch to Grace, then sign Alan out without touching the others. */
export const MultiSession: Story = {
  play: inWorld(async (world, { canvas, userEvent }) => {
    const list = canvas.getByRole('list', { name: 'Sessions on this browser' })
    await expect(within(list).getAllByRole('listitem')).toHaveLength(3)
    await expect(canvas.getByLabelText('Current user')).toHaveTextContent('Acting as Ada Lovelace · Acme Inc. (org:admin), Globex (org:member)')

    await userEvent.click(canvas.getByRole('button', { name: 'Switch to Grace' }))
    await waitFor(() => expect(canvas.getByLabelText('Current user')).toHaveTextContent('Acting as Grace Hopper · Acme Inc. (org:member)'))

    await userEvent.click(canvas.getByRole('button', { name: 'Sign out Alan' }))
    await waitFor(() => expect(within(list).getByText('(ended)')).toBeInTheDocument())
    await expect(world.client.getState().session?.userId).toBe('user_grace')
    await expect(canvas.getByRole('button', { name: 'Switch to Ada' })).toBeInTheDocument()
  }),
}
