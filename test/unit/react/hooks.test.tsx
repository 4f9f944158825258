import { act, render, renderHook, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { StrictMode } from 'react'
import { describe, expect, it } from 'vitest'
import { isSessionKitError } from '../../../src/core/errors'
import {
  Protect,
  SessionProvider,
  SignedIn,
  SignedOut,
  useAuth,
  useSession,
  useSessionClient,
  useSessionExpiry,
  useSessionList,
  useSessionSelector,
  useUser,
} from '../../../src/react'
import { createWorld, renderWithSession, SECOND, MINUTE } from './harness'

function Who() {
  const auth = useAuth()
  if (!auth.isLoaded) return <p>Loading…</p>
  if (!auth.isSignedIn) return <p>Nobody is signed in</p>
  return (
    <p>
      Signed in as {auth.userId} in {auth.orgId ?? 'no organization'} ({auth.orgRole ?? 'no role'})
    </p>
  )
}

describe('given no SessionProvider', () => {
  it.each<[string, () => unknown]>([
    ['useAuth', () => useAuth()],
    ['useSession', () => useSession()],
    ['useSessionList', () => useSessionList()],
    ['useUser', () => useUser()],
    ['useSessionClient', () => useSessionClient()],
    ['useSessionExpiry', () => useSessionExpiry()],
    ['useSessionSelector', () => useSessionSelector((s) => s.status)],
  ])('%s throws a missing_provider error that names the hook', (name, hook) => {
    let thrown: unknown
    try {
      renderHook(hook)
    } catch (error) {
      thrown = error
    }
    expect(isSessionKitError(thrown, 'missing_provider')).toBe(true)
    expect((thrown as Error).message).toBe(`\`${name}\` must be used within \`SessionProvider\``)
  })

  it('works with { client } instead of a provider', async () => {
    const world = createWorld()
    world.client.mount()
    const { result } = renderHook(() => useAuth({ client: world.client }))
    await world.advance(0)
    expect(result.current).toMatchObject({ isLoaded: true, isSignedIn: true, userId: 'user_ada' })
  })
})

describe('given a provider with a client', () => {
  it('shows the loading state, then who is signed in', async () => {
    const world = createWorld({ adapter: { latencyMs: 100 } })
    render(
      <SessionProvider client={world.client}>
        <Who />
      </SessionProvider>,
    )
    expect(screen.getByText('Loading…')).toBeInTheDocument()
    await world.advance(100)
    expect(screen.getByText(/Signed in as user_ada/)).toBeInTheDocument()
  })

  it('says nobody is signed in after sign-out, and back after signing in', async () => {
    const world = createWorld()
    await renderWithSession(world, <Who />)
    await act(() => world.client.signOut())
    expect(screen.getByText('Nobody is signed in')).toBeInTheDocument()
    await act(() => world.client.signIn({ identifier: 'grace@example.com', password: 'password' }))
    expect(screen.getByText(/Signed in as user_grace/)).toBeInTheDocument()
  })

  it('gives has, getToken and signOut that never change identity', async () => {
    const world = createWorld()
    const seen: Array<ReturnType<typeof useAuth>> = []
    function Spy() {
      seen.push(useAuth())
      return null
    }
    await renderWithSession(world, <Spy />)
    await act(() => world.client.signOut())
    const first = seen[0]!
    for (const auth of seen) {
      expect(auth.has).toBe(first.has)
      expect(auth.getToken).toBe(first.getToken)
      expect(auth.signOut).toBe(first.signOut)
    }
  })

  it('returns a Clerk-shaped signed-out state', async () => {
    const world = createWorld({ signedIn: false })
    const { result } = renderHook(() => useAuth(), {
      wrapper: ({ children }) => <SessionProvider client={world.client}>{children}</SessionProvider>,
    })
    expect(result.current.isLoaded).toBe(false)
    expect(result.current.isSignedIn).toBeUndefined()
    await world.advance(0)
    expect(result.current).toMatchObject({
      isLoaded: true,
      isSignedIn: false,
      userId: null,
      sessionId: null,
      orgId: null,
      orgRole: null,
      actor: null,
    })
  })

  it('gives the session, the user and the session list', async () => {
    const world = createWorld({ adapter: { signedInAs: ['grace@example.com', 'ada@example.com'] } })
    const { result } = renderHook(() => ({ session: useSession(), user: useUser(), list: useSessionList() }), {
      wrapper: ({ children }) => <SessionProvider client={world.client}>{children}</SessionProvider>,
    })
    expect(result.current.session).toEqual({ isLoaded: false, isSignedIn: undefined, session: undefined })
    expect(result.current.list.isLoaded).toBe(false)
    await world.advance(0)
    expect(result.current.user.user?.firstName).toBe('Ada')
    expect(result.current.session.session?.userId).toBe('user_ada')
    expect(result.current.list.sessions).toHaveLength(2)
    const grace = result.current.list.sessions!.find((s) => s.userId === 'user_grace')!
    await act(() => result.current.list.setActive(grace.id))
    expect(result.current.user.user?.firstName).toBe('Grace')
  })

  it('keeps its own client alive through StrictMode double effects', async () => {
    const world = createWorld()
    let owned: ReturnType<typeof useSessionClient> | undefined
    function Grab() {
      owned = useSessionClient()
      return <Who />
    }
    render(
      <StrictMode>
        <SessionProvider adapter={world.adapter} clock={world.clock}>
          <Grab />
        </SessionProvider>
      </StrictMode>,
    )
    await world.advance(0)
    expect(screen.getByText(/Signed in as user_ada/)).toBeInTheDocument()
    await expect(act(() => owned!.getToken())).resolves.toEqual(expect.any(String))
    owned!.destroy()
  })

  it('creates, mounts and finally destroys its own client from adapter options', async () => {
    const world = createWorld()
    const { unmount } = render(
      <SessionProvider adapter={world.adapter} clock={world.clock}>
        <Who />
      </SessionProvider>,
    )
    await world.advance(0)
    expect(screen.getByText(/Signed in as user_ada/)).toBeInTheDocument()
    let owned: ReturnType<typeof useSessionClient> | undefined
    function Grab() {
      owned = useSessionClient()
      return null
    }
    unmount()
    render(
      <SessionProvider adapter={world.adapter} clock={world.clock}>
        <Grab />
      </SessionProvider>,
    ).unmount()
    await world.advance(0)
    await expect(owned!.load()).rejects.toMatchObject({ code: 'client_destroyed' })
  })
})

describe('given control components', () => {
  function Page() {
    return (
      <>
        <SignedIn>
          <p>Dashboard</p>
        </SignedIn>
        <SignedOut>
          <p>Please sign in</p>
        </SignedOut>
        <Protect role="org:admin" fallback={<p>Admins only</p>}>
          <p>Admin panel</p>
        </Protect>
        <Protect permission="org:invoices:delete">
          <p>Delete invoices</p>
        </Protect>
        <Protect condition={(has) => has({ role: 'org:member' })} fallback={<p>Members only</p>}>
          <p>Member area</p>
        </Protect>
        <Protect
          condition={() => {
            throw new Error('broken check')
          }}
          fallback={<p>Check failed closed</p>}
        >
          <p>Leaked</p>
        </Protect>
      </>
    )
  }

  it('renders nothing until loaded', async () => {
    const world = createWorld({ adapter: { latencyMs: 100 } })
    const { container } = await renderWithSession(world, <Page />)
    expect(container).toBeEmptyDOMElement()
  })

  it('shows what a signed-in admin of Acme may see', async () => {
    const world = createWorld()
    await renderWithSession(world, <Page />)
    const acme = world.client.getState().user!.organizationMemberships[0]!.organization.id
    await act(() => world.client.setActive(world.client.getState().session!.id, { organizationId: acme }))
    expect(screen.getByText('Dashboard')).toBeInTheDocument()
    expect(screen.queryByText('Please sign in')).not.toBeInTheDocument()
    expect(screen.getByText('Admin panel')).toBeInTheDocument()
    expect(screen.getByText('Delete invoices')).toBeInTheDocument()
    expect(screen.getByText('Members only')).toBeInTheDocument()
    expect(screen.getByText('Check failed closed')).toBeInTheDocument()
    expect(screen.queryByText('Leaked')).not.toBeInTheDocument()
  })

  it('shows only fallbacks and the sign-in prompt when signed out', async () => {
    const world = createWorld({ signedIn: false })
    await renderWithSession(world, <Page />)
    expect(screen.getByText('Please sign in')).toBeInTheDocument()
    expect(screen.getByText('Admins only')).toBeInTheDocument()
    expect(screen.queryByText('Admin panel')).not.toBeInTheDocument()
    expect(screen.queryByText('Delete invoices')).not.toBeInTheDocument()
  })
})

describe('given useSessionExpiry', () => {
  function Countdown() {
    const { phase, reason, renewable, remainingMs, stayActive } = useSessionExpiry()
    return (
      <div>
        <p>
          {phase} {reason} {renewable ? 'renewable' : 'final'} {remainingMs === null ? '–' : Math.round(remainingMs / SECOND)}
        </p>
        <button onClick={() => void stayActive()}>Stay</button>
      </div>
    )
  }

  it('sets no timer while active, counts down each second in the warning, and renews', async () => {
    const world = createWorld()
    await renderWithSession(world, <Countdown />)
    expect(screen.getByText('active inactivity renewable 600')).toBeInTheDocument()
    const timersWithoutCountdown = world.clock.pendingTimers()
    await world.advance(MINUTE)
    // Nothing re-rendered the countdown: it still shows the time it had.
    expect(screen.getByText('active inactivity renewable 600')).toBeInTheDocument()
    expect(world.clock.pendingTimers()).toBe(timersWithoutCountdown)

    await world.advanceToBeforeDeadline(60 * SECOND)
    expect(screen.getByText('warning inactivity renewable 60')).toBeInTheDocument()
    await world.advance(SECOND)
    expect(screen.getByText('warning inactivity renewable 59')).toBeInTheDocument()
    await world.advance(30 * SECOND)
    expect(screen.getByText('warning inactivity renewable 29')).toBeInTheDocument()

    await userEvent.setup({ delay: null }).click(screen.getByRole('button', { name: 'Stay' }))
    await world.advance(0)
    expect(screen.getByText('active inactivity renewable 600')).toBeInTheDocument()
  })
})

describe('given markup rendered on the server', () => {
  it('hydrates without a mismatch, then shows who is signed in', async () => {
    const { renderToString } = await import('react-dom/server')
    const { hydrateRoot } = await import('react-dom/client')
    const world = createWorld()
    const app = (
      <SessionProvider client={world.client}>
        <Who />
      </SessionProvider>
    )
    const container = document.createElement('div')
    container.innerHTML = renderToString(app)
    document.body.append(container)
    expect(container).toHaveTextContent('Loading…')
    const errors: unknown[] = []
    const root = await act(async () =>
      hydrateRoot(container, app, { onRecoverableError: (error) => errors.push(error) }),
    )
    await world.advance(0)
    expect(errors).toEqual([])
    expect(container).toHaveTextContent('Signed in as user_ada')
    act(() => root.unmount())
    container.remove()
  })
})
