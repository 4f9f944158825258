import { act, fireEvent, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useLayoutEffect, useState, type ReactNode } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { InactivityWarning, SessionProvider, useAuth, useInactivityWarning, type MessageFormat } from '../../../src/react'
import { isModal } from './dialogPolyfill'
import { createWorld, MAX_LIFETIME_POLICY, MINUTE, renderWithSession, SECOND, type World } from './harness'

const user = () => userEvent.setup({ delay: null })
const warning = () => screen.getByRole('alertdialog')
/** The time announcement (the hidden live region); the other status region is the renewal's. */
const liveRegion = () => within(warning()).getAllByRole('status').find((region) => region.classList.contains('sk-visually-hidden'))!

/** A page with something focusable, so focus return can be seen. */
function Page({ onSignInAgain }: { onSignInAgain?: () => void }) {
  const auth = useAuth()
  return (
    <>
      <p>{auth.isSignedIn ? 'Signed in' : 'Signed out'}</p>
      <InactivityWarning onSignInAgain={onSignInAgain} />
    </>
  )
}

/** Renders `ui` (next to a focused page button) and moves time to a minute before the deadline. */
async function openWarning(world: World, ui = <Page />) {
  const page = (content: ReactNode) => (
    <>
      <button>Edit document</button>
      {content}
    </>
  )
  const rendered = await renderWithSession(world, page(ui))
  screen.getByRole('button', { name: 'Edit document' }).focus()
  await world.advanceToBeforeDeadline(60 * SECOND)
  return { rerender: (next: ReactNode) => rendered.rerender(page(next)) }
}

describe('given a session far from its deadline', () => {
  it('shows no warning', async () => {
    const world = createWorld()
    await renderWithSession(world, <Page />)
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument()
    await world.advance(8 * MINUTE)
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument()
  })
})

describe('given an open warning', () => {
  it('opens as a modal alert dialog a minute before the deadline', async () => {
    const world = createWorld()
    await openWarning(world)
    expect(isModal(warning())).toBe(true)
    expect(warning()).toHaveAttribute('aria-modal', 'true')
    expect(warning()).toHaveAccessibleName('Your session is about to expire')
    expect(warning()).toHaveAccessibleDescription(
      'You will be signed out in 1:00 because you have been inactive. Do you want to stay signed in?',
    )
  })

  it('focuses Stay signed in', async () => {
    const world = createWorld()
    await openWarning(world)
    expect(screen.getByRole('button', { name: 'Stay signed in' })).toHaveFocus()
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeInTheDocument()
  })

  it('counts down in m:ss from the deadline', async () => {
    const world = createWorld()
    await openWarning(world)
    expect(within(warning()).getByText('1:00')).toBeInTheDocument()
    await world.advance(SECOND)
    expect(within(warning()).getByText('0:59')).toBeInTheDocument()
    await world.advance(50 * SECOND)
    expect(within(warning()).getByText('0:09')).toBeInTheDocument()
  })

  it('announces the time left on open, every 15 seconds and at 10 seconds, not every second', async () => {
    const world = createWorld()
    await openWarning(world)
    expect(liveRegion()).toHaveAttribute('aria-live', 'polite')
    expect(liveRegion()).toHaveTextContent('You will be signed out in 1 minute.')
    await world.advance(14 * SECOND)
    expect(liveRegion()).toHaveTextContent('You will be signed out in 1 minute.')
    await world.advance(SECOND)
    expect(liveRegion()).toHaveTextContent('You will be signed out in 45 seconds.')
    await world.advance(14 * SECOND)
    expect(liveRegion()).toHaveTextContent('You will be signed out in 45 seconds.')
    await world.advance(16 * SECOND)
    expect(liveRegion()).toHaveTextContent('You will be signed out in 15 seconds.')
    await world.advance(5 * SECOND)
    expect(liveRegion()).toHaveTextContent('You will be signed out in 10 seconds.')
    await world.advance(5 * SECOND)
    expect(liveRegion()).toHaveTextContent('You will be signed out in 10 seconds.')
    // The visible countdown is not a live region.
    expect(within(warning()).getByText('0:05').closest('[aria-live]')).toBeNull()
  })

  it('renews the session and closes on Stay signed in, returning focus', async () => {
    const world = createWorld()
    await openWarning(world)
    const deadline = world.client.getState().deadline!
    await user().click(screen.getByRole('button', { name: 'Stay signed in' }))
    await world.advance(0)
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument()
    expect(world.client.getState().deadline).toBeGreaterThan(deadline)
    expect(screen.getByRole('button', { name: 'Edit document' })).toHaveFocus()
    expect(screen.getByText('Signed in')).toBeInTheDocument()
  })

  it('treats Escape as Stay signed in', async () => {
    const world = createWorld()
    await openWarning(world)
    const deadline = world.client.getState().deadline!
    await user().keyboard('{Escape}')
    await world.advance(0)
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument()
    expect(world.client.getState().deadline).toBeGreaterThan(deadline)
    expect(world.client.getState().phase).toBe('active')
  })

  it('is not dismissed by a click outside it', async () => {
    const world = createWorld()
    await openWarning(world)
    fireEvent.click(document.body)
    expect(warning()).toBeInTheDocument()
  })

  it('signs out on Sign out, without the signed-out notice', async () => {
    const world = createWorld()
    await openWarning(world)
    await user().click(screen.getByRole('button', { name: 'Sign out' }))
    await world.advance(0)
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument()
    expect(screen.getByText('Signed out')).toBeInTheDocument()
  })

  it('stays open, saying it is retrying, when the renewal cannot reach the server', async () => {
    const world = createWorld()
    await openWarning(world)
    world.adapter.fail('offline')
    await user().click(screen.getByRole('button', { name: 'Stay signed in' }))
    await world.advance(0)
    expect(warning()).toBeInTheDocument()
    expect(within(warning()).getByText("Can't reach the server — retrying")).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Renewing…' })).toHaveFocus()
  })

  it('closes in this tab when the session is renewed elsewhere', async () => {
    const world = createWorld()
    await openWarning(world)
    await act(() => world.client.touch())
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument()
  })
})

