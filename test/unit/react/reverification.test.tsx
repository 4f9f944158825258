import { fetchJson } from '../../../src/react-query'
import { act, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useState } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { DEMO_PASSWORD, DEMO_TOTP_CODE } from '../../../src/adapters/memory'
import { resolveReverification, type ReverificationCheck } from '../../../src/core/authorization'
import { SessionKitError } from '../../../src/core/errors'
import {
  ReverificationDialog,
  useReverification,
  type PendingReverification,
  type UseReverificationOptions,
} from '../../../src/react'
import { isModal } from './dialogPolyfill'
import { createWorld, HOUR, MINUTE, renderWithSession, type World } from './harness'

const user = () => userEvent.setup({ delay: null })

/** A day of inactivity allowed, no maximum: sessions outlive every step-up in these tests. */
export const LONG_POLICY = { inactivityTimeoutMs: 24 * HOUR, maxLifetimeMs: null }

const dialog = () => screen.getByRole('dialog')
const queryDialog = () => screen.queryByRole('dialog')

/** What the reference server does for `GET /api/sensitive`: refuse until the check holds. */
function guardedAction(world: World, check: ReverificationCheck = 'strict') {
  return vi.fn(async (id: string) => {
    if (!world.client.checkAuthorization({ reverification: check })) {
      throw new SessionKitError('reverification_required', 'Confirm it is you to continue.', {
        status: 403,
        reverification: resolveReverification(check),
      })
    }
    return `deleted ${id}`
  })
}

/** A button that runs the wrapped action and shows how it ended. */
function DeleteInvoice({
  fetcher,
  options,
}: {
  fetcher: (id: string) => Promise<unknown>
  options?: UseReverificationOptions
}) {
  const deleteInvoice = useReverification(fetcher, options)
  const [outcome, setOutcome] = useState('')
  return (
    <>
      <button
        type="button"
        onClick={() =>
          deleteInvoice('inv_1').then(
            (value) => setOutcome(value instanceof Response ? `response ${value.status}` : String(value)),
            (error: SessionKitError) => setOutcome(`failed: ${error.code}`),
          )
        }
      >
        Delete invoice
      </button>
      <output aria-label="outcome">{outcome}</output>
    </>
  )
}

const outcome = () => screen.getByLabelText('outcome').textContent

/** The dialog verifies the session the action ran under (here always the active one), named explicitly. */
const activeSession = (world: World) => ({ sessionId: world.client.getState().session!.id })

async function setupPage(
  world: World,
  fetcher: (id: string) => Promise<unknown>,
  { dialog: withDialog = true, options }: { dialog?: boolean; options?: UseReverificationOptions } = {},
) {
  await renderWithSession(
    world,
    <>
      <DeleteInvoice fetcher={fetcher} options={options} />
      {withDialog ? <ReverificationDialog /> : null}
    </>,
  )
  const verify = vi.spyOn(world.client, 'verify')
  return { verify }
}

/** Clicks Delete invoice (focusing it, as a real click does) and lets the refusal reach the dialog. */
async function clickDelete(world: World) {
  const button = screen.getByRole('button', { name: 'Delete invoice' })
  button.focus()
  await user().click(button)
  await world.advance(0)
}

async function submit(world: World, field: HTMLElement, text: string) {
  const u = user()
  await u.type(field, text)
  await u.keyboard('{Enter}')
  await world.advance(0)
}

