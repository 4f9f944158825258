import { afterEach, describe, expect, it } from 'vitest'
import { createSessionClient } from '../../src/core/client'
import { DEMO_PASSWORD } from '../../src/adapters/memory'
import { createMemoryTabHub } from '../../src/core/tabs/memoryTransport'
import { MINUTE, SECOND, destroyClients, signedIn } from './helpers'
import { closeOpenedTabs, openTabs } from './tabHelpers'

afterEach(destroyClients)
afterEach(closeOpenedTabs)

type World = Awaited<ReturnType<typeof signedIn>>

/** The page reloaded (or the next person at a shared computer opened it): a new client on the same server. */
async function reload({ adapter, clock }: World) {
  const reloaded = createSessionClient({ adapter, clock, eventTarget: null })
  await reloaded.load()
  const status = reloaded.getState().status
  reloaded.destroy()
  return status
}

describe('given a sign-out while the server cannot be reached', () => {
  it('signs out here at once and tells the server once it is back, so a reload stays signed out', async () => {
    const world = await signedIn()
    const { client, adapter, clock } = world
    adapter.fail('offline')
    await client.signOut()
    expect(client.getState().status).toBe('signed-out')
    adapter.fail(null)
    await clock.advanceAsync(5 * MINUTE)
    expect(await reload(world)).toBe('signed-out')
  })

  it('stays offline while the sign-out waits, and is online again once the server heard it', async () => {
    const { client, adapter, clock } = await signedIn()
    adapter.fail('offline')
    await client.signOut()
    await clock.advanceAsync(10 * SECOND)
    expect(client.getState().connectivity).toBe('offline')
    adapter.fail(null)
    await clock.advanceAsync(30 * SECOND)
    expect(client.getState().connectivity).toBe('online')
  })

  it('is online again after a sign-out made while already offline, once the server answers (no browser event)', async () => {
    const { client, adapter, clock } = await signedIn()
    adapter.fail('offline')
    await client.touch().catch(() => undefined)
    expect(client.getState().connectivity).toBe('offline')
    await client.signOut()
    adapter.fail(null)
    await clock.advanceAsync(5 * MINUTE)
    expect(client.getState().connectivity).toBe('online')
  })

  it('keeps trying with backoff, and at once when the browser is back online', async () => {
    const { client, adapter, clock } = await signedIn()
    adapter.fail('offline')
    await client.signOut()
    adapter.resetCalls()
    await clock.advanceAsync(1 * SECOND) // first retry after 0.5 to 1 s
    expect(adapter.calls.endAllSessions).toBe(0)
    expect(adapter.calls.endSession).toBe(1)
    await clock.advanceAsync(2 * SECOND) // then 1 to 2 s
    expect(adapter.calls.endSession).toBe(2)
    adapter.fail(null)
    window.dispatchEvent(new Event('online'))
    await clock.advanceAsync(0)
    expect(adapter.calls.endSession).toBe(3)
    expect(client.getState().connectivity).toBe('online')
    await clock.advanceAsync(5 * MINUTE)
    expect(adapter.calls.endSession).toBe(3)
  })

  it('waits as long as the server asks (Retry-After)', async () => {
    const { client, adapter, clock } = await signedIn()
    adapter.fail('rate-limited', { retryAfterMs: 20 * SECOND })
    await client.signOut()
    expect(client.getState().connectivity).toBe('degraded')
    adapter.resetCalls()
    await clock.advanceAsync(19 * SECOND)
    expect(adapter.calls.endSession).toBe(0)
    adapter.fail(null)
    await clock.advanceAsync(1 * SECOND)
    expect(adapter.calls.endSession).toBe(1)
    expect(client.getState().connectivity).toBe('online')
  })

  it('stops at the server\'s definite answer that the session is over', async () => {
    const world = await signedIn()
    const { client, adapter, clock } = world
    const id = client.getState().session!.id
    adapter.fail('offline')
    await client.end()
    adapter.fail(null)
    adapter.revokeSession(id)
    adapter.resetCalls()
    await clock.advanceAsync(1 * SECOND)
    expect(adapter.calls.endSession).toBe(1)
    expect(client.getState().connectivity).toBe('online')
    await clock.advanceAsync(5 * MINUTE)
    expect(adapter.calls.endSession).toBe(1)
    expect(await reload(world)).toBe('signed-out')
  })

  it('keeps trying after a page that is not the server\'s answer (a captive portal), which told the server nothing', async () => {
    const world = await signedIn()
    const { client, adapter, clock } = world
    const id = client.getState().session!.id
    const portalPage = '<html>Sign in to the hotel Wi-Fi</html>'
    adapter.respondWith('endAllSessions', portalPage)
    adapter.respondWith('endSession', portalPage)
    await expect(client.signOut()).rejects.toMatchObject({ code: 'invalid_response' })
    expect(client.getState().status).toBe('signed-out')
    await clock.advanceAsync(1 * SECOND)
    expect(adapter.peek(id)?.status).toBe('active')
    await clock.advanceAsync(5 * MINUTE)
    expect(adapter.peek(id)?.status).not.toBe('active')
    expect(client.getState().connectivity).toBe('online')
    expect(await reload(world)).toBe('signed-out')
  })

  it('sends the sign-out before a later load asks for the client', async () => {
    const world = await signedIn()
    const { client, adapter } = world
    const id = client.getState().session!.id
    adapter.fail('offline')
    await client.signOut()
    adapter.fail(null)
    adapter.resetCalls()
    await client.load()
    expect(adapter.calls.endSession).toBe(1)
    expect(client.getState().status).toBe('signed-out')
    expect(client.getState().sessions.find((s) => s.id === id)?.status).not.toBe('active')
    expect(await reload(world)).toBe('signed-out')
  })

  it('never ends a session signed in after it', async () => {
    const world = await signedIn()
    const { client, adapter, clock } = world
    adapter.fail('offline')
    await client.signOut()
    adapter.fail(null)
    await client.signIn({ identifier: 'ada@example.com', password: DEMO_PASSWORD })
    const again = client.getState().session!.id
    await clock.advanceAsync(5 * MINUTE)
    expect(client.getState().status).toBe('signed-in')
    expect(client.getState().session?.id).toBe(again)
    expect(await reload(world)).toBe('signed-in')
  })

  it('gives up when the client is destroyed', async () => {
    const { client, adapter, clock } = await signedIn()
    adapter.fail('offline')
    await client.signOut()
    client.destroy()
    adapter.resetCalls()
    await clock.advanceAsync(5 * MINUTE)
    expect(adapter.calls.endSession).toBe(0)
  })
})

