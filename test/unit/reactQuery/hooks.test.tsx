import { QueryClientProvider, useQuery } from '@tanstack/react-query'
import { act, render, renderHook, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { isSessionKitError } from '../../../src/core/errors'
import { SessionProvider, useAuth } from '../../../src/react'
import {
  HttpError,
  SessionQueryBoundary,
  sessionKey,
  sessionIdInKey,
  sessionRetry,
  sessionRetryDelay,
  useAuthFetch,
  useSessionKey,
  useSessionQueryCache,
} from '../../../src/react-query'
import { createQueryWorld, renderWithQueries, SECOND, type QueryWorld } from './harness'

describe('given no SessionProvider', () => {
  it.each<[string, () => unknown]>([
    ['useAuthFetch', () => useAuthFetch()],
    ['useSessionKey', () => useSessionKey()],
    ['useSessionQueryCache', () => useSessionQueryCache()],
  ])('%s throws a missing_provider error that names the hook', (name, hook) => {
    const world = createQueryWorld()
    let thrown: unknown
    try {
      renderHook(hook, { wrapper: ({ children }) => <QueryClientProvider client={world.queryClient}>{children}</QueryClientProvider> })
    } catch (error) {
      thrown = error
    }
    expect(isSessionKitError(thrown, 'missing_provider')).toBe(true)
    expect((thrown as Error).message).toBe(`\`${name}\` must be used within \`SessionProvider\``)
  })

  it('SessionQueryBoundary works with { client, queryClient } instead of providers', async () => {
    const world = createQueryWorld()
    render(<SessionQueryBoundary client={world.client} queryClient={world.queryClient} />)
    world.client.mount()
    await world.advance(0)
    await act(() => world.queryClient.prefetchQuery({ queryKey: ['x'], queryFn: () => 1 }))
    await act(() => world.client.signOut())
    expect(world.queryClient.getQueryData(['x'])).toBeUndefined()
  })
})

describe('sessionKey', () => {
  it('tags a key with a session id, from an id or from client state', () => {
    expect(sessionKey('sess_1')).toEqual([{ sessionkitSessionId: 'sess_1' }])
    expect(sessionKey(null)).toEqual([{ sessionkitSessionId: null }])
    expect(sessionKey(undefined)).toEqual([{ sessionkitSessionId: null }])
    expect(sessionKey({ session: null })).toEqual([{ sessionkitSessionId: null }])
    expect(sessionIdInKey(['me', ...sessionKey('sess_1'), { page: 2 }])).toBe('sess_1')
    expect(sessionIdInKey(['me', { sessionId: 'sess_1' }])).toBeUndefined()
  })

  it('says so while the client loads, and nothing of it once signed out', () => {
    const loading = sessionKey({ status: 'loading', session: null })
    expect(loading).toEqual([{ sessionkitSessionId: null, sessionkitLoading: true }])
    expect(sessionIdInKey(['me', ...loading])).toBeNull()
    expect(sessionKey({ status: 'signed-out', session: null })).toEqual([{ sessionkitSessionId: null }])
  })
})

describe('given a provider', () => {
  function wrapper(world: QueryWorld) {
    return ({ children }: { children: React.ReactNode }) => (
      <QueryClientProvider client={world.queryClient}>
        <SessionProvider client={world.client}>{children}</SessionProvider>
      </QueryClientProvider>
    )
  }

  it('useAuthFetch keeps its identity across renders and session changes', async () => {
    const world = createQueryWorld({ adapter: { signedInAs: ['ada@example.com', 'grace@example.com'] } })
    const { result, rerender } = renderHook(() => useAuthFetch({ template: 'profile' }), { wrapper: wrapper(world) })
    await world.advance(0)
    const first = result.current
    rerender()
    const ada = world.client.getState().sessions.find((s) => s.user.identifier === 'ada@example.com')!
    await act(() => world.client.setActive(ada.id))
    rerender()
    expect(result.current).toBe(first)
  })

  it('useSessionKey follows the active session', async () => {
    const world = createQueryWorld()
    const { result } = renderHook(() => useSessionKey(), { wrapper: wrapper(world) })
    // Loading: not the signed-out key, which the found user's data would otherwise be cached under.
    expect(result.current).toEqual([{ sessionkitSessionId: null, sessionkitLoading: true }])
    await world.advance(0)
    const id = world.client.getState().session!.id
    expect(result.current).toEqual(sessionKey(id, { organizationId: 'org_acme' }))
    await act(() => world.client.signOut())
    expect(result.current).toEqual(sessionKey(null))
  })

  it('useSessionKey follows the active organization, and keeps its identity while it stays', async () => {
    const world = createQueryWorld()
    const { result } = renderHook(() => useSessionKey(), { wrapper: wrapper(world) })
    await world.advance(0)
    const id = world.client.getState().session!.id
    const acme = result.current
    const untouched = world.client.getState().session
    await act(() => world.client.touch())
    // A touch brings a new session object, in the same organization.
    expect(world.client.getState().session).not.toBe(untouched)
    expect(result.current).toBe(acme)
    await act(() => world.client.setActive(id, { organizationId: 'org_globex' }))
    expect(result.current).toEqual(sessionKey(id, { organizationId: 'org_globex' }))
    await act(() => world.client.setActive(id, { organizationId: null }))
    expect(result.current).toEqual(sessionKey(id, { organizationId: null }))
  })
})

describe('given sessionRetry on a real QueryClient', () => {
  function Invoices({ world }: { world: QueryWorld }) {
    const authFetch = useAuthFetch({ fetch: world.api.fetch })
    const { isSignedIn } = useAuth()
    const invoices = useQuery({
      queryKey: ['invoices', ...useSessionKey()],
      queryFn: () => authFetch.json<{ name: string }>('/api/invoices'),
      enabled: isSignedIn === true,
      retry: sessionRetry,
      retryDelay: sessionRetryDelay,
    })
    if (invoices.isError) {
      const status = invoices.error instanceof HttpError ? invoices.error.status : 'none'
      return <p data-testid="invoices">failed with {status}</p>
    }
    return <p data-testid="invoices">{invoices.data?.name ?? 'loading'}</p>
  }

  it('does not retry a 403', async () => {
    const world = createQueryWorld()
    world.api.respond('/api/invoices', 403, { errors: [{ code: 'forbidden', message: 'Not yours.' }] })
    await renderWithQueries(world, <Invoices world={world} />, { strict: false })
    await world.advance(0)
    await world.advance(60 * SECOND)
    expect(screen.getByTestId('invoices')).toHaveTextContent('failed with 403')
    expect(world.api.fetch).toHaveBeenCalledTimes(1)
  })

  it('retries a 503 with backoff, on virtual time', async () => {
    const world = createQueryWorld()
    world.api.respond('/api/invoices', 503, null, {}, 2)
    await renderWithQueries(world, <Invoices world={world} />, { strict: false })
    await world.advance(0)
    expect(world.api.fetch).toHaveBeenCalledTimes(1)
    await world.advance(1 * SECOND)
    expect(world.api.fetch).toHaveBeenCalledTimes(2)
    await world.advance(2 * SECOND)
    await world.advance(0)
    expect(world.api.fetch).toHaveBeenCalledTimes(3)
    expect(screen.getByTestId('invoices')).toHaveTextContent('Ada Lovelace')
  })
})
