import { afterEach, describe, expect, it } from 'vitest'
import { createSessionClient } from '../../src/core/client'
import { isSessionKitError } from '../../src/core/errors'
import { decodeJwt } from '../../src/core/jwt'
import { createVirtualClock } from '../../src/core/virtualClock'
import { MINUTE, destroyClients, signedIn } from './helpers'
import { USERS_WITH_SUPPORT as users } from './supportUser'

// Support staff acting as a user: client.startImpersonation / stopImpersonation
// on the memory adapter, which follows the reference server's rules.


afterEach(destroyClients)

const asSupport = () => signedIn({ adapter: { users, signedInAs: 'support@example.com' } })

async function rejection(promise: Promise<unknown>) {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection')
}

describe('startImpersonation', () => {
  it('makes a new session for the user active, whose actor names the impersonator and whose tokens carry act', async () => {
    const { client } = await asSupport()
    const own = client.getState().session!.id
    const changes: unknown[] = []
    client.on('sessionChanged', (payload) => changes.push(payload))

    await client.startImpersonation('user_ada')

    const { session, user } = client.getState()
    expect(user).toMatchObject({ id: 'user_ada', firstName: 'Ada' })
    expect(session!.actor).toEqual({ sub: 'user_support', identifier: 'support@example.com', name: 'Sam Support' })
    expect(changes).toEqual([{ sessionId: session!.id, previousSessionId: own }])
    const claims = decodeJwt((await client.getToken())!)
    expect(claims).toMatchObject({ sub: 'user_ada', sid: session!.id, act: { sub: 'user_support' } })
  })

  it('is refused (forbidden) for a user without the permission, and changes nothing', async () => {
    const { client } = await signedIn()
    const before = client.getState().session!.id
    const error = await rejection(client.startImpersonation('user_grace'))
    expect(isSessionKitError(error, 'forbidden')).toBe(true)
    expect(client.getState()).toMatchObject({ status: 'signed-in', error: null })
    expect(client.getState().session!.id).toBe(before)
  })

  it('answers an unknown user with invalid_request (404), still signed in as oneself', async () => {
    const { client } = await asSupport()
    const error = await rejection(client.startImpersonation('user_nobody'))
    expect(isSessionKitError(error, 'invalid_request')).toBe(true)
    expect((error as { status?: number }).status).toBe(404)
    expect(client.getState().user!.id).toBe('user_support')
  })

  it('rejects a missing user id and a second impersonation before any request', async () => {
    const { client, adapter } = await asSupport()
    expect(isSessionKitError(await rejection(client.startImpersonation('')), 'invalid_option')).toBe(true)
    await client.startImpersonation('user_ada')
    adapter.resetCalls()
    expect(isSessionKitError(await rejection(client.startImpersonation('user_grace')), 'invalid_request')).toBe(true)
    expect(adapter.calls.startImpersonation).toBe(0)
  })

  it('never outlives the impersonator\'s own session', async () => {
    const { client, clock } = await asSupport()
    const ownEnd = client.getState().session!.abandonAt!
    for (let i = 0; i < 6; i++) {
      await clock.advanceAsync(5 * MINUTE)
      await client.touch()
    }
    await client.startImpersonation('user_ada')
    expect(client.getState().session!.abandonAt).toBe(ownEnd)
  })
})

describe('stopImpersonation', () => {
  it("ends the impersonated session and makes the impersonator's own session active again", async () => {
    const { client, adapter } = await asSupport()
    const own = client.getState().session!.id
    await client.startImpersonation('user_ada')
    const acting = client.getState().session!.id

    await client.stopImpersonation()

    expect(client.getState()).toMatchObject({ status: 'signed-in', user: { id: 'user_support' } })
    expect(client.getState().session).toMatchObject({ id: own, actor: null })
    expect(adapter.peek(acting)!.status).toBe('ended')
    expect(decodeJwt((await client.getToken())!)).not.toHaveProperty('act')
  })

  it('keeps the impersonator\'s own session alive while they act (their touches count for it)', async () => {
    const { client, clock, adapter } = await asSupport()
    const own = client.getState().session!.id
    await client.startImpersonation('user_ada')
    // Twice the inactivity timeout of activity as Ada.
    for (let i = 0; i < 4; i++) {
      await clock.advanceAsync(5 * MINUTE)
      await client.touch()
    }
    expect(adapter.peek(own)!.status).toBe('active')
    await client.stopImpersonation()
    expect(client.getState().session!.id).toBe(own)
  })

  it('rejects invalid_request when nobody is acting as someone else', async () => {
    const { client } = await asSupport()
    expect(isSessionKitError(await rejection(client.stopImpersonation()), 'invalid_request')).toBe(true)
  })
})

describe('without the adapter methods', () => {
  it('rejects not_supported, naming the method to add', async () => {
    const clock = createVirtualClock()
    const full = (await asSupport()).adapter
    const { startImpersonation: _start, stopImpersonation: _stop, ...adapter } = full
    const client = createSessionClient({ adapter: { ...adapter, key: 'bare' }, clock, eventTarget: null, crossTab: false, warnBefore: 60_000 })
    try {
      const start = await rejection(client.startImpersonation('user_ada'))
      expect(isSessionKitError(start, 'not_supported')).toBe(true)
      expect((start as Error).message).toMatch(/startImpersonation\(\)/)
      expect(isSessionKitError(await rejection(client.stopImpersonation()), 'not_supported')).toBe(true)
    } finally {
      client.destroy()
    }
  })
})
