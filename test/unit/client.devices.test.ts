import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryAdapter } from '../../src/adapters/memory'
import type { SessionAdapter, UserSessionResource } from '../../src/core/adapter'
import { createSessionClient } from '../../src/core/client'
import { SessionKitError } from '../../src/core/errors'
import type { SessionClient } from '../../src/core/types'
import { createVirtualClock } from '../../src/core/virtualClock'
import { SECOND, SHORT_POLICY } from './helpers'

// The user's sessions on every device, through the client: times in client
// time, revocation of another device never signs this one out, and a tab
// coming back into view checks (at most every 30 s) that its session stands.

let client: SessionClient | undefined
afterEach(() => client?.destroy())

const SKEW = 90_000

/** The memory backend, running 90 s ahead, plus a device list the test controls. */
function setup({ activityEvents }: { activityEvents?: string[] } = {}) {
  const clock = createVirtualClock()
  const backend = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com', serverSkewMs: SKEW })
  const serverNow = () => clock.now() + SKEW
  let devices: UserSessionResource[] = []
  let touchError: SessionKitError | null = null
  const calls = { list: 0, revoke: [] as string[], others: 0, everywhere: 0 }
  const answer = <T>(data: T) => Promise.resolve({ data, serverNow: serverNow() })
  const adapter: SessionAdapter = {
    key: 'devices',
    getClient: () => backend.getClient(),
    touchSession: (id) => (touchError ? Promise.reject(touchError) : backend.touchSession(id)),
    endSession: (id) => backend.endSession(id),
    getUserSessions: () => (calls.list++, answer(devices)),
    revokeUserSession: (id) => {
      calls.revoke.push(id)
      if (!devices.some((d) => d.id === id)) return Promise.reject(new SessionKitError('session_not_found', 'No such session.'))
      devices = devices.map((d) => (d.id === id ? { ...d, status: 'revoked' as const } : d))
      return answer(devices)
    },
    revokeOtherUserSessions: () => {
      calls.others++
      devices = devices.filter((d) => d.isCurrent)
      return answer(devices)
    },
    signOutEverywhere: () => {
      calls.everywhere++
      return backend.endAllSessions()
    },
  }
  client = createSessionClient({ adapter, clock, eventTarget: window, crossTab: false, ...(activityEvents ? { activityEvents } : {}) })
  client.mount()
  const seed = (current: string) => {
    devices = [
      { id: current, status: 'active', device: 'Chrome 156 on Linux', ip: '127.0.0.1', createdAt: serverNow() - 60_000, lastActiveAt: serverNow(), isCurrent: true },
      { id: 'sess_phone', status: 'active', device: 'Safari 19 on iOS', ip: '10.0.0.7', createdAt: serverNow() - 3_600_000, lastActiveAt: serverNow() - 600_000, isCurrent: false },
    ]
  }
  const failTouches = (error: SessionKitError) => {
    touchError = error
  }
  return { clock, backend, client, calls, seed, serverNow, failTouches }
}

describe('the user sessions on every device', () => {
  it('lists them in client time and says the adapter can do devices', async () => {
    const { clock, client, seed } = setup()
    await clock.advanceAsync(0)
    seed(client.getState().session!.id)
    expect(client.capabilities).toMatchObject({ devices: true, signOutEverywhere: true })
    const sessions = await client.getUserSessions()
    expect(sessions.map((s) => [s.device, s.isCurrent])).toEqual([
      ['Chrome 156 on Linux', true],
      ['Safari 19 on iOS', false],
    ])
    // The server runs 90 s ahead: "last active now" is now on this clock.
    expect(Math.abs(sessions[0]!.lastActiveAt - clock.now())).toBeLessThan(SECOND)
  })

  it('revokes another device and keeps this one; an unknown id rejects without signing out', async () => {
    const { clock, client, seed, calls } = setup()
    await clock.advanceAsync(0)
    seed(client.getState().session!.id)
    const after = await client.revokeUserSession('sess_phone')
    expect(after.find((s) => s.id === 'sess_phone')?.status).toBe('revoked')
    await expect(client.revokeUserSession('sess_someone_else')).rejects.toMatchObject({ code: 'session_not_found' })
    expect(client.getState().status).toBe('signed-in')
    expect(calls.revoke).toEqual(['sess_phone', 'sess_someone_else'])
  })

  it('signs out of the others, leaving only this device', async () => {
    const { clock, client, seed } = setup()
    await clock.advanceAsync(0)
    seed(client.getState().session!.id)
    const after = await client.revokeOtherUserSessions()
    expect(after).toHaveLength(1)
    expect(after[0]!.isCurrent).toBe(true)
  })

  it('signs out everywhere: this browser at once, then the server', async () => {
    const { clock, client, calls } = setup()
    await clock.advanceAsync(0)
    const done = client.signOutEverywhere()
    expect(client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'signed-out' })
    await done
    expect(calls.everywhere).toBe(1)
  })

  it('answers [] when signed out, and not_supported without the adapter methods', async () => {
    const { clock, client } = setup()
    await clock.advanceAsync(0)
    await client.signOut()
    expect(await client.getUserSessions()).toEqual([])
    const clock2 = createVirtualClock()
    const bare = createMemoryAdapter({ clock: clock2, signedInAs: 'ada@example.com' })
    const other = createSessionClient({ adapter: bare, clock: clock2, crossTab: false, eventTarget: null })
    await other.load()
    await expect(other.getUserSessions()).rejects.toMatchObject({ code: 'not_supported', message: expect.stringMatching(/getUserSessions/) })
    other.destroy()
  })
})

describe('a session ended on another device', () => {
  it('is noticed at once on focus after 30 s of silence, at most once per 30 s', async () => {
    // Focus alone, not counted as input here, so no touch tells the story instead.
    const { clock, backend, client } = setup({ activityEvents: ['pointerdown'] })
    await clock.advanceAsync(0)
    backend.resetCalls()
    window.dispatchEvent(new Event('focus'))
    await clock.advanceAsync(0)
    expect(backend.calls.getClient).toBe(0) // just loaded: nothing to check
    await clock.advanceAsync(31 * SECOND)
    window.dispatchEvent(new Event('focus'))
    await clock.advanceAsync(0)
    expect(backend.calls.getClient).toBe(1)
    await clock.advanceAsync(10 * SECOND)
    window.dispatchEvent(new Event('focus'))
    await clock.advanceAsync(0)
    expect(backend.calls.getClient).toBe(1)
    // Meanwhile the session is revoked elsewhere: the next check (30 s later) signs out with the reason.
    await backend.endSession(client.getState().session!.id)
    await clock.advanceAsync(21 * SECOND)
    window.dispatchEvent(new Event('focus'))
    await clock.advanceAsync(0)
    expect(backend.calls.getClient).toBe(2)
    expect(client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'revoked' })
  })

  it('replaced by a sign-in elsewhere: signs out with reason replaced', async () => {
    const { clock, client, failTouches } = setup()
    await clock.advanceAsync(0)
    failTouches(new SessionKitError('session_replaced', 'You signed in on another device.'))
    await expect(client.touch()).rejects.toMatchObject({ code: 'session_replaced' })
    expect(client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'replaced' })
    expect(client.getState().sessions[0]!.status).toBe('replaced')
  })
})
