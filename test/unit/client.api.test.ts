import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemoryAdapter } from '../../src/adapters/memory'
import { createSessionClient } from '../../src/core/client'
import { SessionKitError } from '../../src/core/errors'
import { createVirtualClock } from '../../src/core/virtualClock'
import { MINUTE, setup } from './helpers'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

describe('createSessionClient options', () => {
  const adapter = createMemoryAdapter()
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['a missing adapter', { adapter: undefined }, /needs an adapter/],
    ['a negative warnBefore', { warnBefore: -1 }, /warnBefore/],
    ['a NaN idleTimeout', { idleTimeout: Number.NaN }, /idleTimeout/],
    ['an absurd idleTimeout (1,000 years)', { idleTimeout: 1000 * 365 * 24 * 60 * MINUTE }, /idleTimeout/],
    ['warnBefore >= idleTimeout', { idleTimeout: 60_000, warnBefore: 60_000 }, /warnBefore .* shorter than idleTimeout/],
    ['a zero touchInterval', { touchInterval: 0 }, /touchInterval/],
    ['a negative leeway', { leewayInSeconds: -5 }, /leewayInSeconds/],
    ['activityEvents that are not names', { activityEvents: [42] }, /activityEvents/],
  ]
  it.each(cases)('rejects %s with invalid_option and a sentence naming the fix', (_, options, message) => {
    let thrown: unknown
    try {
      createSessionClient({ adapter, ...options } as never)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(SessionKitError)
    expect(thrown).toMatchObject({ code: 'invalid_option' })
    expect((thrown as Error).message).toMatch(message)
  })
})

describe('mounting', () => {
  it('loads once and attaches listeners once under a StrictMode double mount', async () => {
    const clock = createVirtualClock()
    const adapter = createMemoryAdapter({ clock, signedInAs: 'ada@example.com' })
    const target = new EventTarget()
    const add = vi.spyOn(target, 'addEventListener')
    const client = createSessionClient({ adapter, clock, eventTarget: target })
    const first = client.mount()
    first()
    const second = client.mount()
    await clock.advanceAsync(0)
    expect(adapter.calls.getClient).toBe(1)
    const attached = add.mock.calls.length
    expect(attached).toBeGreaterThan(0)
    second()
    await clock.advanceAsync(0)
    const remove = vi.spyOn(target, 'removeEventListener')
    client.mount()()
    await clock.advanceAsync(0)
    expect(remove.mock.calls.length).toBe(add.mock.calls.length - attached)
    client.destroy()
  })

  it('stops every timer and refuses calls once destroyed', async () => {
    const { client, clock } = await setup()
    await client.getToken()
    client.destroy()
    expect(clock.pendingTimers()).toBe(0)
    await expect(client.touch()).rejects.toMatchObject({ code: 'client_destroyed' })
    await expect(client.load()).rejects.toMatchObject({ code: 'client_destroyed' })
  })
})

