import { act, render } from '@testing-library/react'
import { StrictMode, useState } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemoryAdapter } from '../../../src/adapters/memory'
import type { SessionEventName } from '../../../src/core/events'
import type { BeforeSignOutInfo, SessionClient } from '../../../src/core/types'
import { createVirtualClock } from '../../../src/core/virtualClock'
import { SessionProvider, useSessionClient, useSessionEvent, type SessionEventProps, type SessionProviderProps } from '../../../src/react'
import { createWorld, renderWithSession, SHORT_POLICY } from './harness'

// useSessionEvent and the provider's on… props: subscribed once per client
// and event, the latest handler called, once per real change.

afterEach(() => vi.restoreAllMocks())

/** Counts the client's live subscriptions per event (and every subscribe call). */
function countSubscriptions(client: SessionClient) {
  const live = new Map<SessionEventName, number>()
  const calls = new Map<SessionEventName, number>()
  const on = client.on.bind(client)
  vi.spyOn(client, 'on').mockImplementation((event, listener) => {
    calls.set(event, (calls.get(event) ?? 0) + 1)
    live.set(event, (live.get(event) ?? 0) + 1)
    const off = on(event, listener)
    return () => {
      live.set(event, live.get(event)! - 1)
      off()
    }
  })
  return { live: (event: SessionEventName) => live.get(event) ?? 0, calls: (event: SessionEventName) => calls.get(event) ?? 0 }
}

function SignedOutLog({ label, log }: { label: string; log: string[] }) {
  useSessionEvent('signedOut', ({ reason }) => log.push(`${label}: ${reason}`))
  return null
}

describe('useSessionEvent', () => {
  it('swaps the handler between renders without subscribing again, and calls only the latest', async () => {
    const world = createWorld()
    const subscriptions = countSubscriptions(world.client)
    const log: string[] = []
    const { rerender } = await renderWithSession(world, <SignedOutLog label="first" log={log} />, { strict: false })
    for (const label of ['second', 'third', 'latest']) rerender(<SignedOutLog label={label} log={log} />)
    expect(subscriptions.calls('signedOut')).toBe(1)

    await act(() => world.client.signOut())
    expect(log).toEqual(['latest: signed-out'])
  })

  it('under StrictMode keeps one live subscription and fires once per change', async () => {
    const world = createWorld()
    const subscriptions = countSubscriptions(world.client)
    const log: string[] = []
    const { rerender } = await renderWithSession(world, <SignedOutLog label="a" log={log} />)
    rerender(<SignedOutLog label="b" log={log} />)
    expect(subscriptions.live('signedOut')).toBe(1)
    // The warning phase, reached once, is one event however often React renders.
    const warnings: number[] = []
    function WarningLog() {
      useSessionEvent('warning', ({ deadline }) => warnings.push(deadline))
      return null
    }
    rerender(
      <>
        <SignedOutLog label="b" log={log} />
        <WarningLog />
      </>,
    )
    await world.advanceToBeforeDeadline(60_000)
    await world.advance(5_000)
    expect(warnings).toEqual([world.client.getState().deadline])

    await world.advance(60_000)
    expect(log).toEqual(['b: inactivity'])
  })

  it('sees the latest props and state when it runs', async () => {
    const world = createWorld()
    const seen: number[] = []
    let bump!: () => void
    function Counter() {
      const [count, setCount] = useState(0)
      bump = () => setCount((n) => n + 1)
      useSessionEvent('signedOut', () => seen.push(count))
      return null
    }
    await renderWithSession(world, <Counter />)
    act(() => bump())
    act(() => bump())
    await act(() => world.client.signOut())
    expect(seen).toEqual([2])
  })

  it('stops listening on unmount, and follows a change of event', async () => {
    const world = createWorld()
    const subscriptions = countSubscriptions(world.client)
    const heard: string[] = []
    function Listen({ event }: { event: 'signedOut' | 'sessionChanged' }) {
      useSessionEvent(event, () => heard.push(event))
      return null
    }
    const { rerender, unmount } = await renderWithSession(world, <Listen event="sessionChanged" />, { strict: false })
    rerender(<Listen event="signedOut" />)
    expect(subscriptions.live('sessionChanged')).toBe(0)
    expect(subscriptions.live('signedOut')).toBe(1)
    unmount()
    expect(subscriptions.live('signedOut')).toBe(0)
    await act(() => world.client.signOut())
    expect(heard).toEqual([])
  })

  it('takes { client } instead of a provider', async () => {
    const world = createWorld()
    world.client.mount()
    await world.advance(0)
    const log: string[] = []
    function Outside() {
      useSessionEvent('signedOut', ({ reason }) => log.push(reason), { client: world.client })
      return null
    }
    render(<Outside />)
    await act(() => world.client.signOut())
    expect(log).toEqual(['signed-out'])
  })
})

