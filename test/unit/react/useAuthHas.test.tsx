import { act, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { DEMO_TOTP_CODE } from '../../../src/adapters/memory'
import type { ClientResource } from '../../../src/core/resources'
import { useAuth } from '../../../src/react'
import { createWorld, HOUR, MINUTE, renderWithSession, type World } from './harness'

// `has()` from useAuth is read at render: useAuth must re-render when what it
// reads changes (the proof of a reverification, the active membership's permissions).

const LONG_POLICY = { inactivityTimeoutMs: 24 * HOUR, maxLifetimeMs: null }

function Access() {
  const { isSignedIn, has } = useAuth()
  if (!isSignedIn) return null
  return (
    <>
      <p>{has({ reverification: 'strict' }) ? 'Verified recently' : 'Not verified recently'}</p>
      <p>{has({ permission: 'org:members:manage' }) ? 'Can manage members' : 'Cannot manage members'}</p>
    </>
  )
}

/** The next reload answers with the server's client, Ada's admin membership changed by `change` (same role). */
async function changeMembershipOnServer(world: World, change: (permissions: string[]) => string[]) {
  const answer = structuredClone(await world.adapter.getClient()) as { data: ClientResource; serverNow: number }
  for (const session of answer.data.sessions) {
    for (const membership of session.user.organizationMemberships) {
      if (membership.role === 'org:admin') membership.permissions = change(membership.permissions)
    }
  }
  world.adapter.respondWith('getClient', answer)
}

describe('given a component showing has() from useAuth', () => {
  it('shows "verified" once the user verifies again (the proof changes, nothing else does)', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY } })
    const { rerender } = await renderWithSession(world, <Access />)
    expect(screen.getByText('Verified recently')).toBeInTheDocument()
    await world.advance(60 * MINUTE)
    // Read at render: a proof that aged out shows once something renders again (see useAuth's doc).
    rerender(<Access />)
    expect(screen.getByText('Not verified recently')).toBeInTheDocument()

    await act(() => world.client.verify({ strategy: 'totp', code: DEMO_TOTP_CODE }))
    await world.advance(0)
    expect(screen.getByText('Verified recently')).toBeInTheDocument()
  })

  it('shows a permission taken away on the server once the client learns of it, though the role stays', async () => {
    const world = createWorld({ adapter: { policy: LONG_POLICY } })
    await renderWithSession(world, <Access />)
    expect(world.client.getState().session?.lastActiveOrganizationId).toBeTruthy()
    expect(screen.getByText('Can manage members')).toBeInTheDocument()

    await changeMembershipOnServer(world, (permissions) => permissions.filter((p) => p !== 'org:members:manage'))
    await act(() => world.client.load())
    await world.advance(0)
    expect(screen.getByText('Cannot manage members')).toBeInTheDocument()
  })
})
