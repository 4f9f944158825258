import { act } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { useUserSessions, type UseUserSessionsReturn } from '../../../src/react'
import { devicesWorld, HOUR, renderWithDevices, type DevicesWorld } from './devicesHarness'

// useUserSessions on the memory backend with a device list, on a virtual clock.

/** Renders the hook and keeps every value it returned, newest last. */
async function renderHook(world: DevicesWorld) {
  const seen: UseUserSessionsReturn[] = []
  function Probe() {
    seen.push(useUserSessions())
    return null
  }
  await renderWithDevices(world, <Probe />)
  return { seen, latest: () => seen[seen.length - 1]! }
}

const devicesOf = (hook: UseUserSessionsReturn) => hook.sessions?.map((session) => session.device)

describe('given a user signed in on three devices', () => {
  it('lists them once mounted: this device first, with label, IP and times in client time', async () => {
    const SKEW = 90_000
    const world = devicesWorld({ adapter: { serverSkewMs: SKEW } })
    const { seen, latest } = await renderHook(world)

    // Until the list is in: not loaded, no list; once signed in, the load is pending.
    const before = seen.slice(0, seen.findIndex((value) => value.sessions !== undefined))
    expect(before.length).toBeGreaterThan(0)
    for (const value of before) expect(value).toMatchObject({ isSupported: true, isLoaded: false, sessions: undefined })
    expect(before.at(-1)!.pending).toEqual({ type: 'load' })
    expect(latest()).toMatchObject({ isLoaded: true, pending: null, error: null })
    expect(devicesOf(latest())).toEqual(['Chrome 156 on Linux', 'Safari 19 on iOS', 'Firefox 150 on Windows'])
    const [current, phone] = latest().sessions!
    expect(current).toMatchObject({ isCurrent: true, ip: '127.0.0.1', status: 'active', id: world.client.getState().session!.id })
    expect(phone).toMatchObject({ id: 'sess_phone', isCurrent: false, ip: '10.0.0.7' })
    // The server's clock runs 90 s ahead: the hook shows the phone's last use an hour ago on this clock.
    expect(phone!.lastActiveAt).toBe(world.clock.now() - HOUR)
    expect(world.devices.calls.getUserSessions).toBe(1)
  })

  it('asks once when mounted on a client that is already signed in, StrictMode or not', async () => {
    const world = devicesWorld()
    await world.client.load()
    const { seen, latest } = await renderHook(world)
    // Signed in from the first render: loading at once, not "nothing to show".
    expect(seen[0]).toMatchObject({ isLoaded: false, sessions: undefined, pending: { type: 'load' } })
    expect(latest().sessions).toHaveLength(3)
    // StrictMode runs the effect twice; the list is asked for once.
    expect(world.devices.calls.getUserSessions).toBe(1)
  })

  it('takes a revocation’s answer as the new list, without asking again', async () => {
    const world = devicesWorld({ adapter: { latencyMs: 200 } })
    const { latest } = await renderHook(world)
    // The client loads, then the list (each call reads the client first: two round trips).
    await world.advance(200 + 400)
    expect(latest().sessions).toHaveLength(3)

    let revoked: Promise<boolean> | undefined
    act(() => {
      revoked = latest().revoke('sess_phone')
    })
    expect(latest().pending).toEqual({ type: 'revoke', sessionId: 'sess_phone' })
    // The list stays shown while the revocation is on its way.
    expect(latest().sessions).toHaveLength(3)

    await world.advance(400)
    await expect(revoked).resolves.toBe(true)
    expect(latest().pending).toBeNull()
    expect(devicesOf(latest())).toEqual(['Chrome 156 on Linux', 'Firefox 150 on Windows'])
    expect(world.devices.others().map((d) => d.id)).toEqual(['sess_laptop'])
    expect(world.devices.calls).toMatchObject({ getUserSessions: 1, revokeUserSession: 1 })
  })

  it('leaves only this device after revokeOthers', async () => {
    const world = devicesWorld()
    const { latest } = await renderHook(world)
    await act(async () => {
      await expect(latest().revokeOthers()).resolves.toBe(true)
    })
    expect(devicesOf(latest())).toEqual(['Chrome 156 on Linux'])
    expect(latest().sessions![0]!.isCurrent).toBe(true)
    expect(world.client.getState().status).toBe('signed-in')
  })

  it('keeps the session and the list when the network fails, and says why', async () => {
    const world = devicesWorld()
    const { latest } = await renderHook(world)
    world.memory.fail('offline')
    await act(async () => {
      await expect(latest().revoke('sess_phone')).resolves.toBe(false)
    })
    expect(latest().failed).toEqual({ type: 'revoke', sessionId: 'sess_phone' })
    expect(latest().error?.code).toBe('network_error')
    expect(latest().sessions).toHaveLength(3)
    // A network error is never a sign-out.
    expect(world.client.getState().status).toBe('signed-in')

    world.memory.fail(null)
    await act(async () => {
      await expect(latest().refresh()).resolves.toBe(true)
    })
    expect(latest()).toMatchObject({ failed: null, error: null })
  })

  it('drops a device the server no longer has (session_not_found) and says so', async () => {
    const world = devicesWorld()
    const { latest } = await renderHook(world)
    await act(async () => {
      await expect(latest().revoke('sess_gone')).resolves.toBe(false)
    })
    expect(latest().error?.code).toBe('session_not_found')
    expect(world.client.getState().status).toBe('signed-in')

    // The phone was revoked from the laptop meanwhile: this list still shows it until the server says otherwise.
    await act(async () => {
      await world.devices.adapter.revokeUserSession!('sess_phone')
      await latest().revoke('sess_phone')
    })
    expect(latest().error?.code).toBe('session_not_found')
    expect(devicesOf(latest())).toEqual(['Chrome 156 on Linux', 'Firefox 150 on Windows'])
  })

  it('keeps the identity of revoke, revokeOthers and refresh across renders', async () => {
    const world = devicesWorld()
    const { seen, latest } = await renderHook(world)
    await act(async () => {
      await latest().revoke('sess_phone')
    })
    expect(seen.length).toBeGreaterThan(3)
    for (const name of ['revoke', 'revokeOthers', 'refresh'] as const) {
      expect(new Set(seen.map((value) => value[name])).size, name).toBe(1)
    }
  })
})

