import { afterEach, describe, expect, it, vi } from 'vitest'
import type { SessionEventMap, SessionEventName } from '../../src/core/events'
import type { SessionClient } from '../../src/core/types'
import { MINUTE, SECOND, destroyClients, signedIn, userInput } from './helpers'

// client.on: typed events, each once per real change; a throwing listener
// breaks nothing.

afterEach(() => {
  destroyClients()
  vi.restoreAllMocks()
})

const ALL: SessionEventName[] = ['signedIn', 'signedOut', 'warning', 'renewed', 'sessionChanged', 'tokenRefreshed', 'connectivity']

/** Every event the client emits, in order. */
function record(client: SessionClient) {
  const log: { event: SessionEventName; payload: SessionEventMap[SessionEventName] }[] = []
  for (const event of ALL) client.on(event, (payload) => log.push({ event, payload }))
  return { log, names: () => log.map((e) => e.event) }
}

describe('events over a session\'s life', () => {
  it('fire once each: sign-in, warning, renewal, token, switch, sign-out', async () => {
    const { client, clock, adapter } = await signedIn({ signedIn: false })
    const { log, names } = record(client)
    await client.signIn({ identifier: 'ada@example.com', password: 'password' })
    expect(names()).toEqual(['signedIn'])
    expect(log[0]!.payload).toMatchObject({ userId: expect.any(String), sessionId: client.getState().session!.id })

    await client.getToken()
    await client.getToken() // from cache: no second event
    expect(names().filter((n) => n === 'tokenRefreshed')).toHaveLength(1)
    const token = log.find((e) => e.event === 'tokenRefreshed')!.payload as SessionEventMap['tokenRefreshed']
    expect(token).toEqual({ sessionId: client.getState().session!.id, template: null, organizationId: client.getState().session!.lastActiveOrganizationId, expiresAt: expect.any(Number) })
    expect(JSON.stringify(log)).not.toContain((await client.getToken())!)

    await clock.advanceAsync(client.getState().deadline! - 30 * SECOND - clock.now())
    await clock.advanceAsync(5 * SECOND) // time passing inside the warning is no new event
    expect(names().filter((n) => n === 'warning')).toHaveLength(1)
    await client.touch()
    expect(names().filter((n) => n === 'renewed')).toHaveLength(1)
    expect(log.at(-1)).toMatchObject({ event: 'renewed', payload: { deadline: client.getState().deadline } })

    await client.signIn({ identifier: 'alan@example.com', password: 'password' })
    expect(names().filter((n) => n === 'sessionChanged')).toHaveLength(1)
    expect(names().filter((n) => n === 'signedIn')).toHaveLength(1)

    adapter.resetCalls()
    await client.signOut()
    expect(log.at(-1)).toMatchObject({ event: 'signedOut', payload: { reason: 'signed-out' } })
    expect(names().filter((n) => n === 'signedOut')).toHaveLength(1)
  })

  it('signedOut says why when the deadline passes', async () => {
    const { client, clock } = await signedIn()
    const { log } = record(client)
    await clock.advanceAsync(11 * MINUTE)
    expect(log.filter((e) => e.event === 'signedOut')).toEqual([
      { event: 'signedOut', payload: { reason: 'inactivity', sessionId: expect.any(String) } },
    ])
  })

  it('connectivity fires on each change, not on every failed retry', async () => {
    const { client, clock, adapter } = await signedIn()
    const { log } = record(client)
    adapter.fail('offline')
    await client.touch().catch(() => undefined)
    await clock.advanceAsync(10 * SECOND) // several retries, all failing
    adapter.fail(null)
    await clock.advanceAsync(30 * SECOND)
    expect(log.filter((e) => e.event === 'connectivity').map((e) => e.payload)).toEqual([
      { connectivity: 'offline', previous: 'online' },
      { connectivity: 'online', previous: 'offline' },
    ])
  })

  it('input that moves no deadline the server renewed fires nothing', async () => {
    const { client, clock } = await signedIn({ client: { touchInterval: 60 * MINUTE } })
    const { names } = record(client)
    for (let i = 0; i < 5; i++) {
      userInput()
      await clock.advanceAsync(2 * SECOND)
    }
    expect(names()).toEqual([])
  })
})

describe('a listener that throws', () => {
  it('is reported and stops neither the other listeners nor the client', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const { client, clock } = await signedIn()
    const heard: string[] = []
    client.on('signedOut', () => {
      throw new Error('analytics is down')
    })
    client.on('signedOut', ({ reason }) => heard.push(reason))
    await clock.advanceAsync(11 * MINUTE)
    expect(heard).toEqual(['inactivity'])
    expect(client.getState().status).toBe('signed-out')
    expect(error).toHaveBeenCalledWith(expect.stringContaining('"signedOut" listener threw'), expect.any(Error))
  })

  it('can unsubscribe', async () => {
    const { client } = await signedIn()
    const listener = vi.fn()
    const off = client.on('signedOut', listener)
    off()
    await client.signOut()
    expect(listener).not.toHaveBeenCalled()
  })
})
