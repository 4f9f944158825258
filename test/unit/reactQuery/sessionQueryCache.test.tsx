import { act, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { useMutation, useMutationState, useQuery, useQueryClient } from '@tanstack/react-query'
import { SignedIn, useAuth } from '../../../src/react'
import {
  connectQueryClient,
  createAuthFetch,
  SessionQueryBoundary,
  sessionIdInKey,
  sessionKey,
  useAuthFetch,
  useSessionKey,
  useSessionQueryCache,
} from '../../../src/react-query'
import { Profile, UntaggedProfile, type ProfileRender } from './components'
import { createQueryWorld, MINUTE, renderWithQueries, type QueryWorld } from './harness'

const ADA = 'Ada Lovelace'
const GRACE = 'Grace Hopper'

/** Lets every fetch, token request and batched notification that is due land. */
async function settle(world: QueryWorld) {
  for (let i = 0; i < 5; i++) await world.advance(0)
}

/** Every text the element showed, from now on, including states React committed and replaced in one go. */
function recordTexts(element: HTMLElement): string[] {
  const texts = [element.textContent ?? '']
  new MutationObserver(() => texts.push(element.textContent ?? '')).observe(element, {
    subtree: true,
    childList: true,
    characterData: true,
  })
  return texts
}

function sessionIdOf(world: QueryWorld, identifier: string): string {
  const session = world.client.getState().sessions.find((s) => s.user.identifier === identifier)
  if (!session) throw new Error(`no session for ${identifier}`)
  return session.id
}

describe('given a session switch', () => {
  const twoAccounts = () => createQueryWorld({ adapter: { signedInAs: ['ada@example.com', 'grace@example.com'] } })

  it.each([
    ['', false],
    [', even with keepPreviousData', true],
  ])('never shows the previous account’s data, not even for one render%s', async (_, keepPreviousData) => {
    const world = twoAccounts()
    const log: ProfileRender[] = []
    await renderWithQueries(
      world,
      <SessionQueryBoundary>
        <Profile fetch={world.api.fetch} log={log} keepPreviousData={keepPreviousData} />
      </SessionQueryBoundary>,
    )
    await settle(world)
    expect(screen.getByTestId('profile')).toHaveTextContent(`${GRACE} sees ${GRACE}`)
    const texts = recordTexts(screen.getByTestId('profile'))
    const switchedAt = log.length

    await act(() => world.client.setActive(sessionIdOf(world, 'ada@example.com')))
    await settle(world)

    expect(screen.getByTestId('profile')).toHaveTextContent(`${ADA} sees ${ADA}`)
    const after = log.slice(switchedAt)
    expect(after.length).toBeGreaterThan(0)
    for (const render of after) {
      expect(render.active).toBe(ADA)
      expect(render.shown === null || render.shown === ADA).toBe(true)
    }
    expect(texts.slice(1).filter((text) => text.includes(GRACE))).toEqual([])
    expect(texts.slice(1).length).toBeGreaterThan(0)
  })

  it('drops a request of the previous account that was still on its way', async () => {
    const world = twoAccounts()
    world.api.latencyMs = 100
    const log: ProfileRender[] = []
    await renderWithQueries(
      world,
      <SessionQueryBoundary>
        <Profile fetch={world.api.fetch} log={log} />
      </SessionQueryBoundary>,
    )
    await settle(world)
    expect(world.api.received).toHaveLength(1)
    const graceId = world.client.getState().session!.id
    await act(() => world.client.setActive(sessionIdOf(world, 'ada@example.com')))
    await world.advance(200)
    await settle(world)

    expect(screen.getByTestId('profile')).toHaveTextContent(`${ADA} sees ${ADA}`)
    expect(log.some((render) => render.shown === GRACE)).toBe(false)
    const keys = world.queryClient.getQueryCache().getAll().map((q) => sessionIdInKey(q.queryKey))
    expect(keys).not.toContain(graceId)
  })

  it('switching back fetches again rather than trusting what the old session left', async () => {
    const world = twoAccounts()
    const log: ProfileRender[] = []
    await renderWithQueries(
      world,
      <SessionQueryBoundary>
        <Profile fetch={world.api.fetch} log={log} />
      </SessionQueryBoundary>,
    )
    await settle(world)
    const graceId = world.client.getState().session!.id
    await act(() => world.client.setActive(sessionIdOf(world, 'ada@example.com')))
    await settle(world)
    const mark = log.length
    await act(() => world.client.setActive(graceId))
    await settle(world)
    expect(screen.getByTestId('profile')).toHaveTextContent(`${GRACE} sees ${GRACE}`)
    expect(log.slice(mark).every((render) => render.shown !== ADA)).toBe(true)
    expect(world.api.received).toHaveLength(3)
  })

  it('drops untagged queries too, and refetches the mounted ones for the new account', async () => {
    const world = twoAccounts()
    await renderWithQueries(
      world,
      <SessionQueryBoundary>
        <UntaggedProfile fetch={world.api.fetch} />
      </SessionQueryBoundary>,
    )
    await settle(world)
    expect(screen.getByTestId('untagged')).toHaveTextContent(GRACE)
    await act(() => world.client.setActive(sessionIdOf(world, 'ada@example.com')))
    expect(world.queryClient.getQueryData(['untagged-me'])).toBeUndefined()
    await settle(world)
    expect(screen.getByTestId('untagged')).toHaveTextContent(ADA)
  })

  it('keeps queries tagged with another account that is still signed in, and drops them when it signs out', async () => {
    const world = twoAccounts()
    await renderWithQueries(world, <SessionQueryBoundary />)
    const adaId = sessionIdOf(world, 'ada@example.com')
    const graceId = sessionIdOf(world, 'grace@example.com')
    const authFetch = createAuthFetch(world.client, { fetch: world.api.fetch })
    // An account switcher's badge for an account that is not the active one: pinned to that session.
    const inbox = (sessionId: string) => ({
      queryKey: ['inbox', ...sessionKey(sessionId)],
      queryFn: () => authFetch.json('/api/me', { sessionId }),
    })
    await act(async () => {
      await world.queryClient.prefetchQuery(inbox(adaId))
      await world.queryClient.prefetchQuery(inbox(graceId))
    })
    expect(world.queryClient.getQueryData(inbox(adaId).queryKey)).toMatchObject({ name: ADA })

    await act(() => world.client.signOut({ sessionId: adaId }))
    expect(world.queryClient.getQueryData(inbox(adaId).queryKey)).toBeUndefined()
    expect(world.queryClient.getQueryData(inbox(graceId).queryKey)).toMatchObject({ name: GRACE })
  })
})

describe('given a session switch, with mutations', () => {
  it('drops the previous account’s mutations, so useMutationState shows nothing of theirs', async () => {
    const world = createQueryWorld({ adapter: { signedInAs: ['ada@example.com', 'grace@example.com'] } })
    function Rename() {
      const rename = useMutation({ mutationKey: ['rename'], mutationFn: async (name: string) => ({ name }) })
      const sent = useMutationState({ filters: { mutationKey: ['rename'] }, select: (mutation) => String(mutation.state.variables) })
      return (
        <button type="button" onClick={() => rename.mutate('Amazing Grace')}>
          {sent.length > 0 ? `Sent ${sent.join(', ')}` : 'Rename'}
        </button>
      )
    }
    await renderWithQueries(
      world,
      <SessionQueryBoundary>
        <Rename />
      </SessionQueryBoundary>,
    )
    act(() => screen.getByRole('button', { name: 'Rename' }).click())
    await settle(world)
    expect(screen.getByRole('button')).toHaveTextContent('Sent Amazing Grace')

    await act(() => world.client.setActive(sessionIdOf(world, 'ada@example.com')))
    await settle(world)
    expect(world.queryClient.getMutationCache().getAll()).toEqual([])
    expect(screen.getByRole('button')).toHaveTextContent('Rename')
  })
})

describe('given a cache that already holds data when it connects', () => {
  /** What a persister restores, or an app puts in before the boundary mounts: whose it is, nobody can tell. */
  async function fillCache(world: QueryWorld) {
    world.queryClient.setQueryData(['orders'], [1, 2])
    world.queryClient.setQueryData(['public', 'flags'], { beta: true })
    world.queryClient.setQueryData(['inbox', ...sessionKey('sess_someone_else')], { unread: 3 })
    await world.queryClient.getMutationCache().build(world.queryClient, { mutationFn: async (name: string) => ({ name }) }).execute('Ada')
  }
  const keep = (query: { queryKey: readonly unknown[] }) => query.queryKey[0] === 'public'

  it('signed out already (a server snapshot): drops every query and mutation but `keep`’s, as a first load that finds nobody does', async () => {
    const world = createQueryWorld({ signedIn: false })
    await world.client.load()
    expect(world.client.getState().status).toBe('signed-out')
    await fillCache(world)

    const disconnect = connectQueryClient(world.client, world.queryClient, { keep, syncOnline: false })
    expect(world.queryClient.getQueryData(['orders'])).toBeUndefined()
    expect(world.queryClient.getQueryData(['inbox', ...sessionKey('sess_someone_else')])).toBeUndefined()
    expect(world.queryClient.getMutationCache().getAll()).toEqual([])
    expect(world.queryClient.getQueryData(['public', 'flags'])).toEqual({ beta: true })
    disconnect()
  })

  it('signed out already: the children’s first queries, on their way, are sent once even in StrictMode', async () => {
    const world = createQueryWorld({ signedIn: false, client: { initialClient: null } })
    world.queryClient.setQueryData(['orders'], [1, 2])
    let sent = 0
    function Flags() {
      const flags = useQuery({ queryKey: ['flags'], queryFn: async () => ({ beta: true, answer: ++sent }) })
      return <p data-testid="flags">{flags.data ? `answer ${flags.data.answer}` : 'loading'}</p>
    }
    await renderWithQueries(
      world,
      <SessionQueryBoundary>
        <Flags />
      </SessionQueryBoundary>,
    )
    await settle(world)
    expect(screen.getByTestId('flags')).toHaveTextContent('answer 1')
    expect(sent).toBe(1)
    expect(world.queryClient.getQueryData(['orders'])).toBeUndefined()
  })

  it('signed in already: keeps the current session’s queries, drops those of sessions it does not know', async () => {
    const world = createQueryWorld()
    await world.client.load()
    const mine = ['me', ...sessionKey(world.client.getState())]
    world.queryClient.setQueryData(mine, { name: ADA })
    await fillCache(world)

    const disconnect = connectQueryClient(world.client, world.queryClient, { keep, syncOnline: false })
    expect(world.queryClient.getQueryData(mine)).toEqual({ name: ADA })
    expect(world.queryClient.getQueryData(['inbox', ...sessionKey('sess_someone_else')])).toBeUndefined()
    expect(world.queryClient.getQueryData(['public', 'flags'])).toEqual({ beta: true })
    disconnect()
  })
})

describe('given a sign-out', () => {
  it('clears every query and mutation', async () => {
    const world = createQueryWorld()
    function Rename() {
      const queryClient = useQueryClient()
      const rename = useMutation({ mutationFn: async (name: string) => ({ name }) })
      return (
        <button type="button" onClick={() => rename.mutate('Countess of Lovelace')} data-count={queryClient.getMutationCache().getAll().length}>
          Rename
        </button>
      )
    }
    await renderWithQueries(
      world,
      <SessionQueryBoundary>
        <SignedIn>
          <Profile fetch={world.api.fetch} />
          <Rename />
        </SignedIn>
      </SessionQueryBoundary>,
    )
    await settle(world)
    act(() => screen.getByRole('button', { name: 'Rename' }).click())
    await settle(world)
    await act(() => world.queryClient.prefetchQuery({ queryKey: ['settings'], queryFn: () => ({ theme: 'dark' }) }))
    expect(world.queryClient.getQueryCache().getAll()).toHaveLength(2)
    expect(world.queryClient.getMutationCache().getAll()).toHaveLength(1)

    await act(() => world.client.signOut())
    await settle(world)
    expect(world.queryClient.getQueryCache().getAll()).toEqual([])
    expect(world.queryClient.getMutationCache().getAll()).toEqual([])
  })

  it('takes the data away from components that stay mounted', async () => {
    const world = createQueryWorld()
    const log: ProfileRender[] = []
    await renderWithQueries(
      world,
      <SessionQueryBoundary>
        <Profile fetch={world.api.fetch} log={log} />
      </SessionQueryBoundary>,
    )
    await settle(world)
    expect(screen.getByTestId('profile')).toHaveTextContent(`${ADA} sees ${ADA}`)
    const mark = log.length
    await act(() => world.client.signOut())
    await settle(world)
    expect(screen.getByTestId('profile')).toHaveTextContent('Nobody sees nothing yet')
    expect(log.slice(mark).every((render) => render.shown === null)).toBe(true)
    expect(world.queryClient.getQueryCache().getAll().every((query) => query.state.data === undefined)).toBe(true)
  })

  it('keeps what `keep` says holds nobody’s data', async () => {
    const world = createQueryWorld()
    await renderWithQueries(world, <SessionQueryBoundary keep={(query) => query.queryKey[0] === 'public'} />)
    await act(async () => {
      await world.queryClient.prefetchQuery({ queryKey: ['public', 'flags'], queryFn: () => ({ beta: true }) })
      await world.queryClient.prefetchQuery({ queryKey: ['orders'], queryFn: () => [1, 2] })
    })
    await act(() => world.client.signOut())
    expect(world.queryClient.getQueryData(['public', 'flags'])).toEqual({ beta: true })
    expect(world.queryClient.getQueryData(['orders'])).toBeUndefined()
  })

  it('clears the cache when the session expires, too', async () => {
    const world = createQueryWorld()
    function Cache() {
      useSessionQueryCache()
      return null
    }
    await renderWithQueries(
      world,
      <>
        <Cache />
        <Profile fetch={world.api.fetch} />
      </>,
    )
    await settle(world)
    expect(world.queryClient.getQueryData(['me', ...sessionKey(world.client.getState())])).toMatchObject({ name: ADA })
    await world.advance(11 * MINUTE)
    expect(world.client.getState()).toMatchObject({ status: 'signed-out', signOutReason: 'inactivity' })
    expect(world.queryClient.getQueryCache().getAll().some((query) => query.state.data !== undefined)).toBe(false)
    expect(screen.getByTestId('profile')).toHaveTextContent('Nobody sees nothing yet')
  })
})

describe('given a cold cache', () => {
  it('20 queries mounted while the session loads make exactly one token request', async () => {
    const world = createQueryWorld({ adapter: { latencyMs: 50 } })
    function Item({ n }: { n: number }) {
      const { isSignedIn } = useAuth()
      const authFetch = useAuthFetch({ fetch: world.api.fetch })
      const item = useQuery({
        queryKey: ['item', n, ...useSessionKey()],
        queryFn: ({ signal }) => authFetch.json<{ name: string }>(`/api/items/${n}`, { signal }),
        enabled: isSignedIn === true,
      })
      return <li>{item.data ? `item ${n} for ${item.data.name}` : `item ${n} loading`}</li>
    }
    await renderWithQueries(
      world,
      <SessionQueryBoundary>
        <ul>
          {Array.from({ length: 20 }, (_, n) => (
            <Item key={n} n={n} />
          ))}
        </ul>
      </SessionQueryBoundary>,
    )
    await world.advance(50)
    await world.advance(50)
    await settle(world)
    expect(screen.getAllByText(/for Ada Lovelace/)).toHaveLength(20)
    expect(world.api.received).toHaveLength(20)
    expect(world.adapter.calls.getClient).toBe(1)
    expect(world.adapter.calls.createToken).toBe(1)
  })

  it('20 different queries at once make exactly one token request', async () => {
    const world = createQueryWorld()
    const authFetch = createAuthFetch(world.client, { fetch: world.api.fetch })
    await renderWithQueries(world, <SessionQueryBoundary />)
    world.adapter.resetCalls()
    await act(() =>
      Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          world.queryClient.fetchQuery({
            queryKey: ['item', i, ...sessionKey(world.client.getState())],
            queryFn: () => authFetch.json(`/api/items/${i}`),
          }),
        ),
      ),
    )
    expect(world.api.received).toHaveLength(20)
    expect(world.adapter.calls.createToken).toBe(1)
  })
})