describe('SessionProvider event props', () => {
  it('with a given client: calls each on… prop once per change, and the latest one after a re-render', async () => {
    const world = createWorld()
    const subscriptions = countSubscriptions(world.client)
    const calls: unknown[][] = []
    const props = (label: string): SessionEventProps => ({
      onWarning: (payload) => calls.push([label, 'warning', payload.reason]),
      onRenewed: (payload) => calls.push([label, 'renewed', payload.reason]),
      onSignedOut: (payload) => calls.push([label, 'signedOut', payload.reason]),
      onTokenRefreshed: (payload) => calls.push([label, 'tokenRefreshed', payload.template]),
    })
    const ui = (label: string) => (
      <StrictMode>
        <SessionProvider client={world.client} {...props(label)} />
      </StrictMode>
    )
    const { rerender } = render(ui('first'))
    await world.advance(0)
    rerender(ui('second'))
    expect(subscriptions.live('warning')).toBe(1)

    await world.advanceToBeforeDeadline(30_000)
    await act(() => world.client.touch())
    await act(async () => void (await world.client.getToken()))
    rerender(ui('third'))
    await act(() => world.client.signOut())
    expect(calls).toEqual([
      ['second', 'warning', 'inactivity'],
      ['second', 'renewed', 'inactivity'],
      ['second', 'tokenRefreshed', null],
      ['third', 'signedOut', 'signed-out'],
    ])
  })

  it('with a client it creates: hears the first load (onSignedIn), switches and connectivity', async () => {
    const clock = createVirtualClock()
    const adapter = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: ['grace@example.com', 'ada@example.com'] })
    const heard: unknown[] = []
    let client!: SessionClient
    function Grab() {
      client = useSessionClient()
      return null
    }
    const { unmount } = render(
      <StrictMode>
        <SessionProvider
          adapter={adapter}
          clock={clock}
          eventTarget={window}
          crossTab={false}
          onSignedIn={({ userId }) => heard.push(['signedIn', userId])}
          onSessionChanged={({ sessionId }) => heard.push(['sessionChanged', sessionId])}
          onConnectivity={({ connectivity }) => heard.push(['connectivity', connectivity])}
        >
          <Grab />
        </SessionProvider>
      </StrictMode>,
    )
    await act(() => clock.advanceAsync(0))
    const grace = client.getState().sessions.find((s) => s.userId === 'user_grace')!.id
    await act(() => client.setActive(grace))
    adapter.fail('offline', { times: 1 })
    await act(async () => void (await client.touch().catch(() => undefined)))
    await act(() => client.touch())
    expect(heard).toEqual([
      ['signedIn', 'user_ada'],
      ['sessionChanged', grace],
      ['connectivity', 'offline'],
      ['connectivity', 'online'],
    ])
    unmount()
  })

  it('passes beforeSignOut and beforeSignOutTimeout to the client it creates, and calls the latest beforeSignOut', async () => {
    const clock = createVirtualClock()
    const adapter = createMemoryAdapter({ clock, policy: SHORT_POLICY, signedInAs: 'ada@example.com' })
    const saved: string[] = []
    let client!: SessionClient
    function Grab() {
      client = useSessionClient()
      return null
    }
    const ui = (draft: string) => (
      <SessionProvider
        adapter={adapter}
        clock={clock}
        eventTarget={window}
        crossTab={false}
        beforeSignOutTimeout={1_500}
        beforeSignOut={(info: BeforeSignOutInfo) => void saved.push(`${draft} (${info.reason})`)}
      >
        <Grab />
      </SessionProvider>
    )
    const { rerender, unmount } = render(ui('first draft'))
    await act(() => clock.advanceAsync(0))
    rerender(ui('latest draft'))
    expect(client.options.beforeSignOutTimeout).toBe(1_500)
    await act(() => clock.advanceAsync(client.getState().deadline! - clock.now()))
    expect(saved).toEqual(['latest draft (inactivity)'])
    expect(client.getState().status).toBe('signed-out')
    unmount()
  })

  it('warns that beforeSignOut belongs to createSessionClient when the client is given', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const world = createWorld()
    const props = { client: world.client, beforeSignOut: () => undefined } as unknown as SessionProviderProps
    render(<SessionProvider {...props} />)
    await world.advance(0)
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^\[sessionkit\] SessionProvider: beforeSignOut .* pass them to createSessionClient/))
    expect(world.client.options.beforeSignOut).toBeNull()
  })
})
