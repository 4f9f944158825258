import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState, type FormEvent } from 'react'
import { expect, within } from 'storybook/test'
import { DEMO_PASSWORD } from '../../src/adapters/memory'
import { isSessionKitError } from '../../src/core/errors'
import { Protect, SignedIn, SignedOut, useAuth, useSessionClient, useUser } from '../../src/react'
import '../demo/demo.css'
import { inWorld, type StoryWorldParameters } from '../support'
import { framedInDocs } from '../support/framedInDocs'

function SignInForm() {
  const client = useSessionClient()
  const [error, setError] = useState<string | null>(null)
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const data = new FormData(event.currentTarget)
    setError(null)
    try {
      await client.signIn({ identifier: String(data.get('identifier')), password: String(data.get('password')) })
    } catch (caught) {
      setError(isSessionKitError(caught) ? caught.message : 'Something went wrong: try again.')
    }
  }
  return (
    <form className="demo-card" aria-label="Sign in" onSubmit={(event) => void submit(event)}>
      <label>
        Account{' '}
        <select name="identifier" defaultValue="ada@example.com">
          <option value="ada@example.com">Ada (admin of Acme)</option>
          <option value="grace@example.com">Grace (member of Acme)</option>
          <option value="alan@example.com">Alan (no organization)</option>
        </select>
      </label>
      <label>
        Password <input name="password" type="password" autoComplete="current-password" />
      </label>
      <p>
        The demo password is <code>{DEMO_PASSWORD}</code>.
      </p>
      {error ? <p role="alert">{error}</p> : null}
      <div className="demo-row">
        <button type="submit" className="demo-button">
          Sign in
        </button>
      </div>
    </form>
  )
}

/** What the stories' `Protect`s check: from the Controls panel. */
interface ProtectArgs {
  role: string
  permission: string
}

function InvoiceActions({ role, permission }: ProtectArgs) {
  const { user } = useUser()
  const { signOut } = useAuth()
  return (
    <section className="demo-card" aria-label="Invoices">
      <p>Welcome back, {user?.firstName}.</p>
      <Protect role={role} fallback={<p>Only admins can delete invoices.</p>}>
        <button type="button" className="demo-button">
          Delete invoice
        </button>
      </Protect>
      <Protect permission={permission} fallback={<p>You cannot see invoices here.</p>}>
        <p>Invoice #1042 · Globex · 3 lines</p>
      </Protect>
      <Protect condition={(has) => has({ permission: 'org:members:manage' })} fallback={<p>Members are managed by an admin.</p>}>
        <button type="button" className="demo-button" data-tone="quiet">
          Manage members
        </button>
      </Protect>
      <div className="demo-row">
        <button type="button" className="demo-button" data-tone="quiet" onClick={() => void signOut()}>
          Sign out
        </button>
      </div>
    </section>
  )
}

function App(protectArgs: ProtectArgs) {
  return (
    <>
      <SignedOut>
        <SignInForm />
      </SignedOut>
      <SignedIn>
        <InvoiceActions {...protectArgs} />
      </SignedIn>
    </>
  )
}

const meta = {
  title: 'Components/SignedIn, SignedOut, Protect',
  args: { role: 'org:admin', permission: 'org:invoices:read' },
  argTypes: {
    role: {
      control: 'text',
      description: 'The role "Delete invoice" needs in the active organization (`<Protect role>`). Ada is `org:admin`, Grace `org:member`.',
      table: { type: { summary: 'string' } },
    },
    permission: {
      control: 'text',
      description: 'The permission the invoice line needs (`<Protect permission>`), e.g. `org:invoices:read` or `org:invoices:delete`.',
      table: { type: { summary: 'string' } },
    },
  },
  render: (args) => <App {...args} />,
  parameters: { ...framedInDocs, world: {} } satisfies StoryWorldParameters & typeof framedInDocs,
} satisfies Meta<ProtectArgs>

export default meta
type Story = StoryObj<typeof meta>

/** `SignedOut` shows the form; a wrong password is a sentence, the right one swaps in `SignedIn`. */
export const SignInAndOut: Story = {
  parameters: { world: { signedInAs: [] } } satisfies StoryWorldParameters,
  play: inWorld(async (_world, { canvas, userEvent }) => {
    const form = canvas.getByRole('form', { name: 'Sign in' })
    await userEvent.type(within(form).getByLabelText('Password'), 'wrong')
    await userEvent.click(within(form).getByRole('button', { name: 'Sign in' }))
    await expect(await canvas.findByRole('alert')).toHaveTextContent('That identifier and password do not match: try again.')

    await userEvent.clear(within(form).getByLabelText('Password'))
    await userEvent.type(within(form).getByLabelText('Password'), DEMO_PASSWORD)
    await userEvent.click(within(form).getByRole('button', { name: 'Sign in' }))
    await expect(await canvas.findByText('Welcome back, Ada.')).toBeInTheDocument()
    await expect(canvas.queryByRole('form', { name: 'Sign in' })).not.toBeInTheDocument()

    await userEvent.click(canvas.getByRole('button', { name: 'Sign out' }))
    await expect(await canvas.findByRole('form', { name: 'Sign in' })).toBeInTheDocument()
  }),
}

/** Ada is admin of Acme: every `Protect` lets her through. */
export const ProtectAsAdmin: Story = {
  play: inWorld(async (_world, { canvas }) => {
    await expect(canvas.getByRole('button', { name: 'Delete invoice' })).toBeInTheDocument()
    await expect(canvas.getByText('Invoice #1042 · Globex · 3 lines')).toBeInTheDocument()
    await expect(canvas.getByRole('button', { name: 'Manage members' })).toBeInTheDocument()
  }),
}

/** Grace is a member: she reads invoices, and sees each `fallback` where a check fails. */
export const ProtectAsMember: Story = {
  parameters: { world: { signedInAs: 'grace@example.com' } } satisfies StoryWorldParameters,
  play: inWorld(async (_world, { canvas }) => {
    await expect(canvas.getByText('Only admins can delete invoices.')).toBeInTheDocument()
    await expect(canvas.queryByRole('button', { name: 'Delete invoice' })).not.toBeInTheDocument()
    await expect(canvas.getByText('Invoice #1042 · Globex · 3 lines')).toBeInTheDocument()
    await expect(canvas.getByText('Members are managed by an admin.')).toBeInTheDocument()
  }),
}
