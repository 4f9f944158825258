// The cookie-session example end to end in one process: the app's own backend
// (examples/cookie-session/server.mjs) on loopback, the ~50-line adapter, and
// the real session client, on one virtual clock the server reads too.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createCookieSessionAdapter } from '../../examples/cookie-session/cookieSessionAdapter'
import { createSessionClient } from '../../src/core/client'
import { createMemoryTabHub, type MemoryTab } from '../../src/core/tabs/memoryTransport'
import { createCookieWorld, INACTIVITY_MS, MAX_LIFETIME_MS, MINUTE, onCleanup, SECOND } from './cookieSessionWorld'

const WARN_BEFORE = 60 * SECOND

type World = Awaited<ReturnType<typeof createCookieWorld>>

/** A page of the app: a session client on the cookie-session adapter, with its own input target. */
async function openPage(world: World, crossTab: MemoryTab | false = false) {
  const adapter = createCookieSessionAdapter({ baseUrl: world.server.url, fetch: world.browser.fetch })
  const input = new EventTarget()
  const client = createSessionClient({ adapter, clock: world.clock, eventTarget: input, crossTab })
  const unmount = client.mount()
  onCleanup(() => {
    unmount()
    client.destroy()
    if (crossTab) crossTab.close()
  })
  await world.settle()
  return {
    client,
    state: () => client.getState(),
    /** The user clicks somewhere on this page. */
    click: () => input.dispatchEvent(new Event('pointerdown')),
    /** The page comes back after the computer slept. */
    wake: () => input.dispatchEvent(new Event('focus')),
  }
}

describe('given the app signed in with its own login form', () => {
  it('shows the session the backend reports, with its deadlines and only the capabilities it has', async () => {
    const world = await createCookieWorld()
    await world.browser.login()
    const signedInAt = world.clock.now()
    const page = await openPage(world)
    expect(page.state()).toMatchObject({
      status: 'signed-in',
      deadline: signedInAt + INACTIVITY_MS,
      deadlineReason: 'inactivity',
      renewable: true,
      policy: { inactivityTimeoutMs: INACTIVITY_MS, maxLifetimeMs: MAX_LIFETIME_MS },
    })
    expect(page.state().user).toMatchObject({ id: 'user_ada', firstName: 'Ada Lovelace', identifier: 'ada@example.com' })
    expect(page.state().session?.abandonAt).toBe(signedInAt + MAX_LIFETIME_MS)
    // The cookie is the backend's own: out of reach of scripts, and not sent by cross-site forms.
    expect(world.browser.setCookies[0]).toMatch(/^sid=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=900$/)
    expect(page.client.capabilities).toEqual({
      tokens: false,
      passwordSignIn: false,
      redirectSignIn: false,
      multiSession: false,
      reverification: false,
      devices: false,
      signOutEverywhere: false,
      impersonation: false,
    })
  })

  it("measures the server's clock, so deadlines are in this browser's time even when the clocks disagree", async () => {
    const world = await createCookieWorld({ skewMs: 45 * SECOND })
    await world.browser.login()
    const signedInAt = world.clock.now()
    const page = await openPage(world)
    expect(page.state().deadline).toBe(signedInAt + INACTIVITY_MS)
    await world.advanceTo(signedInAt + 30 * SECOND)
    page.click()
    await world.settle()
    expect(page.state().deadline).toBe(signedInAt + 30 * SECOND + INACTIVITY_MS)
  })

  it('warns at deadline − warnBefore, renews at the backend on activity, and signs out at the deadline for inactivity', async () => {
    const world = await createCookieWorld()
    await world.browser.login()
    const page = await openPage(world)
    await world.advanceTo(world.clock.now() + 30 * SECOND)
    page.click()
    await world.settle()
    const renewedAt = world.clock.now()
    const deadline = renewedAt + INACTIVITY_MS
    expect(page.state().deadline).toBe(deadline)
    expect(await world.browser.session()).toMatchObject({ status: 200, expiresAt: deadline })

    await world.advanceTo(deadline - WARN_BEFORE - 1)
    expect(page.state().phase).toBe('active')
    await world.advanceTo(deadline - WARN_BEFORE)
    expect(page.state().phase).toBe('warning')
    await world.advanceTo(deadline - 1)
    expect(page.state().status).toBe('signed-in')
    await world.advanceTo(deadline)
    expect(page.state()).toMatchObject({ status: 'signed-out', signOutReason: 'inactivity' })
    // The client told the backend, which dropped the session and the cookie.
    expect(world.browser.log).toContain('POST /api/session/logout 204')
    expect(world.browser.cookieNames()).toEqual([])
    expect(world.server.sessionCount()).toBe(0)
  })

  it('wakes up signed out after the computer slept through the deadline, without waiting for a timer', async () => {
    const world = await createCookieWorld()
    await world.browser.login()
    const page = await openPage(world)
    world.clock.jump(INACTIVITY_MS + MINUTE)
    page.wake()
    // A tab alone (no tab sync) first asks the server whether another tab kept the session alive: the
    // warning holds at its deadline meanwhile, never a renewed session.
    expect(page.state()).toMatchObject({ phase: 'warning', deadline: expect.any(Number) })
    expect(page.state().deadline!).toBeLessThanOrEqual(world.clock.now())
    await world.settle()
    expect(page.state()).toMatchObject({ status: 'signed-out', signOutReason: 'inactivity' })
    expect((await world.browser.session()).status).toBe(401)
  })

  it('keeps renewing while the user works, up to the absolute expiry, which no activity moves', async () => {
    const world = await createCookieWorld()
    await world.browser.login()
    const signedInAt = world.clock.now()
    const page = await openPage(world)
    for (let at = signedInAt + 30 * SECOND; at < signedInAt + MAX_LIFETIME_MS - WARN_BEFORE; at += 30 * SECOND) {
      await world.advanceTo(at)
      page.click()
    }
    await world.settle()
    expect(page.state()).toMatchObject({
      status: 'signed-in',
      deadline: signedInAt + MAX_LIFETIME_MS,
      deadlineReason: 'max-lifetime',
      renewable: false,
    })
    await world.advanceTo(signedInAt + MAX_LIFETIME_MS)
    expect(page.state()).toMatchObject({ status: 'signed-out', signOutReason: 'max-lifetime' })
  })

  it('signs in again after signing out, as a new session: the login form, then load()', async () => {
    const world = await createCookieWorld()
    await world.browser.login()
    const page = await openPage(world)
    await page.client.signOut()
    await world.settle()
    expect(page.state().status).toBe('signed-out')
    await world.advanceTo(world.clock.now() + MINUTE)
    await world.browser.login()
    await page.client.load()
    expect(page.state()).toMatchObject({ status: 'signed-in', deadline: world.clock.now() + INACTIVITY_MS })
  })

  it('rejects getToken with not_supported naming createToken, and signIn naming signIn, and stays signed in', async () => {
    const world = await createCookieWorld()
    await world.browser.login()
    const page = await openPage(world)
    await expect(page.client.getToken()).rejects.toMatchObject({
      code: 'not_supported',
      message: expect.stringContaining('createToken'),
    })
    await expect(page.client.signIn({ identifier: 'ada@example.com', password: 'password' })).rejects.toMatchObject({
      code: 'not_supported',
      message: expect.stringContaining('signIn'),
    })
    expect(page.state().status).toBe('signed-in')
  })
})

