import { act, render, renderHook, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { createSessionClient } from '../../../src/core/client'
import { SessionKitError } from '../../../src/core/errors'
import { ImpersonationBanner, SessionProvider, useActor } from '../../../src/react'
import { USERS_WITH_SUPPORT } from '../supportUser'
import { createWorld, renderWithSession, type World } from './harness'

// useActor and <ImpersonationBanner />: support staff acting as Ada, shown
// for as long as the session has an actor, and "Stop acting" returns.

const supportWorld = () => createWorld({ adapter: { users: USERS_WITH_SUPPORT, signedInAs: 'support@example.com' } })

async function actAsAda(world: World) {
  await act(() => world.client.startImpersonation('user_ada'))
}

const banner = () => screen.queryByRole('region', { name: 'Impersonation' })

describe('useActor', () => {
  it('is null and not impersonating for a user acting as themself', async () => {
    const world = createWorld()
    world.client.mount()
    const { result } = renderHook(() => useActor({ client: world.client }))
    await world.advance(0)
    expect(result.current).toMatchObject({ actor: null, isImpersonating: false, canStop: true })
  })

  it('shows the actor while acting, and stop() returns to the impersonator', async () => {
    const world = supportWorld()
    world.client.mount()
    const { result } = renderHook(() => useActor({ client: world.client }))
    await world.advance(0)
    const stop = result.current.stop
    await actAsAda(world)
    expect(result.current).toMatchObject({ isImpersonating: true, actor: { sub: 'user_support', identifier: 'support@example.com' } })
    expect(result.current.stop).toBe(stop)
    await act(() => result.current.stop())
    expect(result.current).toMatchObject({ actor: null, isImpersonating: false })
    expect(world.client.getState().user!.id).toBe('user_support')
  })

  it('does not re-render on touches and token refreshes', async () => {
    const world = supportWorld()
    world.client.mount()
    let renders = 0
    renderHook(() => {
      renders++
      return useActor({ client: world.client })
    })
    await world.advance(0)
    await actAsAda(world)
    const settled = renders
    await act(() => world.client.touch())
    await act(async () => void (await world.client.getToken({ skipCache: true })))
    expect(renders).toBe(settled)
  })
})

describe('ImpersonationBanner', () => {
  it('renders nothing while nobody acts as the user', async () => {
    const world = createWorld()
    const { container } = await renderWithSession(world, <ImpersonationBanner />)
    expect(container).toBeEmptyDOMElement()
  })

  it('is a labelled region that names both people, with a stop button', async () => {
    const world = supportWorld()
    await renderWithSession(world, <ImpersonationBanner />)
    expect(banner()).toBeNull()
    await actAsAda(world)
    const region = banner()!
    expect(region.tagName).toBe('SECTION')
    expect(screen.getByRole('status')).toHaveTextContent('You are acting as Ada Lovelace (signed in as support@example.com)')
    expect(screen.getByRole('button', { name: 'Stop acting as Ada' })).toBeInTheDocument()
    // Always visible while acting: nothing closes it.
    expect(screen.getAllByRole('button')).toHaveLength(1)
  })

  it('inserts its live region empty and fills it after, so it is announced once when it appears', async () => {
    const world = supportWorld()
    await renderWithSession(world, <ImpersonationBanner />)
    const records: MutationRecord[] = []
    const observer = new MutationObserver((batch) => records.push(...batch))
    observer.observe(document.body, { childList: true, subtree: true, characterData: true })
    await actAsAda(world)
    await act(async () => undefined)
    records.push(...observer.takeRecords())
    observer.disconnect()
    const status = screen.getByRole('status')
    // The region arrived in one mutation and its text in a later one, into the region itself.
    const inserted = records.findIndex((r) => [...r.addedNodes].some((node) => node.contains(status)))
    const filled = records.findIndex((r) => r.target === status && r.addedNodes.length > 0)
    expect(inserted).toBeGreaterThanOrEqual(0)
    expect(filled).toBeGreaterThan(inserted)
    expect(status).toHaveAttribute('aria-live', 'polite')
    // Nothing else changes it afterwards (a touch re-renders nothing here).
    const text = status.textContent
    await act(() => world.client.touch())
    expect(status.textContent).toBe(text)
    expect(screen.getByRole('status')).toBe(status)
  })

  it('"Stop acting" returns to the impersonator\'s session, and the banner goes away', async () => {
    const world = supportWorld()
    await renderWithSession(world, <ImpersonationBanner />)
    await actAsAda(world)
    await userEvent.click(screen.getByRole('button', { name: 'Stop acting as Ada' }))
    await world.advance(0)
    expect(banner()).toBeNull()
    expect(world.client.getState()).toMatchObject({ status: 'signed-in', user: { id: 'user_support' } })
  })

  it('says when stopping failed, and the button works again', async () => {
    const world = supportWorld()
    await renderWithSession(world, <ImpersonationBanner />)
    await actAsAda(world)
    world.adapter.fail('offline', { only: ['stopImpersonation'], times: 1 })
    await userEvent.click(screen.getByRole('button', { name: 'Stop acting as Ada' }))
    await world.advance(0)
    expect(screen.getByRole('alert')).toHaveTextContent('Could not stop acting as Ada. Try again.')
    expect(banner()).not.toBeNull()
    await userEvent.click(screen.getByRole('button', { name: 'Stop acting as Ada' }))
    await world.advance(0)
    expect(banner()).toBeNull()
  })

  it('says why stopping was refused when trying again cannot help, instead of "Try again."', async () => {
    const world = supportWorld()
    // A server whose policy keeps this support session open: it refuses the stop (403).
    const refusing = {
      ...world.adapter,
      stopImpersonation: async () => {
        throw new SessionKitError('forbidden', 'Only an administrator may end this support session: ask one.', { status: 403 })
      },
    }
    const client = createSessionClient({ adapter: refusing, clock: world.clock, eventTarget: window, crossTab: false })
    render(
      <SessionProvider client={client}>
        <ImpersonationBanner />
      </SessionProvider>,
    )
    await world.advance(0)
    await act(() => client.startImpersonation('user_ada'))
    await userEvent.click(screen.getByRole('button', { name: 'Stop acting as Ada' }))
    await world.advance(0)
    expect(screen.getByRole('alert').textContent).toBe('Could not stop acting as Ada. Only an administrator may end this support session: ask one.')
    expect(banner()).not.toBeNull()
    client.destroy()
  })

  it('takes its texts from messages', async () => {
    const world = supportWorld()
    await renderWithSession(
      world,
      <ImpersonationBanner
        messages={{
          label: 'Mode support',
          text: ({ user, actor }) => `Vous agissez en tant que ${user} (connecté en tant que ${actor})`,
          stop: ({ userFirstName }) => `Ne plus agir en tant que ${userFirstName}`,
        }}
      />,
    )
    await actAsAda(world)
    expect(screen.getByRole('region', { name: 'Mode support' })).toHaveTextContent(
      'Vous agissez en tant que Ada Lovelace (connecté en tant que support@example.com)',
    )
    expect(screen.getByRole('button', { name: 'Ne plus agir en tant que Ada' })).toBeInTheDocument()
  })

  it('shows no stop button when the adapter cannot stop, and names the actor by sub without an identifier', async () => {
    const world = createWorld()
    const { stopImpersonation: _stop, ...adapter } = world.adapter
    const client = createSessionClient({ adapter: adapter as typeof world.adapter, clock: world.clock, eventTarget: window, crossTab: false })
    // A session an agent acts in, from a backend that names the actor by id alone.
    world.adapter.setActor((await world.adapter.getClient()).data.lastActiveSessionId!, { sub: 'user_agent_7' })
    render(
      <SessionProvider client={client}>
        <ImpersonationBanner />
      </SessionProvider>,
    )
    await world.advance(0)
    expect(banner()).toHaveTextContent('You are acting as Ada Lovelace (signed in as user_agent_7)')
    expect(screen.queryByRole('button')).toBeNull()
    client.destroy()
  })
})
