import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { expect, fn, waitFor, within } from 'storybook/test'
import { formatDuration, InactivityWarning, type InactivityWarningProps } from '../../src/react'
import { DemoPage } from '../demo/DemoPage'
import { inWorld, MINUTE, SECOND, type StoryWorldParameters } from '../support'
import { inactivityWarningArgTypes } from './argTypes'
import { ComposedWarning } from './ComposedWarning'
import { germanMessages, japaneseMessages } from './warningMessages'
import './themed.css'

/** The warning's props, plus the app's own click handler for the composed story. */
type WarningStoryArgs = InactivityWarningProps & { onStayClick?: () => void }

/**
 * Remounts the warning when a control switches it between controlled and uncontrolled or
 * changes `defaultOpen` (read at mount only): the change shows at once, with no dev warning.
 */
const warningKey = ({ open, defaultOpen }: WarningStoryArgs) => `${open === undefined ? 'uncontrolled' : 'controlled'}-${String(defaultOpen)}`

const meta = {
  title: 'Components/InactivityWarning',
  component: InactivityWarning,
  args: { onSignInAgain: fn(), onOpenChange: fn() },
  argTypes: inactivityWarningArgTypes,
  parameters: {
    // Ada, 10 minutes of inactivity, 1 hour at most; the warning opens 60 s ahead.
    world: {},
    // The warning is modal: in docs, each story gets its own frame so it cannot block the page.
    docs: { story: { inline: false, height: '460px' } },
  } satisfies StoryWorldParameters & Record<string, unknown>,
  render: ({ onStayClick: _, ...args }) => (
    <DemoPage>
      <InactivityWarning key={warningKey(args)} {...args} />
    </DemoPage>
  ),
} satisfies Meta<WarningStoryArgs>

export default meta
type Story = StoryObj<typeof meta>

const jumpToWarning = { world: { setup: (world) => world.jumpToWarning() } } satisfies StoryWorldParameters

/** What screen readers hear of the time left: the hidden live region (the other one is the renewal's). */
const announcement = (dialog: HTMLElement) =>
  within(dialog).getAllByRole('status').find((region) => region.classList.contains('sk-visually-hidden'))!

const RETRYING = "Can't reach the server — retrying"

/** In the warning and offline: the network went away before "Stay signed in". */
const offlineInTheWarning = {
  world: {
    setup: async (world) => {
      await world.jumpToWarning()
      world.goOffline()
    },
  },
} satisfies StoryWorldParameters

/** The whole round trip: active, then the warning, then "Stay signed in" renews the session. */
export const Default: Story = {
  play: inWorld(async (world, { canvas, userEvent }) => {
    await expect(canvas.queryByRole('alertdialog')).not.toBeInTheDocument()
    const deadlineBefore = world.client.getState().deadline!

    await userEvent.click(canvas.getByRole('button', { name: 'Jump to warning' }))
    const dialog = await canvas.findByRole('alertdialog', { name: 'Your session is about to expire' })
    await expect(dialog).toHaveAccessibleDescription(/You will be signed out in 1:00 because you have been inactive/)
    const stay = within(dialog).getByRole('button', { name: 'Stay signed in' })
    await waitFor(() => expect(stay).toHaveFocus())

    await userEvent.click(stay)
    await waitFor(() => expect(canvas.queryByRole('alertdialog')).not.toBeInTheDocument())
    await expect(world.client.getState().phase).toBe('active')
    await expect(world.client.getState().deadline).toBeGreaterThan(deadlineBefore)
    await expect(world.adapter.calls.touchSession).toBe(1)
  }),
}

/** Open and counting: the countdown is derived from the deadline; screen readers hear it every 15 s, not every second. */
export const Warning: Story = {
  parameters: jumpToWarning,
  play: inWorld(async (world, { canvas }) => {
    const dialog = await canvas.findByRole('alertdialog', { name: 'Your session is about to expire' })
    const countdown = within(dialog).getByText('1:00')
    await expect(announcement(dialog)).toHaveTextContent('You will be signed out in 1 minute.')

    await world.advance(15 * SECOND)
    await waitFor(() => expect(countdown).toHaveTextContent('0:45'))
    await expect(countdown).toHaveAttribute('datetime', 'PT45S')
    await expect(announcement(dialog)).toHaveTextContent('You will be signed out in 45 seconds.')
    await expect(world.client.getState().phase).toBe('warning')
  }),
}