describe('sessions', () => {
  it('signs in with a password and reports a wrong one without signing in', async () => {
    const { client } = await setup({ signedIn: false })
    cleanup = () => client.destroy()
    expect(client.getState().status).toBe('signed-out')
    await expect(client.signIn({ identifier: 'ada@example.com', password: 'nope' })).rejects.toMatchObject({
      code: 'invalid_credentials',
    })
    expect(client.getState().status).toBe('signed-out')
    await client.signIn({ identifier: 'ada@example.com', password: 'password' })
    expect(client.getState().user?.firstName).toBe('Ada')
  })

  it('signs out of one session and keeps the others listed', async () => {
    const { client } = await setup({ adapter: { signedInAs: ['grace@example.com', 'ada@example.com'] } })
    cleanup = () => client.destroy()
    const [grace] = client.getState().sessions
    await client.signOut({ sessionId: grace!.id })
    expect(client.getState().status).toBe('signed-in')
    expect(client.getState().sessions.find((s) => s.id === grace!.id)?.status).toBe('ended')
    await client.remove()
    expect(client.getState().status).toBe('signed-out')
    expect(client.getState().signOutReason).toBe('signed-out')
    expect(client.getState().phase).toBe('active')
  })

  it('keeps the active session when switching to (or asking a token for) a session that ended elsewhere', async () => {
    const { client, adapter } = await setup({ adapter: { signedInAs: ['grace@example.com', 'ada@example.com'] } })
    cleanup = () => client.destroy()
    const [grace, ada] = client.getState().sessions
    adapter.revokeSession(grace!.id)
    await expect(client.getToken({ sessionId: grace!.id, skipCache: true })).rejects.toMatchObject({ code: 'session_not_found' })
    expect(client.getState().session?.id).toBe(ada!.id)
    await expect(client.setActive(grace!.id)).rejects.toMatchObject({ code: 'session_not_found' })
    // Once the list knows, asking for that session's token is like asking when signed out.
    expect(await client.getToken({ sessionId: grace!.id })).toBeNull()
    const state = client.getState()
    expect(state.status).toBe('signed-in')
    expect(state.session?.id).toBe(ada!.id)
    // The list learns that the other session is gone.
    expect(state.sessions.find((s) => s.id === grace!.id)?.status).not.toBe('active')
  })

  it('keeps the same user object across renewals, so useUser-style readers do not re-render', async () => {
    const { client } = await setup()
    cleanup = () => client.destroy()
    const user = client.getState().user
    await client.touch()
    await client.load()
    expect(client.getState().user).toBe(user)
  })

  it('signs the user out locally even when the server cannot be told', async () => {
    const { client, adapter } = await setup()
    cleanup = () => client.destroy()
    adapter.fail('offline')
    await client.signOut()
    expect(client.getState().status).toBe('signed-out')
    expect(await client.getToken()).toBeNull()
  })

  it('reads null from a JavaScript caller as "the default": the active session, the default leeway', async () => {
    const { client } = await setup()
    cleanup = () => client.destroy()
    const loose = client as unknown as {
      getToken(options: Record<string, null>): Promise<string | null>
      end(sessionId: null): Promise<void>
    }
    expect(await loose.getToken({ leewayInSeconds: null, template: null, throwOnError: null })).toEqual(expect.any(String))
    await loose.end(null)
    expect(client.getState().status).toBe('signed-out')
  })
})

describe('checkAuthorization', () => {
  it('checks role and permission in the active organization and fails closed', async () => {
    const { client } = await setup()
    cleanup = () => client.destroy()
    await client.setActive(client.getState().session!.id, { organizationId: 'org_acme' })
    expect(client.checkAuthorization({ role: 'org:admin' })).toBe(true)
    expect(client.checkAuthorization({ permission: 'org:invoices:delete' })).toBe(true)
    expect(client.checkAuthorization({ role: 'org:admin', permission: 'org:nope' })).toBe(false)
    expect(client.checkAuthorization({})).toBe(false)
    await client.setActive(client.getState().session!.id, { organizationId: 'org_globex' })
    expect(client.checkAuthorization({ role: 'org:admin' })).toBe(false)
    await client.signOut()
    expect(client.checkAuthorization({ permission: 'org:invoices:read' })).toBe(false)
  })

  it('ages the factor verification with time: strict passes right after sign-in, fails 10 minutes later', async () => {
    const { client, clock } = await setup({ adapter: { policy: { inactivityTimeoutMs: 7 * 24 * 60 * MINUTE, maxLifetimeMs: null } } })
    cleanup = () => client.destroy()
    expect(client.checkAuthorization({ reverification: 'strict' })).toBe(true)
    await clock.advanceAsync(10 * MINUTE)
    expect(client.checkAuthorization({ reverification: 'strict' })).toBe(false)
    expect(client.checkAuthorization({ reverification: 'moderate' })).toBe(true)
  })

  it('passes strict again after verifying the second factor, and rejects a wrong code', async () => {
    const { client, clock } = await setup({ adapter: { policy: { inactivityTimeoutMs: 7 * 24 * 60 * MINUTE, maxLifetimeMs: null } } })
    cleanup = () => client.destroy()
    await clock.advanceAsync(30 * MINUTE)
    expect(client.checkAuthorization({ reverification: 'strict' })).toBe(false)
    await expect(client.verify({ strategy: 'totp', code: '000000' })).rejects.toMatchObject({ code: 'invalid_credentials' })
    expect(client.getState().status).toBe('signed-in')
    expect(client.getState().error).toBeNull()
    await client.verify({ strategy: 'totp', code: '424242' })
    expect(client.checkAuthorization({ reverification: 'strict' })).toBe(true)
    expect(client.checkAuthorization({ reverification: 'strict_mfa' })).toBe(false)
    await client.verify({ strategy: 'password', password: 'password' })
    expect(client.checkAuthorization({ reverification: 'strict_mfa' })).toBe(true)
  })
})
