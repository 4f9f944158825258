import { onlineManager, useQuery } from '@tanstack/react-query'
import { act, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { connectOnlineManager, SessionQueryBoundary, useAuthFetch } from '../../../src/react-query'
import { createQueryWorld, renderWithQueries, SECOND, type QueryWorld } from './harness'

afterEach(() => {
  onlineManager.setOnline(true)
})

function Me({ world }: { world: QueryWorld }) {
  const authFetch = useAuthFetch({ fetch: world.api.fetch })
  const me = useQuery({ queryKey: ['me'], queryFn: () => authFetch.json<{ name: string }>('/api/me') })
  return <p data-testid="me">{me.fetchStatus === 'paused' ? 'waiting for the network' : (me.data?.name ?? me.status)}</p>
}

/** The session server stops answering and the client notices (a failed reload). */
async function loseServer(world: QueryWorld) {
  world.adapter.fail('offline')
  await act(() => world.client.load().catch(() => undefined))
}

describe('given SessionQueryBoundary', () => {
  it('TanStack Query goes offline when the session client does, and queries wait', async () => {
    const world = createQueryWorld()
    await renderWithQueries(world, <SessionQueryBoundary />)
    await loseServer(world)
    expect(world.client.getState().connectivity).toBe('offline')
    expect(onlineManager.isOnline()).toBe(false)
  })

  it('paused queries run when the client reaches its server again, on its own backoff timer', async () => {
    const world = createQueryWorld()
    const { rerender } = await renderWithQueries(world, <SessionQueryBoundary />)
    await loseServer(world)
    rerender(
      <SessionQueryBoundary>
        <Me world={world} />
      </SessionQueryBoundary>,
    )
    await world.advance(0)
    expect(screen.getByTestId('me')).toHaveTextContent('waiting for the network')
    expect(world.api.fetch).not.toHaveBeenCalled()

    world.adapter.fail(null)
    await world.advance(1 * SECOND) // the client's first retry comes within a second
    await world.advance(0)
    expect(world.client.getState().connectivity).toBe('online')
    expect(onlineManager.isOnline()).toBe(true)
    expect(screen.getByTestId('me')).toHaveTextContent('Ada Lovelace')
  })

  it('a 5xx from the session server (degraded) does not pause queries: the app’s API may be fine', async () => {
    const world = createQueryWorld()
    await renderWithQueries(world, <SessionQueryBoundary />)
    world.adapter.fail('server-error')
    await act(() => world.client.load().catch(() => undefined))
    expect(world.client.getState().connectivity).toBe('degraded')
    expect(onlineManager.isOnline()).toBe(true)
  })

  it('the browser’s online event resumes queries at once, as TanStack Query alone would', async () => {
    const world = createQueryWorld()
    await renderWithQueries(world, <SessionQueryBoundary />)
    await loseServer(world)
    act(() => {
      window.dispatchEvent(new Event('online'))
    })
    expect(onlineManager.isOnline()).toBe(true)
  })

  it('the browser’s offline event pauses queries through the client', async () => {
    const world = createQueryWorld()
    await renderWithQueries(world, <SessionQueryBoundary />)
    act(() => {
      window.dispatchEvent(new Event('offline'))
    })
    expect(world.client.getState().connectivity).toBe('offline')
    expect(onlineManager.isOnline()).toBe(false)
  })

  it('leaves onlineManager alone with syncOnline={false}', async () => {
    const world = createQueryWorld()
    await renderWithQueries(world, <SessionQueryBoundary syncOnline={false} />)
    await loseServer(world)
    expect(onlineManager.isOnline()).toBe(true)
  })

  it('gives onlineManager back its own browser listeners when it unmounts', async () => {
    const world = createQueryWorld()
    const { unmount } = await renderWithQueries(world, <SessionQueryBoundary />)
    unmount()
    await loseServer(world)
    expect(onlineManager.isOnline()).toBe(true)
    window.dispatchEvent(new Event('offline'))
    expect(onlineManager.isOnline()).toBe(false)
    window.dispatchEvent(new Event('online'))
    expect(onlineManager.isOnline()).toBe(true)
  })
})

describe('connectOnlineManager', () => {
  it('starts no timer and makes no request', async () => {
    const world = createQueryWorld()
    await act(() => world.client.load())
    world.adapter.resetCalls()
    const timers = world.clock.pendingTimers()
    const disconnect = connectOnlineManager(world.client)
    expect(world.clock.pendingTimers()).toBe(timers)
    expect(Object.values(world.adapter.calls).every((count) => count === 0)).toBe(true)
    disconnect()
  })

  it('the newest connection drives the manager; disconnecting it hands over to the one before', async () => {
    const first = createQueryWorld()
    const second = createQueryWorld()
    const disconnectFirst = connectOnlineManager(first.client)
    const disconnectSecond = connectOnlineManager(second.client)
    first.adapter.fail('offline')
    await first.client.load().catch(() => undefined)
    expect(onlineManager.isOnline()).toBe(true)
    disconnectSecond()
    expect(onlineManager.isOnline()).toBe(false)
    disconnectFirst()
    expect(onlineManager.isOnline()).toBe(true)
  })
})