/** Five seconds left, and the user makes it: "Stay signed in" at the last second still renews. */
export const FinalSeconds: Story = {
  parameters: { world: { setup: (world) => world.jumpToDeadline(5 * SECOND) } } satisfies StoryWorldParameters,
  play: inWorld(async (world, { canvas, userEvent }) => {
    const dialog = await canvas.findByRole('alertdialog', { name: 'Your session is about to expire' })
    await expect(within(dialog).getByText('0:05')).toBeInTheDocument()
    await expect(announcement(dialog)).toHaveTextContent('You will be signed out in 5 seconds.')

    await world.advance(4 * SECOND)
    await waitFor(() => expect(within(dialog).getByText('0:01')).toBeInTheDocument())
    await userEvent.click(within(dialog).getByRole('button', { name: 'Stay signed in' }))
    await waitFor(() => expect(canvas.queryByRole('alertdialog')).not.toBeInTheDocument())
    await world.advance(2 * SECOND)
    await expect(world.client.getState().status).toBe('signed-in')
    await expect(canvas.getByText('Signed in as Ada Lovelace')).toBeInTheDocument()
  }),
}

/**
 * A session that ends by its maximum lifetime cannot be extended: the warning
 * says so, offers "Keep working" to save first, and no "Stay signed in".
 */
export const MaxLifetime: Story = {
  parameters: {
    world: { policy: { inactivityTimeoutMs: null, maxLifetimeMs: 10 * MINUTE }, setup: (world) => world.jumpToWarning() },
  } satisfies StoryWorldParameters,
  play: inWorld(async (world, { canvas, userEvent }) => {
    const dialog = await canvas.findByRole('alertdialog', { name: 'Your session is about to end' })
    await expect(dialog).toHaveAccessibleDescription(/cannot be extended\. Save your work, then sign in again\./)
    await expect(within(dialog).queryByRole('button', { name: 'Stay signed in' })).not.toBeInTheDocument()

    await userEvent.click(within(dialog).getByRole('button', { name: 'Keep working' }))
    await waitFor(() => expect(canvas.queryByRole('alertdialog')).not.toBeInTheDocument())
    await expect(world.client.getState().status).toBe('signed-in')

    await world.jumpToDeadline()
    const notice = await canvas.findByRole('alertdialog', { name: 'You have been signed out' })
    await expect(notice).toHaveAccessibleDescription('You were signed out because your session reached its maximum length.')
  }),
}

/** After the deadline: the signed-out notice, with the reason, and "Sign in again". */
export const Expired: Story = {
  parameters: { world: { setup: (world) => world.jumpToDeadline() } } satisfies StoryWorldParameters,
  play: inWorld(async (world, { canvas, args, userEvent }) => {
    const notice = await canvas.findByRole('alertdialog', { name: 'You have been signed out' })
    await expect(notice).toHaveAccessibleDescription('You were signed out because you were inactive for too long.')
    const signInAgain = within(notice).getByRole('button', { name: 'Sign in again' })
    await waitFor(() => expect(signInAgain).toHaveFocus())

    await userEvent.click(signInAgain)
    await expect(args.onSignInAgain).toHaveBeenCalledOnce()
    await waitFor(() => expect(canvas.queryByRole('alertdialog')).not.toBeInTheDocument())

    await userEvent.click(canvas.getByRole('button', { name: 'Sign in as Ada' }))
    await expect(await canvas.findByText('Signed in as Ada Lovelace')).toBeInTheDocument()
    await expect(world.client.getState().phase).toBe('active')
  }),
}

/**
 * Offline in the warning: "Stay signed in" cannot reach the server, so the
 * warning stays open (the deadline has not moved), the button reads
 * "Renewing…", and the warning says, once, that it is retrying. It keeps
 * retrying; the deadline would still sign out on time.
 */
export const Offline: Story = {
  parameters: offlineInTheWarning,
  play: inWorld(async (world, { canvas, userEvent }) => {
    const dialog = await canvas.findByRole('alertdialog', { name: 'Your session is about to expire' })
    await expect(await canvas.findByText(/You are offline/)).toBeInTheDocument()
    const deadline = world.client.getState().deadline

    await userEvent.click(within(dialog).getByRole('button', { name: 'Stay signed in' }))
    const message = await within(dialog).findByText(RETRYING)
    await expect(message).toHaveAttribute('role', 'status')
    await expect(message).toHaveAttribute('aria-live', 'polite')
    const renewing = within(dialog).getByRole('button', { name: 'Renewing…' })
    await expect(renewing).toHaveAttribute('aria-disabled', 'true')
    await expect(renewing).toHaveFocus()

    // Retries (1 s, 2 s, 4 s …) fail meanwhile: still open, still the old deadline.
    await world.advance(10 * SECOND)
    // The same dialog, open all along (not closed and shown again).
    await expect(canvas.getByRole('alertdialog', { name: 'Your session is about to expire' })).toBe(dialog)
    await expect(dialog).toHaveAttribute('open')
    await expect(within(dialog).getByText(RETRYING)).toBe(message)
    await expect(world.client.getState()).toMatchObject({ phase: 'warning', renewal: 'retrying', deadline })
  }),
}

