import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, waitFor } from 'storybook/test'
import { formatClock, useSessionExpiry } from '../../src/react'
import '../demo/demo.css'
import { clockTime } from '../demo/format'
import { inWorld, MINUTE, SECOND, type StoryWorldParameters } from '../support'

const REASONS = { inactivity: 'you have been inactive', idle: 'you have been away', 'max-lifetime': 'the session reached its limit' }

/**
 * A headless countdown in the app's own header: quiet while active (the hook
 * sets no timer then), a live clock and a meter in the warning phase.
 */
function HeaderTimer() {
  const { phase, deadline, reason, renewable, remainingMs, stayActive, signOut } = useSessionExpiry()
  if (deadline === null && phase !== 'expired') return <p className="demo-card">No session.</p>
  if (phase === 'expired') return <p className="demo-card">Your session has ended.</p>
  if (phase === 'active') {
    return (
      <p className="demo-card">
        Session active until {clockTime(deadline)} ({reason}).
      </p>
    )
  }
  const seconds = Math.ceil((remainingMs ?? 0) / SECOND)
  return (
    <section className="demo-card" aria-label="Session ending">
      <p>
        Signing out in <span role="timer" aria-label="Time left">{formatClock(remainingMs ?? 0)}</span> because {REASONS[reason!]}.
      </p>
      <meter aria-label="Seconds left" min={0} max={60} low={15} value={Math.min(60, seconds)} />
      <div className="demo-row">
        {renewable ? (
          <button type="button" className="demo-button" onClick={() => void stayActive()}>
            I'm still here
          </button>
        ) : null}
        <button type="button" className="demo-button" data-tone="quiet" onClick={() => void signOut()}>
          Sign out
        </button>
      </div>
    </section>
  )
}

const meta = {
  title: 'Hooks/useSessionExpiry',
  render: () => <HeaderTimer />,
  parameters: { world: {} } satisfies StoryWorldParameters,
} satisfies Meta

export default meta
type Story = StoryObj<typeof meta>

/** The server's inactivity deadline: counts down once per second in the warning phase, renewed by `stayActive`. */
export const Inactivity: Story = {
  play: inWorld(async (world, { canvas, userEvent }) => {
    await expect(canvas.getByText('Session active until 00:10:00 (inactivity).')).toBeInTheDocument()
    await userEvent.click(canvas.getByRole('button', { name: 'Jump to warning' }))
    const timer = await canvas.findByRole('timer', { name: 'Time left' })
    await expect(timer).toHaveTextContent('1:00')

    await world.advance(20 * SECOND)
    await waitFor(() => expect(timer).toHaveTextContent('0:40'))
    await expect((canvas.getByRole('meter', { name: 'Seconds left' }) as HTMLMeterElement).value).toBe(40)

    await userEvent.click(canvas.getByRole('button', { name: "I'm still here" }))
    await expect(await canvas.findByText('Session active until 00:19:20 (inactivity).')).toBeInTheDocument()
  }),
}

/** A client-side `idleTimeout` (2 minutes) shorter than the server's: the reason is `idle`, and the end is local. */
export const IdleTimeout: Story = {
  parameters: { world: { idleTimeout: 2 * MINUTE, warnBefore: 30 * SECOND } } satisfies StoryWorldParameters,
  play: inWorld(async (world, { canvas }) => {
    await expect(canvas.getByText('Session active until 00:02:00 (idle).')).toBeInTheDocument()
    await world.jumpToWarning()
    await expect(await canvas.findByRole('timer', { name: 'Time left' })).toHaveTextContent('0:30')
    await expect(canvas.getByText(/because you have been away/)).toBeInTheDocument()

    await world.advance(30 * SECOND)
    await expect(await canvas.findByText('Your session has ended.')).toBeInTheDocument()
    await expect(world.client.getState().signOutReason).toBe('idle')
  }),
}