describe('given an action the server refuses until the user verifies again', () => {
  it('asks for the code in a modal dialog, verifies once, and retries the action once', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY } })
    const fetcher = guardedAction(world)
    const { verify } = await setupPage(world, fetcher)
    await world.advance(10 * MINUTE)

    await clickDelete(world)
    expect(isModal(dialog())).toBe(true)
    expect(dialog()).toHaveAccessibleName('Confirm it’s you')
    expect(dialog()).toHaveAccessibleDescription(
      'For your security, enter the code from your authenticator app to continue.',
    )
    const field = screen.getByLabelText('Verification code')
    expect(field).toHaveFocus()
    expect(field).toHaveAttribute('autocomplete', 'one-time-code')

    await submit(world, field, DEMO_TOTP_CODE)
    expect(verify).toHaveBeenCalledTimes(1)
    expect(verify).toHaveBeenCalledWith({ strategy: 'totp', code: DEMO_TOTP_CODE }, activeSession(world))
    expect(fetcher).toHaveBeenCalledTimes(2)
    expect(fetcher).toHaveBeenNthCalledWith(2, 'inv_1')
    expect(outcome()).toBe('deleted inv_1')
    expect(queryDialog()).not.toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Delete invoice' })).toHaveFocus()
  })

  it('does not ask while the proof is fresh', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY } })
    const fetcher = guardedAction(world)
    const { verify } = await setupPage(world, fetcher)
    await clickDelete(world)
    expect(outcome()).toBe('deleted inv_1')
    expect(fetcher).toHaveBeenCalledTimes(1)
    expect(verify).not.toHaveBeenCalled()
    expect(queryDialog()).not.toBeInTheDocument()
  })

  it('passes on a second refusal instead of asking again', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY } })
    const fetcher = vi.fn(async () => {
      throw new SessionKitError('reverification_required', 'Still no.', { status: 403, reverification: { level: 'second_factor', afterMinutes: 10 } })
    })
    const { verify } = await setupPage(world, fetcher)
    await clickDelete(world)
    await submit(world, screen.getByLabelText('Verification code'), DEMO_TOTP_CODE)
    expect(verify).toHaveBeenCalledTimes(1)
    expect(fetcher).toHaveBeenCalledTimes(2)
    expect(outcome()).toBe('failed: reverification_required')
    expect(queryDialog()).not.toBeInTheDocument()
  })

  it('passes other errors through untouched, without asking', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY } })
    const fetcher = vi.fn(async () => {
      throw new SessionKitError('forbidden', 'No.', { status: 403 })
    })
    await setupPage(world, fetcher)
    await clickDelete(world)
    expect(outcome()).toBe('failed: forbidden')
    expect(fetcher).toHaveBeenCalledTimes(1)
    expect(queryDialog()).not.toBeInTheDocument()
  })
})

describe('given a fetcher that returns a Response', () => {
  const refusal = (meta: unknown) =>
    new Response(JSON.stringify({ errors: [{ code: 'reverification_required', message: 'Verify again.', meta }], serverNow: 0 }), {
      status: 403,
      headers: { 'content-type': 'application/json' },
    })

  it('treats a 403 with code reverification_required like the error, and returns the retried Response', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY } })
    const fetcher = vi
      .fn<(id: string) => Promise<Response>>()
      .mockResolvedValueOnce(refusal({ level: 'first_factor', afterMinutes: 10 }))
      .mockResolvedValueOnce(new Response('{"ok":true}', { status: 200 }))
    const { verify } = await setupPage(world, fetcher)
    await clickDelete(world)
    const field = screen.getByLabelText('Password')
    expect(field).toHaveFocus()
    expect(field).toHaveAttribute('type', 'password')
    await submit(world, field, DEMO_PASSWORD)
    expect(verify).toHaveBeenCalledExactlyOnceWith({ strategy: 'password', password: DEMO_PASSWORD }, activeSession(world))
    expect(fetcher).toHaveBeenCalledTimes(2)
    expect(outcome()).toBe('response 200')
  })

  it('recognises the HttpError that sessionkit/react-query throws for that 403', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY } })
    let calls = 0
    const api = (async () => (++calls === 1 ? refusal({ level: 'first_factor', afterMinutes: 10 }) : new Response('{"ok":true}', { status: 200, headers: { 'content-type': 'application/json' } }))) as typeof fetch
    const fetcher = vi.fn<(id: string) => Promise<Response>>(async () => {
      await fetchJson(api, '/api/sensitive')
      return new Response('{"ok":true}', { status: 200 })
    })
    const { verify } = await setupPage(world, fetcher)
    await clickDelete(world)
    await submit(world, screen.getByLabelText('Password'), DEMO_PASSWORD)
    expect(verify).toHaveBeenCalledExactlyOnceWith({ strategy: 'password', password: DEMO_PASSWORD }, activeSession(world))
    expect(fetcher).toHaveBeenCalledTimes(2)
    expect(outcome()).toBe('response 200')
  })

  it('hands any other 403 back with its body unread', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY } })
    const other = new Response(JSON.stringify({ errors: [{ code: 'forbidden' }] }), { status: 403 })
    const fetcher = vi.fn(async () => other)
    await setupPage(world, fetcher)
    await clickDelete(world)
    expect(outcome()).toBe('response 403')
    expect(other.bodyUsed).toBe(false)
    expect(queryDialog()).not.toBeInTheDocument()
  })
})

