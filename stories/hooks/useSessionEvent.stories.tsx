import type { Meta, StoryObj } from '@storybook/react-vite'
import { useEffect, useState } from 'react'
import { expect, waitFor, within } from 'storybook/test'
import type { BeforeSignOutInfo } from '../../src/core/types'
import { useSessionClient, useSessionEvent, useSessionSelector } from '../../src/react'
import '../demo/demo.css'
import { clockTime } from '../demo/format'
import { inWorld, MINUTE, SECOND, type StoryWorldParameters } from '../support'
import { framedInDocs } from '../support/framedInDocs'

interface Entry {
  id: number
  at: number
  event: string
  detail: string
}

/** Where the story's `beforeSignOut` (a client option, set before the log renders) reports what it saved. */
const saves = new EventTarget()
const saveDraft = async (info: BeforeSignOutInfo) => {
  saves.dispatchEvent(new CustomEvent('saved', { detail: info }))
}

/** Every client event as it fires, stamped with the story world's virtual time. */
function EventLog() {
  const client = useSessionClient()
  const signedIn = useSessionSelector((state) => state.status === 'signed-in')
  const [entries, setEntries] = useState<Entry[]>([])
  const add = (event: string, detail: string) =>
    setEntries((list) => [...list, { id: list.length, at: client.options.clock.now(), event, detail }])

  useSessionEvent('signedIn', ({ userId }) => add('signedIn', userId))
  useSessionEvent('signedOut', ({ reason }) => add('signedOut', reason))
  useSessionEvent('warning', ({ reason, renewable, deadline }) =>
    add('warning', `${reason}, ${renewable ? 'renewable' : 'cannot be extended'}, ends ${clockTime(deadline)}`),
  )
  useSessionEvent('renewed', ({ deadline }) => add('renewed', `ends ${clockTime(deadline)}`))
  useSessionEvent('sessionChanged', ({ sessionId }) => add('sessionChanged', sessionId))
  useSessionEvent('tokenRefreshed', ({ template, expiresAt }) => add('tokenRefreshed', `${template ?? 'session token'}, expires ${clockTime(expiresAt)}`))
  useSessionEvent('connectivity', ({ connectivity, previous }) => add('connectivity', `${previous} → ${connectivity}`))
  useEffect(() => {
    const onSaved = (event: Event) => add('beforeSignOut', `draft saved (${(event as CustomEvent<BeforeSignOutInfo>).detail.reason})`)
    saves.addEventListener('saved', onSaved)
    return () => saves.removeEventListener('saved', onSaved)
  }, [client])

  return (
    <section className="demo-card" aria-label="Session events">
      <div className="demo-row">
        <button type="button" className="demo-button" disabled={!signedIn} onClick={() => void client.touch()}>
          Stay signed in
        </button>
        <button type="button" className="demo-button" disabled={!signedIn} onClick={() => void client.getToken({ skipCache: true })}>
          Get a token
        </button>
        <button type="button" className="demo-button" data-tone="quiet" disabled={signedIn} onClick={() => void client.signIn({ identifier: 'grace@example.com', password: 'password' })}>
          Sign in as Grace
        </button>
      </div>
      <div role="log" aria-label="Events">
        {entries.length === 0 ? <p className="muted">No event yet: use the controls above.</p> : null}
        <ol>
          {entries.map((entry) => (
            <li key={entry.id}>
              <time>{clockTime(entry.at)}</time> <strong>{entry.event}</strong> {entry.detail}
            </li>
          ))}
        </ol>
      </div>
    </section>
  )
}

const meta = {
  title: 'Hooks/useSessionEvent',
  render: () => <EventLog />,
  parameters: { ...framedInDocs, world: {} } satisfies StoryWorldParameters & typeof framedInDocs,
} satisfies Meta

export default meta
type Story = StoryObj<typeof meta>

const logLines = (canvasElement: HTMLElement) =>
  within(within(canvasElement).getByRole('log', { name: 'Events' }))
    .queryAllByRole('listitem')
    .map((item) => item.textContent!.replace(/^\d\d:\d\d:\d\d /, ''))

/**
 * Each event once, as it happens: the warning, "Stay signed in" renewing it,
 * a token, the network going away and back, a sign-out from another tab, and
 * signing in again.
 */
export const EventLogStory: Story = {
  name: 'Event log',
  play: inWorld(async (world, { canvas, canvasElement, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Jump to warning' }))
    await waitFor(() => expect(logLines(canvasElement)).toEqual(['warning inactivity, renewable, ends 00:10:00']))
    await userEvent.click(canvas.getByRole('button', { name: 'Stay signed in' }))
    await userEvent.click(canvas.getByRole('button', { name: 'Get a token' }))
    await waitFor(() => expect(logLines(canvasElement)).toHaveLength(3))
    world.goOffline()
    await world.advance(SECOND)
    world.goOnline()
    await world.advance(SECOND)
    await world.signOutElsewhere()
    await userEvent.click(await canvas.findByRole('button', { name: 'Sign in as Grace' }))
    await waitFor(() =>
      expect(logLines(canvasElement)).toEqual([
        'warning inactivity, renewable, ends 00:10:00',
        'renewed ends 00:19:00',
        'tokenRefreshed session token, expires 00:10:00',
        'connectivity online → offline',
        'connectivity offline → online',
        'signedOut revoked',
        'signedIn user_grace',
      ]),
    )
  }),
}

/**
 * `beforeSignOut` at the maximum lifetime: the client awaits it (here, a
 * draft being saved) before it signs out, so the log shows the save first.
 */
export const SaveBeforeSignOut: Story = {
  name: 'beforeSignOut at the maximum lifetime',
  parameters: {
    world: { policy: { inactivityTimeoutMs: null, maxLifetimeMs: 10 * MINUTE }, client: { beforeSignOut: saveDraft } },
  } satisfies StoryWorldParameters,
  play: inWorld(async (world, { canvasElement }) => {
    await world.jumpToDeadline()
    await waitFor(() =>
      expect(logLines(canvasElement)).toEqual([
        'warning max-lifetime, cannot be extended, ends 00:10:00',
        'beforeSignOut draft saved (max-lifetime)',
        'signedOut max-lifetime',
      ]),
    )
  }),
}