describe('given the idle deadline passes while the server cannot be reached', () => {
  it('tells the server once it is back, so a reload 30 s later stays signed out', async () => {
    const world = await signedIn({ client: { idleTimeout: 2 * MINUTE } })
    const { client, adapter, clock } = world
    adapter.fail('offline')
    await clock.advanceAsync(2 * MINUTE + 5 * SECOND)
    expect(client.getState().status).toBe('signed-out')
    expect(client.getState().connectivity).toBe('offline')
    adapter.fail(null)
    await clock.advanceAsync(30 * SECOND)
    expect(client.getState().connectivity).toBe('online')
    expect(await reload(world)).toBe('signed-out')
  })
})

describe('given several tabs', () => {
  it('the tab that signed out tells the server once, the others not at all', async () => {
    const { adapter, clock, client: elsewhere } = await signedIn()
    // Only the tabs below: the client the helper made is not one of them.
    elsewhere.destroy()
    const hub = createMemoryTabHub(clock)
    const [first, second] = openTabs(clock, adapter, hub, 2)
    await clock.advanceAsync(1 * SECOND)
    const follower = first!.client.isLeader() ? second! : first!
    const leader = follower === first ? second! : first!
    adapter.fail('offline')
    await follower.client.signOut()
    expect(leader.client.getState().status).toBe('signed-out')
    adapter.fail(null)
    adapter.resetCalls()
    await clock.advanceAsync(5 * MINUTE)
    expect(adapter.calls.endSession + adapter.calls.endAllSessions).toBe(1)
    expect(follower.client.getState().connectivity).toBe('online')
  })
})
