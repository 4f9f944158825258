import { QueryClient, useQuery } from '@tanstack/react-query'
import { screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createSessionClient } from '../../../src/core/client'
import {
  connectQueryClient,
  SessionQueryBoundary,
  sessionKey,
  sessionRetry,
  sessionRetryDelay,
  useAuthFetch,
  useSessionKey,
} from '../../../src/react-query'
import { createQueryWorld, renderWithQueries, type QueryWorld } from './harness'

type Me = { name: string }

const ADA = 'Ada Lovelace'

// The README's sample, word for word (it calls the global fetch: the fake API stands in for it).
function Profile() {
  const authFetch = useAuthFetch()
  const me = useQuery({ queryKey: ['me', ...useSessionKey()], queryFn: () => authFetch.json<Me>('/api/me') })
  return <p>{me.data?.name}</p>
}

/** A signed-out app's public query: sent without a token, keyed with the session like the rest. */
function Banner() {
  const authFetch = useAuthFetch({ anonymous: true })
  const banner = useQuery({ queryKey: ['banner', ...useSessionKey()], queryFn: () => authFetch.json<{ text: string }>('/api/banner') })
  return <p>{banner.data?.text}</p>
}

const readmeClients: QueryClient[] = []
afterEach(() => {
  vi.unstubAllGlobals()
  for (const queryClient of readmeClients.splice(0)) queryClient.clear()
})

/** A query world with the README's QueryClient, and the fake API as the global fetch. */
function readmeWorld(world: QueryWorld): QueryWorld {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: sessionRetry, retryDelay: sessionRetryDelay } } })
  readmeClients.push(queryClient)
  vi.stubGlobal('fetch', world.api.fetch)
  return { ...world, queryClient }
}

async function settle(world: QueryWorld) {
  for (let i = 0; i < 5; i++) await world.advance(0)
}

/** Every query in the cache that holds data, with its key. */
function cachedData(world: QueryWorld) {
  return world.queryClient
    .getQueryCache()
    .getAll()
    .filter((query) => query.state.data !== undefined)
    .map((query) => ({ queryKey: query.queryKey, data: query.state.data }))
}

describe.each([
  ['in StrictMode', true],
  ['without StrictMode', false],
])('given the README sample and a client that loads on mount, %s', (_, strict) => {
  it('sends one request, with the token, and caches the data under the session’s key only', async () => {
    const world = readmeWorld(createQueryWorld())
    expect(world.client.getState().status).toBe('loading')

    await renderWithQueries(
      world,
      <SessionQueryBoundary>
        <Profile />
      </SessionQueryBoundary>,
      { strict },
    )
    await settle(world)

    expect(screen.getByText(ADA)).toBeInTheDocument()
    expect(world.api.received.map((request) => request.url)).toEqual(['/api/me'])
    expect(world.api.received[0]?.authorization).toMatch(/^Bearer /)
    const state = world.client.getState()
    expect(state.status).toBe('signed-in')
    expect(cachedData(world)).toEqual([{ queryKey: ['me', ...sessionKey(state)], data: { userId: 'user_ada', name: ADA } }])
    expect(world.queryClient.getQueryData(['me', ...sessionKey(null)])).toBeUndefined()
  })

  it('signed out: the anonymous query is sent once loaded, without a token', async () => {
    const world = readmeWorld(createQueryWorld({ signedIn: false }))
    world.api.respond('/api/banner', 200, { text: 'Welcome' })

    await renderWithQueries(
      world,
      <SessionQueryBoundary>
        <Banner />
      </SessionQueryBoundary>,
      { strict },
    )
    await settle(world)

    expect(screen.getByText('Welcome')).toBeInTheDocument()
    expect(world.client.getState().status).toBe('signed-out')
    expect(world.api.received.map((request) => ({ url: request.url, authorization: request.authorization }))).toEqual([
      { url: '/api/banner', authorization: null },
    ])
    expect(cachedData(world)).toEqual([{ queryKey: ['banner', ...sessionKey(null)], data: { text: 'Welcome' } }])
  })

  it('started from a server snapshot (never loading): sends one request at once, under the session’s key', async () => {
    const loaded = createQueryWorld()
    const answer = await loaded.adapter.getClient()
    const client = createSessionClient({
      adapter: loaded.adapter,
      clock: loaded.clock,
      eventTarget: window,
      initialClient: { client: answer.data, serverNow: answer.serverNow },
    })
    const world = readmeWorld({ ...loaded, client })
    try {
      expect(client.getState().status).toBe('signed-in')

      await renderWithQueries(
        world,
        <SessionQueryBoundary>
          <Profile />
        </SessionQueryBoundary>,
        { strict },
      )
      await settle(world)

      expect(screen.getByText(ADA)).toBeInTheDocument()
      expect(world.api.received.map((request) => request.url)).toEqual(['/api/me'])
      expect(cachedData(world)).toEqual([
        { queryKey: ['me', ...sessionKey(client.getState())], data: { userId: 'user_ada', name: ADA } },
      ])
    } finally {
      client.destroy()
    }
  })
})

