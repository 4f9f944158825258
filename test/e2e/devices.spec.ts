import type { Locator, Page } from '@playwright/test'
import { axeViolations, panel, signIn, warning } from './fixtures'
import { expect, test, USER_AGENTS, type Device } from './devicesFixtures'

// Two (or three) devices of one user against one reference server: each a
// browser context with its own cookies and clock. A session ended from another
// device reaches its page through the next touch while it is used, or at once
// when its tab comes back into view after 30 s without news from the server.

const devicesOf = (page: Page) => page.getByRole('region', { name: 'Active devices' })

/** The user on this device moves the mouse: activity, so the page touches the server as it would. */
function inUse(page: Page) {
  let x = 0
  return async () => {
    x = x === 0 ? 40 : 0
    await page.mouse.move(200 + x, 300)
  }
}

/**
 * Whether `locator` shows, allowing the page a moment of real time to render what the last
 * step's answers changed (time itself stands still meanwhile).
 */
const shows = (locator: Locator) => () => locator.waitFor({ state: 'visible', timeout: 250 }).then(() => true, () => false)

/** The tab comes back into view, as the browser tells a page when its window is focused again. */
const focus = (page: Page) => page.evaluate(() => window.dispatchEvent(new Event('focus')))

async function signedInDevice(openDevice: (name: string, options?: { userAgent?: string }) => Promise<Device>, name: string, userAgent?: string) {
  const device = await openDevice(name, userAgent ? { userAgent } : {})
  await signIn(device.page, 'ada@example.com', { userId: 'user_ada' })
  return device
}