describe('given the open dialog', () => {
  async function openDialog(world: World, check: ReverificationCheck = 'strict') {
    const fetcher = guardedAction(world, check)
    const { verify } = await setupPage(world, fetcher)
    await world.advance(60 * MINUTE)
    await clickDelete(world)
    return { fetcher, verify }
  }

  it('shows a wrong code inline, keeps the dialog open, and accepts the right one', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY } })
    const { fetcher, verify } = await openDialog(world)
    const field = screen.getByLabelText('Verification code')
    await submit(world, field, '000000')
    expect(dialog()).toBeInTheDocument()
    expect(field).toHaveAttribute('aria-invalid', 'true')
    expect(field).toHaveAccessibleDescription('That code is not right. Try again.')
    expect(within(dialog()).getByRole('alert')).toHaveTextContent('That code is not right. Try again.')
    expect(field).toHaveValue('')
    expect(field).toHaveFocus()
    expect(fetcher).toHaveBeenCalledTimes(1)

    await submit(world, field, DEMO_TOTP_CODE)
    expect(verify).toHaveBeenCalledTimes(2)
    expect(fetcher).toHaveBeenCalledTimes(2)
    expect(outcome()).toBe('deleted inv_1')
    expect(queryDialog()).not.toBeInTheDocument()
  })

  it('asks to fill in an empty field without calling the server', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY } })
    const { verify } = await openDialog(world)
    await user().keyboard('{Enter}')
    await world.advance(0)
    expect(screen.getByLabelText('Verification code')).toHaveAccessibleDescription('Enter the code.')
    expect(verify).not.toHaveBeenCalled()
  })

  it('cancels with Cancel: the action rejects with reverification_cancelled and focus returns', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY } })
    const { fetcher, verify } = await openDialog(world)
    await user().click(screen.getByRole('button', { name: 'Cancel' }))
    await world.advance(0)
    expect(outcome()).toBe('failed: reverification_cancelled')
    expect(fetcher).toHaveBeenCalledTimes(1)
    expect(verify).not.toHaveBeenCalled()
    expect(queryDialog()).not.toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Delete invoice' })).toHaveFocus()
  })

  it('cancels with Escape', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY } })
    await openDialog(world)
    await user().keyboard('{Escape}')
    await world.advance(0)
    expect(outcome()).toBe('failed: reverification_cancelled')
    expect(queryDialog()).not.toBeInTheDocument()
  })

  it('asks for the password, then the code, for strict_mfa', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY } })
    const { fetcher, verify } = await openDialog(world, 'strict_mfa')
    expect(dialog()).toHaveAccessibleDescription('Step 1 of 2. For your security, enter your password to continue.')
    await submit(world, screen.getByLabelText('Password'), DEMO_PASSWORD)
    expect(dialog()).toHaveAccessibleDescription(
      'Step 2 of 2. For your security, enter the code from your authenticator app to continue.',
    )
    const code = screen.getByLabelText('Verification code')
    expect(code).toHaveFocus()
    expect(code).toHaveValue('')
    await submit(world, code, DEMO_TOTP_CODE)
    expect(verify.mock.calls.map(([params]) => params.strategy)).toEqual(['password', 'totp'])
    expect(fetcher).toHaveBeenCalledTimes(2)
    expect(outcome()).toBe('deleted inv_1')
  })

  it('asks a user without a second factor for the password (second_factor falls back to it)', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY, signedInAs: 'alan@example.com' } })
    const { verify } = await openDialog(world)
    await submit(world, screen.getByLabelText('Password'), DEMO_PASSWORD)
    expect(verify).toHaveBeenCalledExactlyOnceWith({ strategy: 'password', password: DEMO_PASSWORD }, activeSession(world))
    expect(outcome()).toBe('deleted inv_1')
  })

  it('says when the level cannot be met (multi-factor, no second factor) and offers only Cancel', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY, signedInAs: 'alan@example.com' } })
    await openDialog(world, 'strict_mfa')
    expect(dialog()).toHaveAccessibleDescription(/your account has none/)
    expect(screen.queryByRole('textbox')).not.toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Cancel' })).toHaveFocus()
    expect(screen.queryByRole('button', { name: 'Continue' })).not.toBeInTheDocument()
  })

  it('says when the server cannot be reached, and lets the user try again', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY } })
    await openDialog(world)
    world.adapter.fail('offline', { times: 1, only: ['verifySession'] })
    const field = screen.getByLabelText('Verification code')
    await submit(world, field, DEMO_TOTP_CODE)
    expect(field).toHaveAccessibleDescription('The server could not be reached. Check your connection and try again.')
    await submit(world, field, DEMO_TOTP_CODE)
    expect(outcome()).toBe('deleted inv_1')
  })

  it('rejects with signed_out and closes when the session ends meanwhile', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY } })
    await openDialog(world)
    await act(() => world.client.signOut())
    await world.advance(0)
    expect(outcome()).toBe('failed: signed_out')
    expect(queryDialog()).not.toBeInTheDocument()
  })

  it('takes its texts from messages', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY } })
    const fetcher = guardedAction(world)
    await renderWithSession(
      world,
      <>
        <DeleteInvoice fetcher={fetcher} />
        <ReverificationDialog messages={{ title: 'Bestätigen Sie Ihre Identität', codeLabel: 'Code', cancel: 'Abbrechen' }} />
      </>,
    )
    await world.advance(60 * MINUTE)
    await clickDelete(world)
    expect(dialog()).toHaveAccessibleName('Bestätigen Sie Ihre Identität')
    expect(screen.getByLabelText('Code')).toHaveFocus()
    expect(screen.getByRole('button', { name: 'Abbrechen' })).toBeInTheDocument()
  })
})

