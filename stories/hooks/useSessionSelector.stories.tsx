import type { Meta, StoryObj } from '@storybook/react-vite'
import { useRef } from 'react'
import { expect, waitFor } from 'storybook/test'
import { useSessionClient, useSessionSelector } from '../../src/react'
import '../demo/demo.css'
import { inWorld, SECOND, type StoryWorldParameters } from '../support'

/** Reads one slice (connectivity) and counts its own renders: touches and time do not re-render it. */
function ConnectivityBadge() {
  const connectivity = useSessionSelector((state) => state.connectivity)
  const renders = useRef(0)
  renders.current++
  return (
    <p>
      Server: <strong data-testid="connectivity">{connectivity}</strong> · rendered <span data-testid="renders">{renders.current}</span>{' '}
      {renders.current === 1 ? 'time' : 'times'}
    </p>
  )
}

function Page() {
  const client = useSessionClient()
  return (
    <section className="demo-card" aria-label="useSessionSelector()">
      <ConnectivityBadge />
      <div className="demo-row">
        <button type="button" className="demo-button" onClick={() => void client.touch().catch(() => undefined)}>
          Renew now
        </button>
      </div>
    </section>
  )
}

const meta = {
  title: 'Hooks/useSessionSelector',
  render: () => <Page />,
  parameters: { world: {} } satisfies StoryWorldParameters,
} satisfies Meta

export default meta
type Story = StoryObj<typeof meta>

/**
 * A 500 makes the client `degraded` (never signed out) and it retries with
 * backoff; the badge re-renders only when `connectivity` changes.
 */
export const ConnectivitySlice: Story = {
  play: inWorld(async (world, { canvas, userEvent }) => {
    const badge = canvas.getByTestId('connectivity')
    await expect(badge).toHaveTextContent('online')
    const renders = Number(canvas.getByTestId('renders').textContent)

    world.setServerError(true)
    await userEvent.click(canvas.getByRole('button', { name: 'Renew now' }))
    await waitFor(() => expect(badge).toHaveTextContent('degraded'))
    await expect(world.client.getState().status).toBe('signed-in')

    world.setServerError(false)
    // The first retry waits 0.5 to 1 s (backoff with jitter).
    await world.advance(SECOND)
    await waitFor(() => expect(badge).toHaveTextContent('online'))
    await expect(canvas.getByTestId('renders')).toHaveTextContent(String(renders + 2))
  }),
}