describe('given the warning runs out', () => {
  it('turns into the signed-out notice with the reason, focusing Sign in again', async () => {
    const world = createWorld()
    await openWarning(world)
    await world.advance(60 * SECOND)
    expect(warning()).toHaveAccessibleName('You have been signed out')
    expect(warning()).toHaveAccessibleDescription('You were signed out because you were inactive for too long.')
    expect(screen.queryByRole('button', { name: 'Stay signed in' })).not.toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Sign in again' })).toHaveFocus()
    expect(screen.getByText('Signed out')).toBeInTheDocument()
  })

  it('calls onSignInAgain and closes on Sign in again', async () => {
    const world = createWorld()
    const onSignInAgain = vi.fn()
    await openWarning(world, <Page onSignInAgain={onSignInAgain} />)
    await world.advance(60 * SECOND)
    await user().click(screen.getByRole('button', { name: 'Sign in again' }))
    expect(onSignInAgain).toHaveBeenCalledOnce()
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument()
  })

  it('closes the notice on Escape and does not bring it back', async () => {
    const world = createWorld()
    await openWarning(world)
    await world.advance(60 * SECOND)
    await user().keyboard('{Escape}')
    await world.advance(MINUTE)
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument()
  })

  it('shows the notice when the server ends the session', async () => {
    const world = createWorld()
    await renderWithSession(world, <Page />)
    world.adapter.revokeSession(world.client.getState().session!.id)
    await act(() => world.client.load())
    expect(warning()).toHaveAccessibleName('You have been signed out')
    expect(warning()).toHaveAccessibleDescription('Your session was ended by the server or on another device.')
  })
})

describe('given a session that can only end by its maximum lifetime', () => {
  const endingWorld = () => createWorld({ adapter: { policy: MAX_LIFETIME_POLICY } })

  it('says the session will end, offers no Stay button, and focuses Keep working, not Sign out', async () => {
    const world = endingWorld()
    await openWarning(world)
    expect(warning()).toHaveAccessibleName('Your session is about to end')
    expect(warning()).toHaveAccessibleDescription(
      'Your session ends in 1:00 and cannot be extended. Save your work, then sign in again.',
    )
    expect(screen.queryByRole('button', { name: 'Stay signed in' })).not.toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Keep working' })).toHaveFocus()
    expect(liveRegion()).toHaveTextContent('Your session ends in 1 minute. Save your work.')
  })

  it('lets the user go back to save their work, then shows why they were signed out', async () => {
    const world = endingWorld()
    await openWarning(world)
    await user().click(screen.getByRole('button', { name: 'Keep working' }))
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Edit document' })).toHaveFocus()
    await world.advance(60 * SECOND)
    expect(warning()).toHaveAccessibleName('You have been signed out')
    expect(warning()).toHaveAccessibleDescription('You were signed out because your session reached its maximum length.')
  })

  it('closes on Escape without pretending to renew', async () => {
    const world = endingWorld()
    await openWarning(world)
    const calls = world.adapter.calls.touchSession
    await user().keyboard('{Escape}')
    await world.advance(0)
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument()
    expect(world.adapter.calls.touchSession).toBe(calls)
  })
})

