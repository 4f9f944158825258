import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { expect, spyOn, waitFor } from 'storybook/test'
import { SignedIn, SignedOut } from '../../src/react'
import { inWorld, useStoryWorld, type StoryWorld, type StoryWorldParameters } from '../support'
import { AccountSwitcher, CacheInspector, Profile, RequestLog, WithQueries } from './QueryDemo'
import { createStoryApi, type StoryApi } from './storyApi'

/** The story's API: one per world, so the play function and the page see the same log. */
const apis = new WeakMap<StoryWorld, StoryApi>()
function apiOf(world: StoryWorld): StoryApi {
  let api = apis.get(world)
  if (!api) apis.set(world, (api = createStoryApi(world.adapter)))
  return api
}

function Page({ syncOnline = false, cache = true }: { syncOnline?: boolean; cache?: boolean }) {
  const world = useStoryWorld()
  const [api] = useState(() => apiOf(world))
  return (
    <WithQueries syncOnline={syncOnline}>
      <div className="demo-page">
        <AccountSwitcher />
        <SignedIn>
          <Profile api={api} />
        </SignedIn>
        <SignedOut>
          <p>Signed out.</p>
        </SignedOut>
        <RequestLog api={api} />
        {cache ? <CacheInspector /> : null}
      </div>
    </WithQueries>
  )
}

const meta = {
  title: 'Integrations/TanStack Query',
  render: () => <Page />,
  parameters: {
    world: { signedInAs: ['grace@example.com', 'ada@example.com'] },
    docs: { story: { inline: false, height: '460px' } },
  } satisfies StoryWorldParameters & Record<string, unknown>,
} satisfies Meta

export default meta
type Story = StoryObj<typeof meta>

/** Every text the element shows from now on, including ones replaced in the same frame. */
function recordTexts(element: HTMLElement): string[] {
  const texts = [element.textContent ?? '']
  new MutationObserver(() => texts.push(element.textContent ?? '')).observe(element, {
    subtree: true,
    childList: true,
    characterData: true,
  })
  return texts
}

/**
 * Two accounts on one browser. The profile query is keyed with the session (and its organization)
 * (`['me', ...useSessionKey()]`): switching shows "loading…" and then the new
 * account's data, never the old account's, not even for one frame.
 */
export const SwitchAccounts: Story = {
  play: inWorld(async (world, { canvas, userEvent }) => {
    await waitFor(() => expect(canvas.getByTestId('api-says')).toHaveTextContent('Ada Lovelace'))
    const texts = recordTexts(canvas.getByTestId('api-says'))
    // React's dev warning for a setState in another component's render (the new key's query enters the cache then).
    const consoleErrors = spyOn(console, 'error')
    try {
      await userEvent.click(canvas.getByRole('button', { name: 'Switch to Grace' }))
      await world.advance(0)
      await waitFor(() => expect(canvas.getByTestId('api-says')).toHaveTextContent('Grace Hopper'))
      await expect(consoleErrors.mock.calls.map((args) => String(args[0]))).toEqual([])
    } finally {
      consoleErrors.mockRestore()
    }
    await expect(texts.slice(1).filter((text) => text.includes('Ada'))).toEqual([])
    // Ada's query left the cache with her session.
    await expect(canvas.getByTestId('cache-size')).toHaveTextContent('1 of 1 cached queries hold data.')
  }),
}

/** Sign out (or let the session expire): every query and mutation leaves the cache at once. */
export const SignOutClearsTheCache: Story = {
  parameters: { world: { signedInAs: 'ada@example.com' } },
  play: inWorld(async (world, { canvas, userEvent }) => {
    await waitFor(() => expect(canvas.getByTestId('api-says')).toHaveTextContent('Ada Lovelace'))
    await userEvent.click(canvas.getByRole('button', { name: 'Sign out' }))
    await world.advance(0)
    await waitFor(() => expect(canvas.getByTestId('cache-size')).toHaveTextContent('The cache is empty.'))
  }),
}

/**
 * The API refuses a token once (a rotated key, a revoked token): `authFetch`
 * gets a fresh token (`skipCache`) and sends the request once more. The log
 * numbers tokens; it never shows one.
 */
export const RefusedTokenIsRenewedOnce: Story = {
  parameters: { world: { signedInAs: 'ada@example.com' } },
  play: inWorld(async (world, { canvas, userEvent }) => {
    await waitFor(() => expect(canvas.getByTestId('api-says')).toHaveTextContent('Ada Lovelace'))
    // Tokens minted in the same second are identical: let one pass.
    await world.advance(1_000)
    apiOf(world).refuseNext()
    const minted = world.adapter.calls.createToken
    await userEvent.click(canvas.getByRole('button', { name: 'Call the API again' }))
    await world.advance(0)
    await waitFor(() => expect(apiOf(world).requests).toHaveLength(3))
    await expect(apiOf(world).requests.map((r) => [r.status, r.token])).toEqual([
      [200, 1],
      [401, 1],
      [200, 2],
    ])
    await expect(world.adapter.calls.createToken).toBe(minted + 1)
    await expect(world.client.getState().status).toBe('signed-in')
  }),
}

/**
 * Refused twice: `authFetch` asks the session server whether the session
 * still exists. Here it was revoked elsewhere, so the client signs out and
 * the cache empties.
 */
export const RefusedTwiceChecksTheSession: Story = {
  parameters: { world: { signedInAs: 'ada@example.com' } },
  play: inWorld(async (world, { canvas, userEvent }) => {
    await waitFor(() => expect(canvas.getByTestId('api-says')).toHaveTextContent('Ada Lovelace'))
    await world.advance(1_000)
    apiOf(world).refuseNext(2)
    const unsubscribe = apiOf(world).subscribe(() => {
      // Revoked on another device right after the fresh token was minted.
      if (apiOf(world).requests.length === 3) world.adapter.revokeSession(world.client.getState().session!.id)
    })
    await userEvent.click(canvas.getByRole('button', { name: 'Call the API again' }))
    await world.advance(0)
    await waitFor(() => expect(world.client.getState().signOutReason).toBe('revoked'))
    unsubscribe()
    await waitFor(() => expect(canvas.getByTestId('cache-size')).toHaveTextContent('The cache is empty.'))
  }),
}

/**
 * `onlineManager` follows the session client: while the client cannot reach
 * its server, queries wait ("paused") instead of failing; when its retry gets
 * through, they run. With the control bar: Offline, then "Call the API
 * again", then Online.
 */
export const OfflinePausesQueries: Story = {
  parameters: { world: { signedInAs: 'ada@example.com' } },
  render: () => <Page syncOnline cache={false} />,
  play: inWorld(async (world, { canvas, userEvent }) => {
    await waitFor(() => expect(canvas.getByTestId('api-says')).toHaveTextContent('Ada Lovelace'))
    world.goOffline()
    // The client notices on its next call to the server (a touch, a token refresh): here, a reload.
    await world.client.load().catch(() => undefined)
    await world.advance(0)
    await userEvent.click(canvas.getByRole('button', { name: 'Call the API again' }))
    await waitFor(() => expect(canvas.getByTestId('api-says')).toHaveTextContent('waiting for the network…'))
    const before = apiOf(world).requests.length
    world.goOnline()
    await world.advance(0)
    await waitFor(() => expect(canvas.getByTestId('api-says')).toHaveTextContent('Ada Lovelace'))
    await expect(apiOf(world).requests.length).toBe(before + 1)
  }),
}