describe('given a backend that cannot be reached', () => {
  it('stays signed in through a refused connection and a 503, and renews once the backend is back', async () => {
    const world = await createCookieWorld()
    await world.browser.login()
    const page = await openPage(world)
    await world.server.stop()
    await world.advanceTo(world.clock.now() + 30 * SECOND)
    page.click()
    await world.settle()
    expect(page.state()).toMatchObject({ status: 'signed-in', connectivity: 'offline' })
    expect(page.state().error?.code).toBe('network_error')

    world.server.setUnavailable(true)
    await world.server.resume()
    await world.advanceTo(world.clock.now() + 10 * SECOND)
    expect(page.state()).toMatchObject({ status: 'signed-in', connectivity: 'degraded' })
    expect(page.state().error?.code).toBe('server_error')

    world.server.setUnavailable(false)
    const backAt = world.clock.now()
    await world.advanceTo(backAt + 30 * SECOND)
    expect(page.state()).toMatchObject({ status: 'signed-in', connectivity: 'online', error: null })
    // The touch that failed was retried, and renewed the session at the backend.
    const { expiresAt = 0 } = await world.browser.session()
    expect(expiresAt).toBeGreaterThan(backAt + INACTIVITY_MS)
    expect(page.state().deadline).toBe(expiresAt)
  })
})

describe('given the backend says there is no session (401)', () => {
  it('loads signed out, without an error, when nobody signed in', async () => {
    const world = await createCookieWorld()
    const page = await openPage(world)
    expect(page.state()).toMatchObject({ status: 'signed-out', signOutReason: null, error: null })
  })

  it('signs out when a renew answers 401: a page outside sessionkit logged out', async () => {
    const world = await createCookieWorld()
    await world.browser.login()
    const page = await openPage(world)
    // An old page of the app posts its logout form: same browser, same cookie.
    await world.browser.fetch(`${world.server.url}/api/session/logout`, { method: 'POST', credentials: 'include' })
    await world.advanceTo(world.clock.now() + 30 * SECOND)
    page.click()
    await world.settle()
    expect(world.browser.log).toContain('POST /api/session/renew 401')
    expect(page.state()).toMatchObject({ status: 'signed-out', signOutReason: 'revoked' })
  })

  it('signs out when a new sign-in in another window replaced the session, rather than renewing one it never had', async () => {
    const world = await createCookieWorld()
    await world.browser.login()
    const page = await openPage(world)
    const replaced = page.state().session?.id
    await world.advanceTo(world.clock.now() + 30 * SECOND)
    await world.browser.login('alan@example.com')
    page.click()
    await world.settle()
    expect(world.browser.log).toContain('POST /api/session/renew 200')
    expect(page.state()).toMatchObject({ status: 'signed-out', signOutReason: 'revoked' })
    expect(page.state().sessions.find((s) => s.id === replaced)?.status).not.toBe('active')
  })
})