describe('given a controlled warning', () => {
  function Controlled({ onOpenChange }: { onOpenChange: (open: boolean) => void }) {
    const [open, setOpen] = useState(false)
    return (
      <>
        <p>{open ? 'app says open' : 'app says closed'}</p>
        <InactivityWarning
          open={open}
          onOpenChange={(next) => {
            onOpenChange(next)
            setOpen(next)
          }}
        />
      </>
    )
  }

  it('asks the app to open and close, and follows what the app decides', async () => {
    const world = createWorld()
    const onOpenChange = vi.fn()
    await renderWithSession(world, <Controlled onOpenChange={onOpenChange} />)
    await world.advanceToBeforeDeadline(60 * SECOND)
    expect(onOpenChange).toHaveBeenLastCalledWith(true)
    expect(screen.getByText('app says open')).toBeInTheDocument()
    expect(warning()).toBeInTheDocument()
    await user().click(screen.getByRole('button', { name: 'Stay signed in' }))
    // Closed once the server has confirmed the renewal.
    await world.advance(0)
    expect(onOpenChange).toHaveBeenLastCalledWith(false)
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument()
  })

  it('stays closed while the app keeps open={false}', async () => {
    const world = createWorld()
    const onOpenChange = vi.fn()
    await renderWithSession(world, <InactivityWarning open={false} onOpenChange={onOpenChange} />)
    await world.advanceToBeforeDeadline(60 * SECOND)
    expect(onOpenChange).toHaveBeenCalledWith(true)
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument()
  })

  it('opens uncontrolled with defaultOpen, as a preview', async () => {
    const world = createWorld()
    await renderWithSession(world, <InactivityWarning defaultOpen />)
    expect(warning()).toHaveAccessibleName('Your session is about to expire')
  })

  it('warns in development when switching from uncontrolled to controlled', async () => {
    const world = createWorld()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const { rerender } = await renderWithSession(world, <InactivityWarning />)
    rerender(<InactivityWarning open />)
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^\[sessionkit\] InactivityWarning is changing from uncontrolled to controlled/))
    warn.mockRestore()
  })
})

describe('given custom messages', () => {
  it('uses every text given and formats time for the locale', async () => {
    const world = createWorld()
    await openWarning(
      world,
      <InactivityWarning
        messages={{
          locale: 'de',
          title: 'Ihre Sitzung läuft ab',
          description: ({ countdown }) => <>Abmeldung in {countdown}.</>,
          stay: 'Angemeldet bleiben',
          signOut: 'Abmelden',
          announcement: (remainingMs, { duration }) => `Abmeldung in ${duration(remainingMs)}.`,
        }}
      />,
    )
    expect(warning()).toHaveAccessibleName('Ihre Sitzung läuft ab')
    expect(warning()).toHaveAccessibleDescription('Abmeldung in 1:00.')
    expect(screen.getByRole('button', { name: 'Angemeldet bleiben' })).toHaveFocus()
    expect(screen.getByRole('button', { name: 'Abmelden' })).toBeInTheDocument()
    expect(liveRegion()).toHaveTextContent('Abmeldung in 1 Minute.')
    await world.advance(15 * SECOND)
    expect(liveRegion()).toHaveTextContent('Abmeldung in 45 Sekunden.')
  })

  it('resolves the messages once for the same messages, not again when what the warning shows changes', async () => {
    const world = createWorld()
    const formats = new Set<MessageFormat>()
    const messages = {
      description: (_: unknown, format: MessageFormat) => {
        formats.add(format)
        return 'Still there?'
      },
    }
    await openWarning(world, <InactivityWarning messages={messages} />)
    world.adapter.fail('offline')
    // The renewal's progress changes what the warning shows (Renewing…, then retrying), and the context with it.
    await user().click(screen.getByRole('button', { name: 'Stay signed in' }))
    await world.advance(0)
    expect(within(warning()).getByText("Can't reach the server — retrying")).toBeInTheDocument()
    expect(formats.size).toBe(1)
  })

  it('announces the time only at thresholds when the app passes its messages inline and re-renders', async () => {
    const world = createWorld()
    // A new messages object at each render, as an app writing them inline passes.
    const ui = () => <InactivityWarning messages={{ stay: 'Stay signed in' }} />
    const { rerender } = await openWarning(world, ui())
    expect(liveRegion()).toHaveTextContent('You will be signed out in 1 minute.')
    await world.advance(3 * SECOND)
    rerender(ui())
    expect(liveRegion()).toHaveTextContent('You will be signed out in 1 minute.')
    await world.advance(12 * SECOND)
    expect(liveRegion()).toHaveTextContent('You will be signed out in 45 seconds.')
  })

  it('writes the countdown in the locale digits', async () => {
    const world = createWorld()
    await openWarning(world, <InactivityWarning messages={{ locale: 'ar-EG' }} />)
    expect(within(warning()).getByText('١:٠٠')).toBeInTheDocument()
  })
})