test.describe('given Ada signed in on two devices', () => {
  test('B sees A in Active devices and signs it out; A, in use, shows "signed out" (revoked) within 60 s', async ({ openDevice, deviceTime, server }) => {
    const a = await signedInDevice(openDevice, 'A', USER_AGENTS.windowsFirefox)
    const b = await signedInDevice(openDevice, 'B')

    const onB = devicesOf(b.page)
    await expect(onB.getByRole('listitem')).toHaveCount(2)
    await expect(onB.getByRole('listitem').first()).toContainText('This device')
    const itemA = onB.getByRole('listitem').filter({ hasText: 'Firefox 150 on Windows' })
    await expect(itemA).toContainText('IP 127.0.0.1')
    // A signed in moments ago.
    await expect(itemA).toContainText('Active now')

    await onB.getByRole('button', { name: 'Sign out Firefox 150 on Windows' }).click()
    await expect(onB.getByRole('status')).toHaveText('Signed out Firefox 150 on Windows.')
    await expect(onB.getByRole('listitem')).toHaveCount(1)

    // From the moment of revocation, the API refuses A's token.
    const tokenOfA = [...a.sentTokens].at(-1)!
    const api = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${tokenOfA}` } })
    expect(api.status).toBe(401)

    await expect(panel(a.page, 'status')).toHaveText('signed-in')
    const took = await deviceTime.advanceUntil(shows(warning(a.page)), { maxMs: 60_000, step: 5_000, each: inUse(a.page) })
    expect(took).toBeLessThanOrEqual(60_000)
    await expect(warning(a.page).getByRole('heading')).toHaveText('You have been signed out')
    await expect(warning(a.page)).toContainText('Your session was ended by the server or on another device.')
    await expect(panel(a.page, 'sign-out-reason')).toHaveText('revoked')
    // Signing another device out never signs this one out.
    await expect(panel(b.page, 'status')).toHaveText('signed-in')
    await expect(b.page.getByTestId('api-user')).toHaveText('user_ada')
  })

  test('A, idle for 30 s, learns at once when its tab is focused again', async ({ openDevice, deviceTime }) => {
    const a = await signedInDevice(openDevice, 'A', USER_AGENTS.windowsFirefox)
    const b = await signedInDevice(openDevice, 'B')
    await deviceTime.advance(31_000)

    await devicesOf(b.page).getByRole('button', { name: 'Sign out Firefox 150 on Windows' }).click()
    await expect(devicesOf(b.page).getByRole('listitem')).toHaveCount(1)
    // Idle, A asks the server nothing: it does not know yet.
    await expect(panel(a.page, 'status')).toHaveText('signed-in')

    // No virtual time passes from here: one check on focus is enough.
    await focus(a.page)
    await expect(warning(a.page)).toContainText('Your session was ended by the server or on another device.')
    await expect(panel(a.page, 'sign-out-reason')).toHaveText('revoked')
  })

  test('"Sign out everywhere" in the user menu signs this device out, and the other one learns on focus', async ({ openDevice, deviceTime }) => {
    const a = await signedInDevice(openDevice, 'A', USER_AGENTS.windowsFirefox)
    const b = await signedInDevice(openDevice, 'B')
    await deviceTime.advance(31_000)

    await b.page.getByRole('button', { name: 'Sign out everywhere' }).click()
    await expect(panel(b.page, 'status')).toHaveText('signed-out')
    await expect(b.page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
    // The user signed out here: no "you have been signed out" notice on this device.
    await expect(warning(b.page)).toBeHidden()

    await focus(a.page)
    await expect(panel(a.page, 'sign-out-reason')).toHaveText('revoked')
    await expect(warning(a.page)).toBeVisible()
  })
})

test.describe('given Ada signed in on three devices', () => {
  test('"Sign out of all other devices" leaves only the current one, and the others learn on focus', async ({ openDevice, deviceTime }) => {
    const a = await signedInDevice(openDevice, 'A', USER_AGENTS.windowsFirefox)
    const c = await signedInDevice(openDevice, 'C', USER_AGENTS.iphoneSafari)
    const b = await signedInDevice(openDevice, 'B')

    const onB = devicesOf(b.page)
    await expect(onB.getByRole('listitem')).toHaveCount(3)
    await expect(onB.getByRole('button', { name: 'Sign out Safari 19 on iOS' })).toBeVisible()
    expect(await axeViolations(b.page)).toEqual([])
    await onB.getByRole('button', { name: 'Sign out of all other devices' }).click()
    await expect(onB.getByRole('status')).toHaveText('Signed out of all other devices.')
    await expect(onB.getByRole('listitem')).toHaveCount(1)
    await expect(onB.getByRole('listitem')).toContainText('This device')
    await expect(onB.getByText('You are not signed in on any other device.')).toBeVisible()
    await expect(onB.getByRole('button', { name: 'Sign out of all other devices' })).toHaveCount(0)

    // A reload of B's page lists the same: the server agrees.
    await b.page.reload()
    await expect(devicesOf(b.page).getByRole('listitem')).toHaveCount(1)

    await deviceTime.advance(31_000)
    for (const other of [a, c]) {
      await focus(other.page)
      await expect(panel(other.page, 'sign-out-reason')).toHaveText('revoked')
    }
    await expect(panel(b.page, 'status')).toHaveText('signed-in')
  })
})

test.describe('under SESSIONKIT_POLICY=high-security (one device at a time)', () => {
  // The e2e server's defaults (2 min / 15 min) would override the preset: give its own lifetimes back.
  test.use({ serverEnv: { SESSIONKIT_POLICY: 'high-security', SESSIONKIT_INACTIVITY_TIMEOUT: '15m', SESSIONKIT_MAX_LIFETIME: '24h' } })

  test('signing in on B replaces A, which shows "You signed in on another device" (replaced) within 60 s of use', async ({ openDevice, deviceTime }) => {
    const a = await signedInDevice(openDevice, 'A', USER_AGENTS.windowsFirefox)
    const b = await signedInDevice(openDevice, 'B')

    // B is the only device left.
    const onB = devicesOf(b.page)
    await expect(onB.getByRole('listitem')).toHaveCount(1)
    await expect(onB.getByText('You are not signed in on any other device.')).toBeVisible()

    const took = await deviceTime.advanceUntil(shows(warning(a.page)), { maxMs: 60_000, step: 5_000, each: inUse(a.page) })
    expect(took).toBeLessThanOrEqual(60_000)
    await expect(warning(a.page)).toContainText('You signed in on another device, so you were signed out here.')
    await expect(panel(a.page, 'sign-out-reason')).toHaveText('replaced')
    await expect(panel(b.page, 'status')).toHaveText('signed-in')
  })
})
