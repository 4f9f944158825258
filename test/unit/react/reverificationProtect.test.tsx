import { act, render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { DEMO_PASSWORD, DEMO_TOTP_CODE } from '../../../src/adapters/memory'
import type { ReverificationCheck } from '../../../src/core/authorization'
import { Protect, SessionProvider } from '../../../src/react'
import { createWorld, HOUR, MINUTE, renderWithSession, SECOND, type World } from './harness'

const LONG_POLICY = { inactivityTimeoutMs: 24 * HOUR, maxLifetimeMs: null }

function Guarded({ check = 'strict', role }: { check?: ReverificationCheck; role?: string }) {
  return (
    <Protect reverification={check} role={role} fallback={<p>Verify to see the payout details</p>}>
      <p>Payout details</p>
    </Protect>
  )
}

const shown = () => screen.queryByText('Payout details') !== null
const fallbackShown = () => screen.queryByText('Verify to see the payout details') !== null

async function verifyCode(world: World) {
  await act(() => world.client.verify({ strategy: 'totp', code: DEMO_TOTP_CODE }))
}

describe('given <Protect reverification="strict">', () => {
  it('shows the children right after sign-in, until the proof is exactly 10 minutes old', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY } })
    await renderWithSession(world, <Guarded />)
    expect(shown()).toBe(true)
    await world.advance(10 * MINUTE - 1)
    expect(shown()).toBe(true)
    // Nothing in the session changes at 10 minutes: Protect's own timer notices.
    await world.advance(1)
    expect(shown()).toBe(false)
    expect(fallbackShown()).toBe(true)
  })

  it('shows the children again after verify(), and hides them 10 minutes later', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY } })
    await renderWithSession(world, <Guarded />)
    await world.advance(30 * MINUTE)
    expect(fallbackShown()).toBe(true)
    await verifyCode(world)
    expect(shown()).toBe(true)
    await world.advance(10 * MINUTE - 1)
    expect(shown()).toBe(true)
    await world.advance(1)
    expect(shown()).toBe(false)
  })

  it('stays hidden after a wrong code', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY } })
    await renderWithSession(world, <Guarded />)
    await world.advance(30 * MINUTE)
    await act(() => world.client.verify({ strategy: 'totp', code: '000000' }).catch(() => undefined))
    expect(fallbackShown()).toBe(true)
  })

  it('needs the role too when one is given', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY } })
    await renderWithSession(
      world,
      <>
        <Guarded role="org:admin" />
        <Protect reverification="strict" role="org:member" fallback={<p>Members who verified</p>}>
          <p>Member area</p>
        </Protect>
      </>,
    )
    expect(shown()).toBe(true)
    expect(screen.getByText('Members who verified')).toBeInTheDocument()
    await world.advance(10 * MINUTE)
    expect(fallbackShown()).toBe(true)
  })

  it('follows the password for a user without a second factor, and never passes strict_mfa', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY, signedInAs: 'alan@example.com' } })
    await renderWithSession(
      world,
      <>
        <Guarded />
        <Protect reverification="strict_mfa" fallback={<p>Needs two factors</p>}>
          <p>Two-factor area</p>
        </Protect>
      </>,
    )
    expect(shown()).toBe(true)
    expect(screen.getByText('Needs two factors')).toBeInTheDocument()
    await world.advance(10 * MINUTE)
    expect(shown()).toBe(false)
    await act(() => world.client.verify({ strategy: 'password', password: DEMO_PASSWORD }))
    expect(shown()).toBe(true)
    expect(screen.queryByText('Two-factor area')).not.toBeInTheDocument()
  })

  it('hides the children at once when signed out', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY } })
    await renderWithSession(world, <Guarded />)
    await act(() => world.client.signOut())
    expect(fallbackShown()).toBe(true)
  })

  it('fails closed on an invalid check', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY } })
    await renderWithSession(world, <Guarded check={{ level: 'first_factor', afterMinutes: 0 }} />)
    expect(fallbackShown()).toBe(true)
  })

  it('accepts an inline { level, afterMinutes } and ages it', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY } })
    await renderWithSession(world, <Guarded check={{ level: 'first_factor', afterMinutes: 2 }} />)
    await world.advance(2 * MINUTE - 1)
    expect(shown()).toBe(true)
    await world.advance(1)
    expect(shown()).toBe(false)
  })

  it('arms one timer for the moment the proof goes stale, not one per second', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY } })
    const { rerender } = await renderWithSession(world, <p>Nothing guarded</p>, { strict: false })
    const before = world.clock.pendingTimers()
    rerender(<Guarded />)
    await world.advance(0)
    expect(world.clock.pendingTimers() - before).toBe(1)
    let renders = 0
    function Counted() {
      renders += 1
      return <p>Payout details</p>
    }
    rerender(
      <Protect reverification="strict">
        <Counted />
      </Protect>,
    )
    renders = 0
    await world.advance(5 * MINUTE)
    expect(renders).toBe(0)
  })
})

describe('given a Protect mounted long after the session arrived', () => {
  it('hides the children within the minute the proof goes stale', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY } })
    // Loaded and aged before any reverification-aware part saw the client.
    const stop = world.client.mount()
    await world.advance(4 * MINUTE + 30 * SECOND)
    render(
      <SessionProvider client={world.client}>
        <Guarded />
      </SessionProvider>,
    )
    expect(shown()).toBe(true)
    await world.advance(5 * MINUTE + 29 * SECOND)
    expect(shown()).toBe(true)
    await world.advance(MINUTE + 1 * SECOND)
    expect(shown()).toBe(false)
    expect(world.client.checkAuthorization({ reverification: 'strict' })).toBe(false)
    stop()
  })
})