/** Offline, then the network comes back: the retry gets through at once and the warning closes. */
export const BackOnline: Story = {
  parameters: offlineInTheWarning,
  play: inWorld(async (world, { canvas, userEvent }) => {
    const dialog = await canvas.findByRole('alertdialog', { name: 'Your session is about to expire' })
    const deadline = world.client.getState().deadline!
    await userEvent.click(within(dialog).getByRole('button', { name: 'Stay signed in' }))
    await within(dialog).findByText(RETRYING)

    world.goOnline()
    await world.advance(0)
    await waitFor(() => expect(canvas.queryByRole('alertdialog')).not.toBeInTheDocument())
    await expect(world.client.getState()).toMatchObject({ phase: 'active', connectivity: 'online', renewal: 'idle' })
    await expect(world.client.getState().deadline).toBeGreaterThan(deadline)
    await expect(canvas.queryByText(/You are offline/)).not.toBeInTheDocument()
  }),
}

/**
 * Refused: a captive portal answers "Stay signed in" with its own page. Not
 * retried: the warning says, once, that the renewal failed, and "Stay signed
 * in" stays enabled and focused; the next click renews and closes it.
 */
export const Refused: Story = {
  parameters: {
    world: {
      setup: async (world) => {
        await world.jumpToWarning()
        world.adapter.respondWith('touchSession', { data: '<html><body>Sign in to the hotel Wi-Fi</body></html>', serverNow: world.adapter.serverNow() })
      },
    },
  } satisfies StoryWorldParameters,
  play: inWorld(async (world, { canvas, userEvent }) => {
    const dialog = await canvas.findByRole('alertdialog', { name: 'Your session is about to expire' })
    await userEvent.click(within(dialog).getByRole('button', { name: 'Stay signed in' }))
    const message = await within(dialog).findByText("Couldn't renew your session. Try again.")
    await expect(message).toHaveAttribute('role', 'status')
    const stay = within(dialog).getByRole('button', { name: 'Stay signed in' })
    await expect(stay).not.toHaveAttribute('aria-disabled', 'true')
    await expect(stay).toHaveFocus()
    await expect(world.client.getState()).toMatchObject({ phase: 'warning', renewal: 'failed' })

    await userEvent.click(stay)
    await world.advance(0)
    await waitFor(() => expect(canvas.queryByRole('alertdialog')).not.toBeInTheDocument())
    await expect(world.client.getState()).toMatchObject({ phase: 'active', renewal: 'idle' })
  }),
}

/** Offline until the end: the deadline signs out as ever, and the notice says why. */
export const OfflineUntilTheDeadline: Story = {
  parameters: offlineInTheWarning,
  play: inWorld(async (world, { canvas, userEvent }) => {
    const dialog = await canvas.findByRole('alertdialog', { name: 'Your session is about to expire' })
    await userEvent.click(within(dialog).getByRole('button', { name: 'Stay signed in' }))
    await within(dialog).findByText(RETRYING)

    await world.jumpToDeadline()
    const notice = await canvas.findByRole('alertdialog', { name: 'You have been signed out' })
    await expect(notice).toHaveAccessibleDescription('You were signed out because you were inactive for too long.')
    await expect(within(notice).queryByText(RETRYING)).not.toBeInTheDocument()
    await expect(world.client.getState()).toMatchObject({ status: 'signed-out', renewal: 'idle' })
  }),
}

/** German through `messages`: every text replaced, durations in words by `Intl.DurationFormat`. */
export const CustomMessages: Story = {
  args: { messages: germanMessages, lang: 'de' },
  parameters: jumpToWarning,
  play: inWorld(async (world, { canvas, userEvent }) => {
    const dialog = await canvas.findByRole('alertdialog', { name: 'Ihre Sitzung läuft bald ab' })
    await expect(dialog).toHaveAttribute('lang', 'de')
    await expect(dialog).toHaveAccessibleDescription(/Sie werden in 1:00 abgemeldet/)
    await expect(announcement(dialog)).toHaveTextContent(`Sie werden in ${formatDuration(60 * SECOND, 'de')} abgemeldet.`)
    await expect(within(dialog).getByRole('button', { name: 'Abmelden' })).toBeInTheDocument()

    await userEvent.click(within(dialog).getByRole('button', { name: 'Angemeldet bleiben' }))
    await waitFor(() => expect(canvas.queryByRole('alertdialog')).not.toBeInTheDocument())
    await world.jumpToDeadline()
    const notice = await canvas.findByRole('alertdialog', { name: 'Sie wurden abgemeldet' })
    await expect(within(notice).getByRole('button', { name: 'Erneut anmelden' })).toBeInTheDocument()
  }),
}