describe('given two actions refused at once', () => {
  it('asks once and retries both', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY } })
    const first = guardedAction(world)
    const second = guardedAction(world)
    function Both() {
      const a = useReverification(first)
      const b = useReverification(second)
      const [done, setDone] = useState('')
      return (
        <button type="button" onClick={() => void Promise.all([a('x'), b('y')]).then((r) => setDone(r.join(', ')))}>
          Delete both {done}
        </button>
      )
    }
    await renderWithSession(world, <><Both /><ReverificationDialog /></>)
    const verify = vi.spyOn(world.client, 'verify')
    await world.advance(60 * MINUTE)
    await user().click(screen.getByRole('button', { name: /Delete both/ }))
    await world.advance(0)
    expect(screen.getAllByRole('dialog')).toHaveLength(1)
    await submit(world, screen.getByLabelText('Verification code'), DEMO_TOTP_CODE)
    expect(verify).toHaveBeenCalledTimes(1)
    expect(screen.getByRole('button', { name: 'Delete both deleted x, deleted y' })).toBeInTheDocument()
  })
})

describe('given a user without a second factor, refused for strict_mfa and first_factor at once', () => {
  it('after Cancel on the level that cannot be met, still asks for the password for the other action', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY, signedInAs: 'alan@example.com' } })
    const needsBoth = guardedAction(world, 'strict_mfa')
    const needsPassword = guardedAction(world, { level: 'first_factor', afterMinutes: 10 })
    function Both() {
      const a = useReverification(needsBoth)
      const b = useReverification(needsPassword)
      const [outcomes, setOutcomes] = useState('')
      const run = () =>
        void Promise.allSettled([a('x'), b('y')]).then((results) =>
          setOutcomes(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as SessionKitError).code)).join(', ')),
        )
      return (
        <button type="button" onClick={run}>
          Delete both {outcomes}
        </button>
      )
    }
    await renderWithSession(world, <><Both /><ReverificationDialog /></>)
    await world.advance(60 * MINUTE)
    await user().click(screen.getByRole('button', { name: /Delete both/ }))
    await world.advance(0)
    expect(dialog()).toHaveAccessibleDescription(/your account has none/)

    await user().click(screen.getByRole('button', { name: 'Cancel' }))
    await world.advance(0)
    await submit(world, screen.getByLabelText('Password'), DEMO_PASSWORD)
    expect(queryDialog()).not.toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Delete both reverification_cancelled, deleted y' })).toBeInTheDocument()
  })
})

