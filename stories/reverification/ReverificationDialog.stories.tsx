import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, waitFor, within } from 'storybook/test'
import { DEMO_PASSWORD, DEMO_TOTP_CODE } from '../../src/adapters/memory'
import type { ReverificationCheck } from '../../src/core/authorization'
import { ReverificationDialog, type ReverificationDialogProps } from '../../src/react'
import { HOUR, inWorld, MINUTE, type StoryWorldParameters } from '../support'
import { reverificationDialogArgTypes } from '../components/argTypes'
import { PayOut, SensitivePage } from './SensitivePage'

type DialogStoryArgs = ReverificationDialogProps & { check?: ReverificationCheck }

/** A day of inactivity allowed: the session outlives the stale proof. The last proof is 11 minutes old. */
const staleProof = {
  world: {
    policy: { inactivityTimeoutMs: 24 * HOUR, maxLifetimeMs: null },
    setup: (world) => world.advance(11 * MINUTE),
  },
} satisfies StoryWorldParameters

const meta = {
  title: 'Components/ReverificationDialog',
  component: ReverificationDialog,
  args: { onOpenChange: fn() },
  argTypes: reverificationDialogArgTypes,
  parameters: {
    ...staleProof,
    // Modal: in docs, each story gets its own frame so it cannot block the page.
    docs: { story: { inline: false, height: '460px' } },
  } satisfies StoryWorldParameters & Record<string, unknown>,
  render: ({ check, ...args }) => (
    <SensitivePage>
      <PayOut check={check} />
      <ReverificationDialog {...args} />
    </SensitivePage>
  ),
} satisfies Meta<DialogStoryArgs>

export default meta
type Story = StoryObj<typeof meta>

const alan = (check: ReverificationCheck = 'strict') =>
  ({ args: { check }, parameters: { world: { ...staleProof.world, signedInAs: 'alan@example.com' } } }) as const

/** Ada has a second factor: `strict` asks for the code, then the payout runs again and succeeds. */
export const Default: Story = {
  play: inWorld(async (world, { canvas, args, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Pay out 120 €' }))
    const dialog = await canvas.findByRole('dialog', { name: 'Confirm it’s you' })
    await expect(args.onOpenChange).toHaveBeenCalledWith(true)
    const code = within(dialog).getByLabelText('Verification code')
    await waitFor(() => expect(code).toHaveFocus())

    await userEvent.type(code, `${DEMO_TOTP_CODE}{Enter}`)
    await world.advance(0)
    await waitFor(() => expect(canvas.queryByRole('dialog')).not.toBeInTheDocument())
    await expect(canvas.getByRole('status')).toHaveTextContent('Paid out 120 €.')
    await expect(world.adapter.calls.verifySession).toBe(1)
  }),
}

/** A wrong code is said next to the field (announced, and the field described by it); the right one then works. */
export const WrongCode: Story = {
  play: inWorld(async (world, { canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Pay out 120 €' }))
    const dialog = await canvas.findByRole('dialog', { name: 'Confirm it’s you' })
    const code = within(dialog).getByLabelText('Verification code')
    await userEvent.type(code, '000000{Enter}')
    await world.advance(0)
    await waitFor(() => expect(code).toHaveAccessibleDescription('That code is not right. Try again.'))
    await expect(code).toHaveAttribute('aria-invalid', 'true')
    await expect(code).toHaveFocus()
  }),
}

/** Alan has no second factor: `strict` falls back to the password. */
export const PasswordOnly: Story = {
  ...alan(),
  play: inWorld(async (world, { canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Pay out 120 €' }))
    const dialog = await canvas.findByRole('dialog', { name: 'Confirm it’s you' })
    const password = within(dialog).getByLabelText('Password')
    await waitFor(() => expect(password).toHaveFocus())
    await userEvent.type(password, `${DEMO_PASSWORD}{Enter}`)
    await world.advance(0)
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('Paid out 120 €.'))
  }),
}

/** `strict_mfa`: the password, then the code, in one dialog. */
export const MultiFactor: Story = {
  args: { check: 'strict_mfa' },
  play: inWorld(async (world, { canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Pay out 120 €' }))
    const dialog = await canvas.findByRole('dialog', { name: 'Confirm it’s you' })
    await expect(dialog).toHaveAccessibleDescription(/^Step 1 of 2\./)
    await userEvent.type(within(dialog).getByLabelText('Password'), `${DEMO_PASSWORD}{Enter}`)
    await world.advance(0)
    await waitFor(() => expect(dialog).toHaveAccessibleDescription(/^Step 2 of 2\./))
    await expect(within(dialog).getByLabelText('Verification code')).toHaveFocus()
  }),
}

/** Cancel (or Escape) gives up: the action rejects with `reverification_cancelled` and focus goes back. */
export const Cancelled: Story = {
  play: inWorld(async (_world, { canvas, args, userEvent }) => {
    const payOut = canvas.getByRole('button', { name: 'Pay out 120 €' })
    await userEvent.click(payOut)
    const dialog = await canvas.findByRole('dialog', { name: 'Confirm it’s you' })
    // (A real Escape does the same; synthetic key events do not reach the native <dialog>.)
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    await waitFor(() => expect(canvas.queryByRole('dialog')).not.toBeInTheDocument())
    await expect(canvas.getByRole('status')).toHaveTextContent('Not paid out (reverification_cancelled).')
    await expect(args.onOpenChange).toHaveBeenLastCalledWith(false)
    await expect(payOut).toHaveFocus()
  }),
}

/** `strict_mfa` for a user without a second factor cannot be met: the dialog says so and offers Cancel. */
export const CannotBeMet: Story = {
  ...alan('strict_mfa'),
  play: inWorld(async (_world, { canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Pay out 120 €' }))
    const dialog = await canvas.findByRole('dialog', { name: 'Confirm it’s you' })
    await expect(dialog).toHaveAccessibleDescription(/your account has none/)
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus())
  }),
}

/** German through `messages`. */
export const CustomMessages: Story = {
  args: {
    lang: 'de',
    messages: {
      title: 'Bestätigen Sie, dass Sie es sind',
      codeDescription: 'Geben Sie zur Sicherheit den Code aus Ihrer Authenticator-App ein.',
      codeLabel: 'Bestätigungscode',
      submit: 'Weiter',
      cancel: 'Abbrechen',
      wrongCode: 'Der Code stimmt nicht. Versuchen Sie es erneut.',
    },
  },
  play: inWorld(async (_world, { canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Pay out 120 €' }))
    const dialog = await canvas.findByRole('dialog', { name: 'Bestätigen Sie, dass Sie es sind' })
    await expect(dialog).toHaveAttribute('lang', 'de')
    await expect(within(dialog).getByRole('button', { name: 'Weiter' })).toBeInTheDocument()
  }),
}

/** Dark (an ancestor with `data-theme="dark"`): the same custom properties as the inactivity warning. */
export const Dark: Story = {
  render: ({ check, ...args }) => (
    <SensitivePage>
      <PayOut check={check} />
      <div data-theme="dark">
        <ReverificationDialog {...args} />
      </div>
    </SensitivePage>
  ),
  play: inWorld(async (_world, { canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Pay out 120 €' }))
    const dialog = await canvas.findByRole('dialog', { name: 'Confirm it’s you' })
    await expect(getComputedStyle(dialog).backgroundColor).toBe('rgb(28, 29, 34)')
  }),
}