describe('given the parts', () => {
  function Custom({ onStay }: { onStay?: (event: React.MouseEvent) => void }) {
    return (
      <InactivityWarning.Root className="my-warning">
        <InactivityWarning.Title>Still there?</InactivityWarning.Title>
        <InactivityWarning.Description>
          Time left: <InactivityWarning.Countdown format={(ms) => `${Math.ceil(ms / 1000)} s`} />
        </InactivityWarning.Description>
        <InactivityWarning.StayButton asChild>
          <a href="#stay" onClick={onStay}>
            I am here
          </a>
        </InactivityWarning.StayButton>
        <InactivityWarning.SignOutButton className="quiet" />
      </InactivityWarning.Root>
    )
  }

  it('composes a custom warning with an app-rendered button', async () => {
    const world = createWorld()
    await openWarning(world, <Custom />)
    expect(warning()).toHaveClass('sk-dialog', 'my-warning')
    expect(warning()).toHaveAccessibleName('Still there?')
    expect(warning()).toHaveAccessibleDescription('Time left: 60 s')
    const stay = screen.getByRole('link', { name: 'I am here' })
    expect(stay).toHaveFocus()
    expect(screen.getByRole('button', { name: 'Sign out' })).toHaveClass('sk-button', 'quiet')
    await user().click(stay)
    await world.advance(0)
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument()
  })

  it("skips the library's action when the app calls preventDefault", async () => {
    const world = createWorld()
    await openWarning(world, <Custom onStay={(event) => event.preventDefault()} />)
    await user().click(screen.getByRole('link', { name: 'I am here' }))
    expect(warning()).toBeInTheDocument()
  })

  it('lets content close the warning from its layout effect while the Root mounts open', async () => {
    function DismissAtOnce() {
      const { dismiss } = useInactivityWarning()
      // Runs before the Root's own layout effects: the Root's actions work already.
      useLayoutEffect(() => dismiss(), [dismiss])
      return <p>Custom content</p>
    }
    const world = createWorld()
    const onOpenChange = vi.fn()
    await renderWithSession(
      world,
      <InactivityWarning.Root defaultOpen onOpenChange={onOpenChange}>
        <DismissAtOnce />
      </InactivityWarning.Root>,
    )
    expect(onOpenChange).toHaveBeenCalledWith(false)
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument()
    expect(screen.queryByText('Custom content')).not.toBeInTheDocument()
  })

  it('throws a sentence naming both sides when a part is used outside the Root', () => {
    const world = createWorld()
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    expect(() =>
      render(
        <SessionProvider client={world.client}>
          <InactivityWarning.Title />
        </SessionProvider>,
      ),
    ).toThrow('`InactivityWarning.Title` must be used within `InactivityWarning.Root`')
    vi.mocked(console.error).mockRestore()
  })

  it('warns in development when warnBefore is under 20 seconds', async () => {
    const world = createWorld({ client: { warnBefore: 10 * SECOND } })
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    await renderWithSession(world, <InactivityWarning />)
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^\[sessionkit\] warnBefore is 10000 ms: WCAG 2\.2\.1/))
    warn.mockRestore()
  })
})