describe('given an idle page and a newer sign-in in another window of the same browser', () => {
  it("ends only its own session at its deadline, and leaves the other window's sign-in alone", async () => {
    const world = await createCookieWorld()
    await world.browser.login()
    const adaSignedInAt = world.clock.now()
    // Not linked (crossTab: false), as two windows of an app without a tab channel are.
    const adaPage = await openPage(world)
    await world.advanceTo(adaSignedInAt + 30 * SECOND)
    await world.browser.login('alan@example.com')
    const alanPage = await openPage(world)
    expect(alanPage.state().user).toMatchObject({ identifier: 'alan@example.com' })

    // Alan works in his window; Ada's page is left idle, and at her deadline it signs out.
    await world.advanceTo(adaSignedInAt + 70 * SECOND)
    alanPage.click()
    await world.advanceTo(adaSignedInAt + INACTIVITY_MS)
    expect(adaPage.state()).toMatchObject({ status: 'signed-out', signOutReason: 'inactivity' })
    // The cookie is Alan's now: it is not logged out for Ada.
    expect(world.browser.log).not.toContain('POST /api/session/logout 204')
    expect(world.server.sessionCount()).toBe(1)

    const renewsBefore = world.browser.log.filter((line) => line === 'POST /api/session/renew 200').length
    await world.advanceTo(world.clock.now() + 5 * SECOND)
    alanPage.click()
    await world.settle()
    expect(world.browser.log.filter((line) => line === 'POST /api/session/renew 200')).toHaveLength(renewsBefore + 1)
    expect(alanPage.state()).toMatchObject({ status: 'signed-in', user: { identifier: 'alan@example.com' } })
    expect(await world.browser.session()).toMatchObject({ status: 200, user: { email: 'alan@example.com' } })
  })
})

describe('given two tabs of one browser', () => {
  async function twoTabs() {
    const world = await createCookieWorld()
    await world.browser.login()
    const hub = createMemoryTabHub(world.clock)
    const first = await openPage(world, hub.tab())
    const second = await openPage(world, hub.tab())
    await world.advanceTo(world.clock.now() + 100)
    return { world, first, second }
  }

  it('signs out of both when one signs out, with one request to the backend', async () => {
    const { world, first, second } = await twoTabs()
    expect([first.state().status, second.state().status]).toEqual(['signed-in', 'signed-in'])
    await first.client.signOut()
    await world.advanceTo(world.clock.now() + 100)
    expect(second.state()).toMatchObject({ status: 'signed-out', signOutReason: 'signed-out' })
    expect(world.browser.log.filter((line) => line.startsWith('POST /api/session/logout'))).toHaveLength(1)
    expect(world.server.sessionCount()).toBe(0)
  })

  it('renews for both when the user works in either: one tab talks to the backend', async () => {
    const { world, first, second } = await twoTabs()
    await world.advanceTo(world.clock.now() + 30 * SECOND)
    const renews = () => world.browser.log.filter((line) => line.startsWith('POST /api/session/renew')).length
    const before = renews()
    second.click()
    await world.advanceTo(world.clock.now() + 100)
    expect(renews()).toBe(before + 1)
    const { expiresAt } = await world.browser.session()
    expect(first.state().deadline).toBe(expiresAt)
    expect(second.state().deadline).toBe(expiresAt)
  })
})

describe("the README's section on your own cookie session", () => {
  it('quotes the adapter as it is in examples/cookie-session', () => {
    const readme = readFileSync('README.md', 'utf8')
    const section = readme.slice(readme.indexOf('## Your own cookie session'))
    const snippet = /```ts\n([\s\S]*?)```/.exec(section)?.[1] ?? ''
    const adapter = readFileSync('examples/cookie-session/cookieSessionAdapter.ts', 'utf8').split('\n').map((line) => line.trim())
    const quoted = snippet.split('\n').filter((line) => line.trim() !== '')
    expect(quoted.length).toBeGreaterThan(5)
    for (const line of quoted) expect(adapter, line).toContain(line.trim())
  })
})