/** The same in Japanese: the texts and the locale are all an app gives. */
export const CustomMessagesJapanese: Story = {
  args: { messages: japaneseMessages, lang: 'ja' },
  parameters: jumpToWarning,
  play: inWorld(async (world, { canvas }) => {
    const dialog = await canvas.findByRole('alertdialog', { name: 'まもなくセッションの有効期限が切れます' })
    await expect(announcement(dialog)).toHaveTextContent(`${formatDuration(60 * SECOND, 'ja')}後にログアウトされます。`)
    await world.advance(30 * SECOND)
    await waitFor(() => expect(within(dialog).getByText('0:30')).toBeInTheDocument())
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'ログインしたままにする' })).toHaveFocus())
  }),
}

/** The app's own layout from the parts, with its own buttons through `asChild`: both handlers run. */
export const ComposedParts: Story = {
  args: { onStayClick: fn() },
  parameters: jumpToWarning,
  render: (args) => (
    <DemoPage>
      <ComposedWarning onStayClick={args.onStayClick} onSignInAgain={args.onSignInAgain} />
    </DemoPage>
  ),
  play: inWorld(async (world, { canvas, args, userEvent }) => {
    const dialog = await canvas.findByRole('alertdialog', { name: 'Your session is about to expire' })
    await expect(dialog).toHaveClass('sk-dialog', 'composed-warning')
    await expect(within(dialog).getByText('60 s')).toBeInTheDocument()
    const stay = within(dialog).getByRole('button', { name: 'Keep me signed in' })
    await expect(stay).toHaveClass('ds-button', 'sk-button')
    await expect(stay).toHaveAttribute('data-sk-action', 'stay')
    await waitFor(() => expect(stay).toHaveFocus())

    await userEvent.click(stay)
    await expect(args.onStayClick).toHaveBeenCalledOnce()
    await waitFor(() => expect(canvas.queryByRole('alertdialog')).not.toBeInTheDocument())
    await expect(world.adapter.calls.touchSession).toBe(1)
  }),
}

/** Dark, and branded with the CSS custom properties on one class of the app's. */
export const Themed: Story = {
  args: { className: 'themed-warning' },
  parameters: jumpToWarning,
  render: ({ onStayClick: _, ...args }) => (
    <div data-theme="dark" className="themed-page">
      <DemoPage>
        <InactivityWarning key={warningKey(args)} {...args} />
      </DemoPage>
    </div>
  ),
  play: inWorld(async (_world, { canvas }) => {
    const dialog = await canvas.findByRole('alertdialog', { name: 'Your session is about to expire' })
    await expect(getComputedStyle(dialog).backgroundColor).toBe('rgb(28, 29, 34)')
    await expect(getComputedStyle(within(dialog).getByRole('button', { name: 'Stay signed in' })).backgroundColor).toBe(
      'rgb(251, 191, 36)',
    )
  }),
}

function ControlledWarning({ onStayClick: _, ...args }: WarningStoryArgs) {
  const [open, setOpen] = useState(false)
  return (
    <DemoPage>
      <p>
        The app holds <code>open</code>: the warning is <strong>{open ? 'open' : 'closed'}</strong>.
      </p>
      <button type="button" className="demo-button" onClick={() => setOpen(true)}>
        Preview the warning
      </button>
      <InactivityWarning
        {...args}
        open={open}
        onOpenChange={(next) => {
          args.onOpenChange?.(next)
          setOpen(next)
        }}
      />
    </DemoPage>
  )
}

/** `open` / `onOpenChange`: the app decides; the warning asks to open at the warning phase and to close on every action. */
export const Controlled: Story = {
  render: (args) => <ControlledWarning {...args} />,
  play: inWorld(async (world, { canvas, args, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Preview the warning' }))
    const preview = await canvas.findByRole('alertdialog', { name: 'Your session is about to expire' })
    await expect(world.client.getState().phase).toBe('active')
    await userEvent.click(within(preview).getByRole('button', { name: 'Stay signed in' }))
    // Asked to close once the server has confirmed the renewal.
    await waitFor(() => expect(args.onOpenChange).toHaveBeenLastCalledWith(false))
    await waitFor(() => expect(canvas.queryByRole('alertdialog')).not.toBeInTheDocument())

    await world.jumpToWarning()
    await waitFor(() => expect(args.onOpenChange).toHaveBeenLastCalledWith(true))
    const warning = await canvas.findByRole('alertdialog', { name: 'Your session is about to expire' })
    await expect(canvas.getByText('open', { selector: 'strong' })).toBeInTheDocument()
    // Escape reaches a dialog as its `cancel` event; a synthetic key press has no default action, so send that event.
    warning.dispatchEvent(new Event('cancel', { cancelable: true }))
    await waitFor(() => expect(warning).not.toBeVisible())
    await expect(args.onOpenChange).toHaveBeenLastCalledWith(false)
    await waitFor(() => expect(world.client.getState().phase).toBe('active'))
  }),
}
