import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { expect, waitFor, within } from 'storybook/test'
import { DEMO_TOTP_CODE } from '../../src/adapters/memory'
import { Protect, ReverificationDialog, useSessionClient, type PendingReverification } from '../../src/react'
import { HOUR, inWorld, MINUTE, type StoryWorldParameters } from '../support'
import { PayOut, SensitivePage } from './SensitivePage'

/** A day of inactivity allowed; the last proof is 11 minutes old, so `strict` asks. */
const staleProof = {
  world: {
    policy: { inactivityTimeoutMs: 24 * HOUR, maxLifetimeMs: null },
    setup: (world) => world.advance(11 * MINUTE),
  },
} satisfies StoryWorldParameters

const meta = {
  title: 'Hooks/useReverification',
  parameters: {
    ...staleProof,
    docs: { story: { inline: false, height: '420px' } },
  } satisfies StoryWorldParameters & Record<string, unknown>,
} satisfies Meta

export default meta
type Story = StoryObj<typeof meta>

/** The common case: the hook around the action, `<ReverificationDialog />` mounted once. */
export const WithTheDialog: Story = {
  render: () => (
    <SensitivePage>
      <PayOut />
      <ReverificationDialog />
    </SensitivePage>
  ),
  play: inWorld(async (world, { canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Pay out 120 €' }))
    const dialog = await canvas.findByRole('dialog', { name: 'Confirm it’s you' })
    await userEvent.type(within(dialog).getByLabelText('Verification code'), `${DEMO_TOTP_CODE}{Enter}`)
    await world.advance(0)
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('Paid out 120 €.'))
  }),
}

/** An app's own UI through `onNeedsReverification`: here an inline panel instead of a modal. */
function InlineStepUp() {
  const client = useSessionClient()
  const [pending, setPending] = useState<PendingReverification | null>(null)
  const [code, setCode] = useState('')
  const [error, setError] = useState<string | null>(null)
  const verify = async () => {
    if (!pending) return
    try {
      // The session the action started under, not whichever is active now (another tab may have switched).
      await client.verify({ strategy: 'totp', code }, { sessionId: pending.sessionId })
      pending.complete()
      setPending(null)
    } catch {
      setError('Wrong code, try again.')
    }
  }
  return (
    <>
      <PayOut options={{ onNeedsReverification: setPending }} />
      {pending ? (
        <section className="demo-card" aria-label="Verify to pay out">
          <p>Level asked for: {pending.level}; steps: {pending.steps.join(', ')}.</p>
          <label>
            Code{' '}
            <input value={code} onChange={(event) => setCode(event.currentTarget.value)} aria-invalid={error !== null} />
          </label>
          {error ? <p role="alert">{error}</p> : null}
          <div className="demo-row">
            <button type="button" className="demo-button" onClick={() => void verify()}>
              Verify
            </button>
            <button
              type="button"
              className="demo-button"
              data-tone="quiet"
              onClick={() => {
                pending.cancel()
                setPending(null)
              }}
            >
              Cancel
            </button>
          </div>
        </section>
      ) : null}
    </>
  )
}

export const OwnUi: Story = {
  render: () => (
    <SensitivePage>
      <InlineStepUp />
    </SensitivePage>
  ),
  play: inWorld(async (world, { canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Pay out 120 €' }))
    const panel = await canvas.findByRole('region', { name: 'Verify to pay out' })
    await expect(panel).toHaveTextContent('Level asked for: second_factor; steps: code.')
    await userEvent.type(within(panel).getByLabelText('Code'), DEMO_TOTP_CODE)
    await userEvent.click(within(panel).getByRole('button', { name: 'Verify' }))
    await world.advance(0)
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('Paid out 120 €.'))
    await expect(canvas.queryByRole('dialog')).not.toBeInTheDocument()
  }),
}

/**
 * `<Protect reverification="strict">` next to the action: the details show
 * while the proof is fresh and hide when it turns 10 minutes old, on one
 * timer, without polling.
 */
export const WithProtect: Story = {
  parameters: { world: { ...staleProof.world, setup: () => undefined } },
  render: () => (
    <SensitivePage>
      <Protect reverification="strict" fallback={<p>Bank details are hidden: verify to see them.</p>}>
        <p>Bank details: DE89 3704 0044 0532 0130 00</p>
      </Protect>
      <PayOut />
      <ReverificationDialog />
    </SensitivePage>
  ),
  play: inWorld(async (world, { canvas, userEvent }) => {
    await expect(canvas.getByText(/Bank details: DE89/)).toBeInTheDocument()
    await world.advance(10 * MINUTE)
    await waitFor(() => expect(canvas.getByText(/Bank details are hidden/)).toBeInTheDocument())

    await userEvent.click(canvas.getByRole('button', { name: 'Pay out 120 €' }))
    const dialog = await canvas.findByRole('dialog', { name: 'Confirm it’s you' })
    await userEvent.type(within(dialog).getByLabelText('Verification code'), `${DEMO_TOTP_CODE}{Enter}`)
    await world.advance(0)
    await waitFor(() => expect(canvas.getByText(/Bank details: DE89/)).toBeInTheDocument())
  }),
}
