import { act, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useState } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { DEMO_PASSWORD, DEMO_TOTP_CODE } from '../../../src/adapters/memory'
import { resolveReverification } from '../../../src/core/authorization'
import { SessionKitError } from '../../../src/core/errors'
import { ReverificationDialog, useReverification, type PendingReverification, type UseReverificationOptions } from '../../../src/react'
import { createWorld, HOUR, MINUTE, renderWithSession, type World } from './harness'

// Two accounts signed in on one browser (multi-session): a reverification
// asked for one account must never end with the action run as the other.

const user = () => userEvent.setup({ delay: null })
const LONG_POLICY = { inactivityTimeoutMs: 24 * HOUR, maxLifetimeMs: null }

/** Grace and Ada signed in, Ada active (the last one signed in). */
function twoAccounts({ latencyMs = 0 } = {}) {
  return createWorld({ adapter: { policy: LONG_POLICY, latencyMs, signedInAs: ['grace@example.com', 'ada@example.com'] } })
}

const sessionOf = (world: World, identifier: string) => {
  const { sessions } = world.client.getState()
  const userId = identifier === 'ada@example.com' ? 'user_ada' : 'user_grace'
  return sessions.find((session) => session.userId === userId)!.id
}

/** A server endpoint that refuses until the active session's proof is fresh, and records whose it ran as. */
function guardedAction(world: World, { answerAfterMs = 0 } = {}) {
  const ranAs: string[] = []
  const fetcher = vi.fn(async (id: string) => {
    const allowed = world.client.checkAuthorization({ reverification: 'strict' })
    if (answerAfterMs > 0) await new Promise<void>((resolve) => world.clock.setTimeout(() => resolve(), answerAfterMs))
    if (!allowed) {
      throw new SessionKitError('reverification_required', 'Confirm it is you to continue.', {
        status: 403,
        reverification: resolveReverification('strict'),
      })
    }
    ranAs.push(world.client.getState().user!.identifier)
    return `deleted ${id}`
  })
  return { fetcher, ranAs }
}

let failure: SessionKitError | null = null