describe('given two actions whose refusals arrive one after the other', () => {
  /** Like guardedAction, but slow: the server decides when the call starts and answers `latencyMs` later. */
  function slowGuardedAction(world: World, latencyMs: number) {
    return vi.fn(async (id: string) => {
      const allowed = world.client.checkAuthorization({ reverification: 'strict' })
      await new Promise((answered) => world.clock.setTimeout(() => answered(null), latencyMs))
      if (!allowed) {
        throw new SessionKitError('reverification_required', 'Confirm it is you to continue.', {
          status: 403,
          reverification: resolveReverification('strict'),
        })
      }
      return `deleted ${id}`
    })
  }

  it('does not ask again for a refusal decided before the proof the user has just given', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY } })
    const fast = guardedAction(world)
    const slow = slowGuardedAction(world, 5_000)
    function Both() {
      const a = useReverification(fast)
      const b = useReverification(slow)
      const [done, setDone] = useState('')
      return (
        <button type="button" onClick={() => void Promise.all([a('x'), b('y')]).then((r) => setDone(r.join(', ')))}>
          Delete both {done}
        </button>
      )
    }
    await renderWithSession(world, <><Both /><ReverificationDialog /></>)
    const verify = vi.spyOn(world.client, 'verify')
    await world.advance(60 * MINUTE)
    await user().click(screen.getByRole('button', { name: /Delete both/ }))
    await world.advance(0)
    await submit(world, screen.getByLabelText('Verification code'), DEMO_TOTP_CODE)
    expect(queryDialog()).not.toBeInTheDocument()

    // The slow action's refusal arrives now, decided before the proof: it is retried, not asked for again.
    await world.advance(5_000)
    expect(queryDialog()).not.toBeInTheDocument()
    await world.advance(5_000)
    expect(verify).toHaveBeenCalledTimes(1)
    expect(slow).toHaveBeenCalledTimes(2)
    expect(screen.getByRole('button', { name: 'Delete both deleted x, deleted y' })).toBeInTheDocument()
  })
})

describe('given onNeedsReverification (the app’s own UI)', () => {
  it('hands over the level, steps, complete and cancel, and retries after complete()', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY } })
    const fetcher = guardedAction(world)
    const asked: PendingReverification[] = []
    await setupPage(world, fetcher, { dialog: false, options: { onNeedsReverification: (params) => asked.push(params) } })
    await world.advance(60 * MINUTE)
    await clickDelete(world)
    expect(queryDialog()).not.toBeInTheDocument()
    expect(asked).toHaveLength(1)
    expect(asked[0]).toMatchObject({ level: 'second_factor', afterMinutes: 10, steps: ['code'] })

    await act(() => world.client.verify({ strategy: 'totp', code: DEMO_TOTP_CODE }))
    act(() => asked[0]!.complete())
    await world.advance(0)
    expect(fetcher).toHaveBeenCalledTimes(2)
    expect(outcome()).toBe('deleted inv_1')
  })

  it('rejects with reverification_cancelled after cancel()', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY } })
    const fetcher = guardedAction(world)
    const asked: PendingReverification[] = []
    await setupPage(world, fetcher, { dialog: false, options: { onNeedsReverification: (params) => asked.push(params) } })
    await world.advance(60 * MINUTE)
    await clickDelete(world)
    act(() => asked[0]!.cancel())
    await world.advance(0)
    expect(outcome()).toBe('failed: reverification_cancelled')
    expect(fetcher).toHaveBeenCalledTimes(1)
  })
})

describe('given neither a dialog nor onNeedsReverification', () => {
  it('rejects with missing_provider, naming both ways to fix it', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY } })
    const fetcher = guardedAction(world)
    let caught: unknown
    function Direct() {
      const run = useReverification(fetcher)
      return <button type="button" onClick={() => run('x').catch((error: unknown) => (caught = error))}>Run</button>
    }
    await renderWithSession(world, <Direct />)
    await world.advance(60 * MINUTE)
    await user().click(screen.getByRole('button', { name: 'Run' }))
    await world.advance(0)
    expect(caught).toMatchObject({ code: 'missing_provider' })
    expect((caught as Error).message).toMatch(/<ReverificationDialog \/>.*onNeedsReverification/)
  })
})
