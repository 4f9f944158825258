// The drop-in warning on the app's own cookie session: <SessionProvider
// adapter> with the cookie-session example's adapter, against its backend on
// loopback, on one virtual clock.
import './dialogPolyfill'
import { act, cleanup, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import { createCookieSessionAdapter } from '../../../examples/cookie-session/cookieSessionAdapter'
import { InactivityWarning, SessionProvider, useUser } from '../../../src/react'
import { createCookieWorld, INACTIVITY_MS, SECOND } from '../cookieSessionWorld'
import { isModal } from './dialogPolyfill'

const WARN_BEFORE = 60 * SECOND

afterEach(cleanup)

function Page() {
  const { isLoaded, isSignedIn, user } = useUser()
  if (!isLoaded) return null
  return <p>{isSignedIn ? `Signed in as ${user.firstName}` : 'Signed out'}</p>
}

/** The app signed in with its own login form, then rendered with the warning. */
async function renderSignedIn() {
  const world = await createCookieWorld()
  await world.browser.login()
  const signedInAt = world.clock.now()
  const adapter = createCookieSessionAdapter({ baseUrl: world.server.url, fetch: world.browser.fetch })
  render(
    <SessionProvider adapter={adapter} clock={world.clock} eventTarget={window} crossTab={false} warnBefore={WARN_BEFORE}>
      <Page />
      <InactivityWarning />
    </SessionProvider>,
  )
  await act(() => world.settle())
  const advanceTo = (at: number) => act(() => world.advanceTo(at))
  return { world, signedInAt, advanceTo }
}

const warning = () => screen.queryByRole('alertdialog')
const user = () => userEvent.setup({ delay: null })

describe('given the app signed in with its own cookie session', () => {
  it('opens the warning a minute before the deadline, and "Stay signed in" renews the session at the backend', async () => {
    const { world, signedInAt, advanceTo } = await renderSignedIn()
    expect(screen.getByText('Signed in as Ada Lovelace')).toBeInTheDocument()
    await advanceTo(signedInAt + INACTIVITY_MS - WARN_BEFORE - 1)
    expect(warning()).not.toBeInTheDocument()
    await advanceTo(signedInAt + INACTIVITY_MS - WARN_BEFORE)
    expect(isModal(warning()!)).toBe(true)

    await advanceTo(world.clock.now() + 20 * SECOND)
    const stayedAt = world.clock.now()
    await user().click(screen.getByRole('button', { name: 'Stay signed in' }))
    await act(() => world.settle())
    expect(warning()).not.toBeInTheDocument()
    expect(world.browser.log).toContain('POST /api/session/renew 200')
    expect(await world.browser.session()).toMatchObject({ status: 200, expiresAt: stayedAt + INACTIVITY_MS })

    // The renewed session runs its full course before the next warning.
    await advanceTo(stayedAt + INACTIVITY_MS - WARN_BEFORE - 1)
    expect(warning()).not.toBeInTheDocument()
    expect(screen.getByText('Signed in as Ada Lovelace')).toBeInTheDocument()
    await advanceTo(stayedAt + INACTIVITY_MS - WARN_BEFORE)
    expect(warning()).toBeInTheDocument()
  })

  it('signs out at the backend from the warning\'s "Sign out"', async () => {
    const { world, signedInAt, advanceTo } = await renderSignedIn()
    await advanceTo(signedInAt + INACTIVITY_MS - WARN_BEFORE)
    expect(isModal(warning()!)).toBe(true)
    await advanceTo(world.clock.now() + 5 * SECOND)
    await user().click(screen.getByRole('button', { name: 'Sign out' }))
    await act(() => world.settle())
    expect(screen.getByText('Signed out')).toBeInTheDocument()
    expect(world.browser.log).toContain('POST /api/session/logout 204')
    expect(world.server.sessionCount()).toBe(0)
  })
})