function DeleteInvoice({ fetcher, options }: { fetcher: (id: string) => Promise<unknown>; options?: UseReverificationOptions }) {
  const deleteInvoice = useReverification(fetcher, options)
  const [outcome, setOutcome] = useState('')
  return (
    <>
      <button
        type="button"
        onClick={() =>
          deleteInvoice('inv_1').then(
            (value) => setOutcome(String(value)),
            (error: SessionKitError) => {
              failure = error
              setOutcome(`failed: ${error.code}`)
            },
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
const queryDialog = () => screen.queryByRole('dialog')

async function clickDelete(world: World) {
  failure = null
  await user().click(screen.getByRole('button', { name: 'Delete invoice' }))
  await world.advance(0)
}

async function switchTo(world: World, identifier: string) {
  await act(() => world.client.setActive(sessionOf(world, identifier)))
  await world.advance(0)
}

describe('given the dialog open for Ada, and a switch to Grace', () => {
  it('closes the dialog and rejects the action with reverification_cancelled, saying to run it again', async () => {
    const world = twoAccounts()
    const { fetcher, ranAs } = guardedAction(world)
    await renderWithSession(world, <><DeleteInvoice fetcher={fetcher} /><ReverificationDialog /></>)
    await world.advance(60 * MINUTE)
    expect(world.client.getState().user?.identifier).toBe('ada@example.com')
    await clickDelete(world)
    expect(screen.getByRole('dialog')).toBeInTheDocument()

    await switchTo(world, 'grace@example.com')
    expect(world.client.getState().status).toBe('signed-in')
    expect(outcome()).toBe('failed: reverification_cancelled')
    expect(failure?.message).toMatch(/active session changed .*run the action again/)
    expect(queryDialog()).not.toBeInTheDocument()
    expect(fetcher).toHaveBeenCalledTimes(1)
    expect(ranAs).toEqual([])
  })

  it('checks the code against Ada’s session, and runs the action as Ada, when a switch is asked for while the code is on its way', async () => {
    const world = twoAccounts({ latencyMs: 200 })
    const { fetcher, ranAs } = guardedAction(world)
    await renderWithSession(world, <><DeleteInvoice fetcher={fetcher} /><ReverificationDialog /></>)
    await world.advance(60 * MINUTE)
    const verify = vi.spyOn(world.client, 'verify')
    await clickDelete(world)
    const ada = sessionOf(world, 'ada@example.com')
    const u = user()
    await u.type(screen.getByLabelText('Verification code'), DEMO_TOTP_CODE)
    await u.keyboard('{Enter}')
    // The code is on its way; the switch to Grace is asked for after it, so it lands after the answer.
    const switched = world.client.setActive(sessionOf(world, 'grace@example.com'))
    await world.advance(1_000)
    await act(() => switched)

    expect(verify).toHaveBeenCalledExactlyOnceWith({ strategy: 'totp', code: DEMO_TOTP_CODE }, { sessionId: ada })
    expect(world.client.getState().user?.identifier).toBe('grace@example.com')
    expect(outcome()).toBe('deleted inv_1')
    expect(ranAs).toEqual(['ada@example.com'])
    expect(queryDialog()).not.toBeInTheDocument()
  })

  it('does not ask Grace when the switch comes between the action starting and its refusal', async () => {
    const world = twoAccounts()
    const { fetcher, ranAs } = guardedAction(world, { answerAfterMs: 500 })
    await renderWithSession(world, <><DeleteInvoice fetcher={fetcher} /><ReverificationDialog /></>)
    await world.advance(60 * MINUTE)
    await clickDelete(world)
    await switchTo(world, 'grace@example.com')
    await world.advance(500)

    expect(outcome()).toBe('failed: reverification_cancelled')
    expect(queryDialog()).not.toBeInTheDocument()
    expect(ranAs).toEqual([])
  })

  it('asks again, for Grace, when the action is run again after the switch', async () => {
    const world = twoAccounts()
    const { fetcher, ranAs } = guardedAction(world)
    await renderWithSession(world, <><DeleteInvoice fetcher={fetcher} /><ReverificationDialog /></>)
    await world.advance(60 * MINUTE)
    await clickDelete(world)
    await switchTo(world, 'grace@example.com')

    await clickDelete(world)
    const u = user()
    await u.type(screen.getByLabelText('Verification code'), DEMO_TOTP_CODE)
    await u.keyboard('{Enter}')
    await world.advance(0)
    expect(outcome()).toBe('deleted inv_1')
    expect(ranAs).toEqual(['grace@example.com'])
  })
})

describe('given onNeedsReverification asking for Ada, and a switch to Grace', () => {
  it('rejects with reverification_cancelled, and a later complete() after Grace verified runs nothing', async () => {
    const world = twoAccounts()
    const { fetcher, ranAs } = guardedAction(world)
    const asked: PendingReverification[] = []
    await renderWithSession(world, <DeleteInvoice fetcher={fetcher} options={{ onNeedsReverification: (params) => asked.push(params) }} />)
    await world.advance(60 * MINUTE)
    await clickDelete(world)
    expect(asked).toHaveLength(1)
    expect(asked[0]!.sessionId).toBe(sessionOf(world, 'ada@example.com'))

    await switchTo(world, 'grace@example.com')
    expect(outcome()).toBe('failed: reverification_cancelled')
    expect(failure?.message).toMatch(/active session changed/)

    await act(() => world.client.verify({ strategy: 'password', password: DEMO_PASSWORD }))
    act(() => asked[0]!.complete())
    await world.advance(0)
    expect(fetcher).toHaveBeenCalledTimes(1)
    expect(ranAs).toEqual([])
  })
})
