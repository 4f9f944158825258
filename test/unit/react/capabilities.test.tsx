import { act, fireEvent, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { createMemoryAdapter } from '../../../src/adapters/memory'
import type { SessionAdapter } from '../../../src/core/adapter'
import { createSessionClient } from '../../../src/core/client'
import { createVirtualClock } from '../../../src/core/virtualClock'
import { InactivityWarning, SessionProvider, useAuth, useSession, useSessionExpiry, useSessionList, useSignIn } from '../../../src/react'
import { SHORT_POLICY, createWorld, renderWithSession } from './harness'
import { render } from '@testing-library/react'

// The React layer follows what the adapter can do: a three-method adapter
// gets the whole warning, and the UI can tell "Add account" is impossible.

function Capabilities() {
  const { canAddAccount } = useSessionList()
  const { canSignInWithPassword, canSignInWithRedirect } = useSignIn()
  const { isSignedIn } = useAuth()
  const { session } = useSession()
  const { deadline } = useSessionExpiry()
  return (
    <p>
      {`add:${canAddAccount} password:${canSignInWithPassword} redirect:${canSignInWithRedirect} signedIn:${String(isSignedIn)} session:${session ? 'yes' : 'no'} deadline:${deadline ? 'yes' : 'no'}`}
    </p>
  )
}

describe('what the adapter can do, as the hooks tell it', () => {
  it('offers "Add account" and a password form with the memory adapter', async () => {
    const world = createWorld()
    await renderWithSession(world, <Capabilities />)
    expect(screen.getByText(/add:true password:true redirect:false signedIn:true session:yes deadline:yes/)).toBeTruthy()
  })

  it('says adding an account is impossible with a three-method adapter, which still gets the warning', async () => {
    const clock = createVirtualClock()
    const backend = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com' })
    const adapter: SessionAdapter = {
      key: 'cookie',
      getClient: () => backend.getClient(),
      touchSession: (id) => backend.touchSession(id),
      endSession: (id) => backend.endSession(id),
    }
    const client = createSessionClient({ adapter, clock, eventTarget: window, crossTab: false })
    render(
      <SessionProvider client={client}>
        <Capabilities />
        <InactivityWarning />
      </SessionProvider>,
    )
    await act(async () => {
      await clock.advanceAsync(0)
    })
    expect(screen.getByText(/add:false password:false redirect:false signedIn:true session:yes deadline:yes/)).toBeTruthy()
    const touchesBefore = backend.calls.touchSession
    await act(async () => {
      await clock.advanceAsync(client.getState().deadline! - 30_000 - clock.now())
    })
    const dialog = screen.getByRole('alertdialog')
    expect(dialog.textContent).toMatch(/30|29/)
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: /stay signed in/i }))
      await clock.advanceAsync(0)
    })
    expect(backend.calls.touchSession).toBe(touchesBefore + 1)
    expect(client.getState().phase).toBe('active')
    client.destroy()
  })
})

describe('a policy without multi-session', () => {
  it('hides "Add account" even with an adapter that could', async () => {
    const world = createWorld({ adapter: { policy: { ...SHORT_POLICY, multiSession: false } } })
    await renderWithSession(world, <Capabilities />)
    expect(screen.getByText(/add:false password:true/)).toBeTruthy()
  })
})

describe('useSessionExpiry', () => {
  it('shows the policy in force', async () => {
    const world = createWorld({ adapter: { policy: { ...SHORT_POLICY, multiSession: false, singleDevice: true } } })
    function Policy() {
      const { policy } = useSessionExpiry()
      return <p>{policy ? `idle:${policy.inactivityTimeoutMs} max:${policy.maxLifetimeMs} multi:${policy.multiSession} one:${policy.singleDevice}` : 'none'}</p>
    }
    await renderWithSession(world, <Policy />)
    expect(screen.getByText(`idle:${SHORT_POLICY.inactivityTimeoutMs} max:${SHORT_POLICY.maxLifetimeMs} multi:false one:true`)).toBeTruthy()
  })
})

describe('impersonation as a capability', () => {
  it('is there with the memory adapter and absent with a three-method adapter', async () => {
    const world = createWorld()
    expect(world.client.capabilities.impersonation).toBe(true)
    const clock = createVirtualClock()
    const backend = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com' })
    const bare = createSessionClient({
      adapter: { key: 'bare', getClient: () => backend.getClient(), touchSession: (id) => backend.touchSession(id), endSession: (id) => backend.endSession(id) },
      clock,
      eventTarget: null,
      crossTab: false,
    })
    expect(bare.capabilities.impersonation).toBe(false)
    bare.destroy()
  })
})