describe('given a query that ran while the client loaded anyway (its own `enabled: true`)', () => {
  function EagerProfile() {
    const authFetch = useAuthFetch()
    const me = useQuery({ queryKey: ['me', ...useSessionKey()], queryFn: () => authFetch.json<Me>('/api/me'), enabled: true })
    return <p>{me.data?.name}</p>
  }

  it('keeps none of the found user’s data under the loading key once loaded', async () => {
    const world = readmeWorld(createQueryWorld())
    await renderWithQueries(
      world,
      <SessionQueryBoundary>
        <EagerProfile />
      </SessionQueryBoundary>,
    )
    await settle(world)

    expect(screen.getByText(ADA)).toBeInTheDocument()
    const state = world.client.getState()
    expect(cachedData(world)).toEqual([{ queryKey: ['me', ...sessionKey(state)], data: { userId: 'user_ada', name: ADA } }])
  })
})

describe('given data under the loading key when the cache connects (restored from storage)', () => {
  it('drops it: nobody knows whose it is', () => {
    const world = createQueryWorld()
    const loadingKey = ['me', ...sessionKey({ status: 'loading', session: null })]
    world.queryClient.setQueryData(loadingKey, { name: 'Grace Hopper' })

    const disconnect = connectQueryClient(world.client, world.queryClient, { syncOnline: false })
    expect(world.queryClient.getQueryData(loadingKey)).toBeUndefined()
    disconnect()
  })
})

describe('given the app’s own `enabled` default', () => {
  it('holds only the loading key’s queries, and gives the default back when the boundary unmounts', async () => {
    const world = readmeWorld(createQueryWorld())
    const appEnabled = (query: { queryKey: readonly unknown[] }) => query.queryKey[0] !== 'paused-by-app'
    world.queryClient.setDefaultOptions({ queries: { ...world.queryClient.getDefaultOptions().queries, enabled: appEnabled } })
    function PausedByApp() {
      const authFetch = useAuthFetch()
      const me = useQuery({ queryKey: ['paused-by-app', ...useSessionKey()], queryFn: () => authFetch.json<Me>('/api/paused') })
      return <p>{me.data?.name}</p>
    }
    const { unmount } = await renderWithQueries(
      world,
      <SessionQueryBoundary>
        <Profile />
        <PausedByApp />
      </SessionQueryBoundary>,
    )
    await settle(world)

    expect(world.api.received.map((request) => request.url)).toEqual(['/api/me'])
    unmount()
    expect(world.queryClient.getDefaultOptions().queries?.enabled).toBe(appEnabled)
    expect(world.queryClient.getDefaultOptions().queries?.retry).toBe(sessionRetry)
  })
})