describe('sign-out and sign-in', () => {
  it('forgets the list on sign-out, and loads the new session’s after signing in again', async () => {
    const world = devicesWorld()
    const { latest } = await renderHook(world)
    expect(latest().sessions).toHaveLength(3)

    await act(async () => {
      await world.client.signOut()
    })
    expect(latest()).toMatchObject({ isLoaded: true, sessions: [], pending: null })
    await act(async () => {
      await expect(latest().refresh()).resolves.toBe(false)
    })
    expect(world.devices.calls.getUserSessions).toBe(1)

    await act(async () => {
      await world.client.signIn({ identifier: 'ada@example.com', password: 'password' })
    })
    await world.advance(0)
    expect(world.devices.calls.getUserSessions).toBe(2)
    expect(latest().sessions![0]).toMatchObject({ isCurrent: true, id: world.client.getState().session!.id })
  })

  it('never shows a list that arrives after the user signed out', async () => {
    const world = devicesWorld({ adapter: { latencyMs: 200 } })
    const { latest } = await renderHook(world)
    await world.advance(600)
    expect(latest().sessions).toHaveLength(3)
    let revoked: Promise<boolean> | undefined
    act(() => {
      revoked = latest().revoke('sess_phone')
    })
    // Signed out here while the revocation is on its way (the server hears of the sign-out later).
    act(() => {
      void world.client.signOut()
    })
    expect(latest()).toMatchObject({ sessions: [], pending: null })
    await world.advance(1_000)
    await revoked
    expect(latest()).toMatchObject({ sessions: [], pending: null })
    expect(world.client.getState().status).toBe('signed-out')
  })
})

describe('given an adapter without device methods', () => {
  it('says it is not supported, loads nothing and does not throw', async () => {
    const world = devicesWorld({ withDevices: false })
    const { latest } = await renderHook(world)
    expect(latest()).toMatchObject({ isSupported: false, isLoaded: true, sessions: [], pending: null, error: null })
    await act(async () => {
      await expect(latest().revoke('sess_phone')).resolves.toBe(false)
    })
    expect(world.devices.calls.getUserSessions).toBe(0)
    expect(world.client.getState().status).toBe('signed-in')
  })
})
