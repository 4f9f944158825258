import { act, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { Profiler, type ReactNode } from 'react'
import { beforeEach, describe, expect, it } from 'vitest'
import { InactivityWarning, useInactivityWarning } from '../../../src/react'
import { createWorld, renderWithSession, SECOND, type World } from './harness'

// "Stay signed in" is done when the server confirms the new deadline, not
// when clicked: until then the warning stays open, says when it cannot reach
// the server, and the deadline still signs out (issue 14, "Honest renewal").
// Two tabs: renewal.tabs.test.tsx.

const user = () => userEvent.setup({ delay: null })
const warning = () => screen.getByRole('alertdialog')
const queryWarning = () => screen.queryByRole('alertdialog')
const RETRYING = "Can't reach the server — retrying"
/** The renewal's live region: the one that is not the hidden time announcement. */
const renewalStatus = () =>
  within(warning()).getAllByRole('status').find((region) => !region.classList.contains('sk-visually-hidden'))!

let commits = new Map<string, number>()
const Counted = ({ id, children }: { id: string; children: ReactNode }) => (
  <Profiler id={id} onRender={() => void commits.set(id, (commits.get(id) ?? 0) + 1)}>
    {children}
  </Profiler>
)
beforeEach(() => {
  commits = new Map()
})

/** A focused page button (to see focus come back) and the warning, a minute before the deadline. */
async function openWarning(world: World, ui: ReactNode = <InactivityWarning />) {
  await renderWithSession(
    world,
    <>
      <button>Edit document</button>
      {ui}
    </>,
  )
  screen.getByRole('button', { name: 'Edit document' }).focus()
  await loaded(world)
  await world.advanceToBeforeDeadline(60 * SECOND)
}

/** Past the first load, however slow the backend answers. */
async function loaded(world: World) {
  while (world.client.getState().status === 'loading') await world.advance(100)
}

describe('given a click on "Stay signed in" while the server takes its time', () => {
  it('shows progress, keeps the warning open and focused until the server confirms, then closes', async () => {
    const world = createWorld({ adapter: { latencyMs: 2 * SECOND } })
    await openWarning(world)
    const deadline = world.client.getState().deadline!
    await user().click(screen.getByRole('button', { name: 'Stay signed in' }))

    const renewing = within(warning()).getByRole('button', { name: 'Renewing…' })
    expect(renewing).toHaveAttribute('aria-disabled', 'true')
    // Still focusable (not `disabled`): focus stays on it, inside the dialog.
    expect(renewing).not.toBeDisabled()
    expect(renewing).toHaveFocus()
    // Pending is not a failure: nothing says the server cannot be reached.
    expect(renewalStatus()).toHaveTextContent(/^$/)

    await world.advance(SECOND)
    expect(warning()).toBeInTheDocument()
    expect(world.client.getState().deadline).toBe(deadline)
    await world.advance(SECOND)
    expect(queryWarning()).not.toBeInTheDocument()
    expect(world.client.getState().deadline).toBeGreaterThan(deadline)
    expect(screen.getByRole('button', { name: 'Edit document' })).toHaveFocus()
  })

  it('does nothing on a second click or Escape while the renewal is on its way', async () => {
    const world = createWorld()
    await openWarning(world)
    world.adapter.fail('offline')
    await user().click(screen.getByRole('button', { name: 'Stay signed in' }))
    await world.advance(0)
    const region = renewalStatus()
    expect(region).toHaveTextContent(RETRYING)
    const changes: MutationRecord[] = []
    const observer = new MutationObserver((records) => changes.push(...records))
    observer.observe(region, { childList: true, characterData: true, subtree: true })
    world.adapter.resetCalls()
    await user().click(screen.getByRole('button', { name: 'Renewing…' }))
    await user().keyboard('{Escape}')
    await world.advance(0)
    observer.disconnect()
    // No new request before the backoff says so, and the message is not taken back and said again.
    expect(world.adapter.calls.touchSession).toBe(0)
    expect(changes).toEqual([])
    expect(warning()).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Renewing…' })).toHaveFocus()
  })
})

describe('given the server cannot be reached', () => {
  it('stays open saying it is retrying, and closes when a retry gets through on reconnect', async () => {
    const world = createWorld()
    await openWarning(world)
    const deadline = world.client.getState().deadline!
    world.adapter.fail('offline')
    await user().click(screen.getByRole('button', { name: 'Stay signed in' }))
    await world.advance(0)
    expect(warning()).toHaveAccessibleName('Your session is about to expire')
    expect(renewalStatus()).toHaveTextContent(RETRYING)
    expect(renewalStatus()).toHaveAttribute('aria-live', 'polite')
    expect(screen.getByRole('button', { name: 'Renewing…' })).toHaveFocus()

    world.adapter.fail(null)
    await act(async () => {
      window.dispatchEvent(new Event('online'))
    })
    await world.advance(0)
    expect(queryWarning()).not.toBeInTheDocument()
    expect(world.client.getState()).toMatchObject({ phase: 'active', renewal: 'idle' })
    expect(world.client.getState().deadline).toBeGreaterThan(deadline)
    expect(screen.getByRole('button', { name: 'Edit document' })).toHaveFocus()
  })

  it('says so once: the live region is there before, and neither its text nor its part changes from retry to retry', async () => {
    const world = createWorld()
    await openWarning(
      world,
      <InactivityWarning.Root>
        <InactivityWarning.Title />
        <InactivityWarning.Description />
        <Counted id="status">
          <InactivityWarning.RenewalStatus />
        </Counted>
        <InactivityWarning.StayButton />
      </InactivityWarning.Root>,
    )
    // Present and empty before anything goes wrong, so its text is heard when it appears.
    const region = renewalStatus()
    expect(region).toHaveTextContent(/^$/)
    world.adapter.fail('offline')
    await user().click(screen.getByRole('button', { name: 'Stay signed in' }))
    await world.advance(0)
    expect(renewalStatus()).toBe(region)
    expect(region).toHaveTextContent(RETRYING)
    // The countdown is not in it (it would be read out again with every second).
    expect(region.querySelector('time')).toBeNull()

    const changes: MutationRecord[] = []
    const observer = new MutationObserver((records) => changes.push(...records))
    observer.observe(region, { childList: true, characterData: true, subtree: true, attributes: true })
    commits.clear()
    const attempts = world.adapter.calls.touchSession
    await world.advance(40 * SECOND)
    await act(async () => undefined)
    observer.disconnect()
    // Several retries failed meanwhile (backoff 1 s, 2 s, 4 s …).
    expect(world.adapter.calls.touchSession - attempts).toBeGreaterThanOrEqual(3)
    expect(world.client.getState().renewal).toBe('retrying')
    expect(changes).toEqual([])
    expect(commits.get('status') ?? 0).toBe(0)
  })

  it('signs out at the deadline as ever, with the notice', async () => {
    const world = createWorld()
    await openWarning(world)
    world.adapter.fail('offline')
    await user().click(screen.getByRole('button', { name: 'Stay signed in' }))
    await world.advance(0)
    expect(renewalStatus()).toHaveTextContent(RETRYING)
    await world.advance(60 * SECOND)
    expect(warning()).toHaveAccessibleName('You have been signed out')
    expect(warning()).toHaveAccessibleDescription('You were signed out because you were inactive for too long.')
    expect(within(warning()).queryByText(RETRYING)).not.toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Sign in again' })).toHaveFocus()
    expect(world.client.getState()).toMatchObject({ status: 'signed-out', renewal: 'idle' })
  })

  it('treats a server error (5xx) the same: retrying, and closed once a retry gets through', async () => {
    const world = createWorld()
    await openWarning(world)
    world.adapter.fail('server-error', { times: 1 })
    await user().click(screen.getByRole('button', { name: 'Stay signed in' }))
    await world.advance(0)
    // A 500 is retried: the retry (about a second later) gets through and the warning closes.
    expect(renewalStatus()).toHaveTextContent(RETRYING)
    await world.advance(2 * SECOND)
    expect(queryWarning()).not.toBeInTheDocument()
  })
})

describe('given the browser closes the dialog on its own', () => {
  // Chromium closes a modal dialog without a `cancel` event on an Escape it
  // will not let the page cancel (no user activation since the last one).
  const browserCloses = () => act(async () => (screen.getByRole('alertdialog') as HTMLDialogElement).close())

  it('shows it again while the renewal is on its way, and still shows the notice at the deadline', async () => {
    const world = createWorld()
    await openWarning(world)
    world.adapter.fail('offline')
    await browserCloses()
    await world.advance(0)
    expect((warning() as HTMLDialogElement).open).toBe(true)
    expect(renewalStatus()).toHaveTextContent(RETRYING)
    expect(screen.getByRole('button', { name: 'Renewing…' })).toHaveFocus()
    // Again while retrying: still shown.
    await browserCloses()
    await world.advance(0)
    expect((warning() as HTMLDialogElement).open).toBe(true)
    await world.advance(60 * SECOND)
    expect(warning()).toHaveAccessibleName('You have been signed out')
    expect((warning() as HTMLDialogElement).open).toBe(true)
  })

  it('is done once the renewal it asked for lands', async () => {
    const world = createWorld({ adapter: { latencyMs: SECOND } })
    await openWarning(world)
    await browserCloses()
    await world.advance(SECOND)
    expect(queryWarning()).not.toBeInTheDocument()
    expect(world.client.getState().phase).toBe('active')
  })
})

describe('given custom content and messages', () => {
  it('uses the given texts for the progress and the retry message', async () => {
    const world = createWorld()
    await openWarning(
      world,
      <InactivityWarning messages={{ stay: 'Angemeldet bleiben', renewing: 'Wird verlängert …', retrying: 'Server nicht erreichbar – neuer Versuch' }} />,
    )
    world.adapter.fail('offline')
    await user().click(screen.getByRole('button', { name: 'Angemeldet bleiben' }))
    await world.advance(0)
    expect(screen.getByRole('button', { name: 'Wird verlängert …' })).toHaveAttribute('aria-disabled', 'true')
    expect(renewalStatus()).toHaveTextContent('Server nicht erreichbar – neuer Versuch')
  })

  it('tells custom content where the renewal stands through useInactivityWarning', async () => {
    function Progress() {
      const { renewal } = useInactivityWarning()
      return <p>renewal: {renewal}</p>
    }
    const world = createWorld({ adapter: { latencyMs: SECOND } })
    await openWarning(
      world,
      <InactivityWarning.Root>
        <InactivityWarning.Title />
        <Progress />
        <InactivityWarning.StayButton />
      </InactivityWarning.Root>,
    )
    expect(screen.getByText('renewal: idle')).toBeInTheDocument()
    world.adapter.fail('offline')
    await user().click(screen.getByRole('button', { name: 'Stay signed in' }))
    expect(screen.getByText('renewal: pending')).toBeInTheDocument()
    await world.advance(SECOND)
    expect(screen.getByText('renewal: retrying')).toBeInTheDocument()
    world.adapter.fail(null)
    await act(async () => {
      window.dispatchEvent(new Event('online'))
    })
    await world.advance(SECOND)
    expect(queryWarning()).not.toBeInTheDocument()
  })

  it('closes a preview (opened outside the warning) once its renewal is confirmed', async () => {
    const world = createWorld({ adapter: { latencyMs: SECOND } })
    await renderWithSession(world, <InactivityWarning defaultOpen />)
    await loaded(world)
    await user().click(screen.getByRole('button', { name: 'Stay signed in' }))
    expect(screen.getByRole('button', { name: 'Renewing…' })).toBeInTheDocument()
    await world.advance(SECOND)
    expect(queryWarning()).not.toBeInTheDocument()
  })

  it('does not re-render a closed warning for a renewal', async () => {
    const world = createWorld({ adapter: { latencyMs: SECOND } })
    await renderWithSession(
      world,
      <Counted id="closed warning">
        <InactivityWarning />
      </Counted>,
    )
    await loaded(world)
    commits.clear()
    await act(async () => {
      const touched = world.client.touch()
      expect(world.client.getState().renewal).toBe('pending')
      await world.clock.advanceAsync(SECOND)
      await touched
    })
    expect(world.client.getState().renewal).toBe('idle')
    expect(commits.get('closed warning') ?? 0).toBe(0)
  })
})
