// The Next.js App Router example (examples/nextjs) as `next build && next start` serves it, in
// front of the reference server on one origin (rewrites): server-rendered signed-in HTML, edge
// middleware, hydration without warnings, the inactivity warning, and a route handler that
// verifies the session token.
import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from 'jose'
import type { Page } from '@playwright/test'
import { expect, readClient, serverSession, signIn, test, warning } from './nextjsFixtures'

const NAME_HEADING = 'Welcome, Ada Lovelace'
/** What the dashboard shows only while it has no session state (no snapshot). */
const LOADING_TEXT = 'Loading session'

/** Signs in on /sign-in and lands on the dashboard. */
async function signInToDashboard(page: Page) {
  await page.goto('/dashboard')
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fdashboard$/)
  await signIn(page, 'ada@example.com')
  await expect(page).toHaveURL(/\/dashboard$/)
  await expect(page.getByRole('heading', { name: NAME_HEADING })).toBeVisible()
}

/** The countdown in the warning, in seconds. */
async function countdownSeconds(page: Page): Promise<number> {
  const text = (await warning(page).locator('time').textContent()) ?? ''
  const match = /^(\d+):(\d\d)$/.exec(text.trim())
  if (!match) throw new Error(`The countdown reads "${text}", not m:ss.`)
  return Number(match[1]) * 60 + Number(match[2])
}

test.describe('given the Next.js example against the reference server', () => {
  test('signed out, /dashboard redirects to sign-in, in the middleware, before anything renders', async ({ page }) => {
    const raw = await page.request.get('/dashboard', { maxRedirects: 0 })
    expect(raw.status()).toBe(307)
    expect(raw.headers()['location']).toMatch(/^(http:\/\/[^/]+)?\/sign-in\?next=%2Fdashboard$/)
    await page.goto('/dashboard')
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fdashboard$/)
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
  })

  test('the first HTML of /dashboard already shows the user, and it hydrates without a warning or a second GET /v1/client', async ({
    page,
    time,
    pageProblems,
  }) => {
    await signInToDashboard(page)

    // The raw response, with this browser's cookie: the server component's name and the
    // client components' signed-in markup (SessionProvider initialClient), no loading state.
    const raw = await page.request.get('/dashboard', { maxRedirects: 0 })
    expect(raw.status()).toBe(200)
    const html = await raw.text()
    // The page's markup (the rest of the response is Next's scripts and the RSC payload).
    const main = /<main>[\s\S]*?<\/main>/.exec(html)?.[0] ?? ''
    expect(main).toContain(NAME_HEADING)
    expect(main).toContain('Signed in as <strong>ada@example.com</strong>')
    expect(main).not.toContain(LOADING_TEXT)
    expect(html).not.toContain(LOADING_TEXT)

    // A full page load: the client starts from the snapshot and does not ask the server again.
    const clientReads: string[] = []
    page.on('request', (request) => {
      if (request.method() === 'GET' && new URL(request.url()).pathname === '/v1/client') clientReads.push(request.url())
    })
    const response = await page.goto('/dashboard')
    expect(await response!.text()).toContain(NAME_HEADING)
    await expect(page.getByTestId('phase')).toHaveText('active')
    // Hydrated and interactive: the button calls the route handler with a fresh token.
    await page.getByRole('button', { name: 'Call /api/hello' }).click()
    await expect(page.getByTestId('hello')).toHaveText(/^Hello user_ada, from a route handler/)
    await time.settled()
    expect(clientReads).toEqual([])
    expect(pageProblems, 'console errors or warnings, uncaught errors (a hydration mismatch throws one)').toEqual([])
  })

  test('the warning counts down and "Stay signed in" renews the session', async ({ page, time, pageProblems }) => {
    await signInToDashboard(page)
    // A full load: the timers run from the server's snapshot.
    await page.goto('/dashboard')
    await expect(page.getByTestId('phase')).toHaveText('active')
    const { lastActiveSessionId: sessionId } = await readClient(page)
    expect(sessionId).toBeTruthy()

    // Idle: 2 min inactivity, the warning a minute before.
    await time.advanceUntil(() => warning(page).isVisible(), { maxMs: 125_000 })
    await expect(page.getByTestId('phase')).toHaveText('warning')
    const opened = await countdownSeconds(page)
    expect(opened).toBeGreaterThan(55)
    expect(opened).toBeLessThanOrEqual(60)
    await time.advance(5_000)
    expect(await countdownSeconds(page)).toBe(opened - 5)

    const warned = await serverSession(page, sessionId!)
    await warning(page).getByRole('button', { name: 'Stay signed in' }).click()
    await expect(warning(page)).toBeHidden()
    await expect.poll(async () => (await serverSession(page, sessionId!)).expireAt).toBeGreaterThan(warned.expireAt! + 30_000)
    await expect(page.getByTestId('phase')).toHaveText('active')
    // Renewed: past the old deadline, still signed in on the server and in the page.
    await time.advance(40_000)
    expect((await serverSession(page, sessionId!)).status).toBe('active')
    await expect(page.getByRole('heading', { name: NAME_HEADING })).toBeVisible()
    await expect(warning(page)).toBeHidden()
    expect(pageProblems).toEqual([])
  })

  test('when the session ends for inactivity, the server-rendered name goes too, and the notice says why', async ({ page, time, pageProblems }) => {
    await signInToDashboard(page)
    // A full load: the timers run from the server's snapshot.
    await page.goto('/dashboard')
    await expect(page.getByTestId('phase')).toHaveText('active')
    await time.advanceUntil(() => warning(page).isVisible(), { maxMs: 125_000 })
    await time.advanceUntil(() => warning(page).getByRole('heading', { name: 'You have been signed out' }).isVisible(), { maxMs: 65_000 })
    // The server components render again for nobody: the dashboard sends them to sign in.
    await expect(page.getByRole('heading', { name: NAME_HEADING })).toBeHidden()
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fdashboard$/)
    await expect(warning(page).getByRole('heading', { name: 'You have been signed out' })).toBeVisible()
    expect(pageProblems).toEqual([])
  })

  test('the route handler answers 401 to a forged token and 200 to the real one', async ({ page, sentTokens }) => {
    await signInToDashboard(page)
    await page.getByRole('button', { name: 'Call /api/hello' }).click()
    await expect(page.getByTestId('hello')).toHaveText(/^Hello user_ada/)
    const [genuine] = [...sentTokens]
    expect(genuine).toBeTruthy()

    const hello = (token: string) => page.request.get('/api/hello', { headers: { authorization: `Bearer ${token}` } })
    expect((await hello(genuine!)).status()).toBe(200)

    // The same header and claims, signed with a key the server never issued.
    const { privateKey } = await generateKeyPair('ES256')
    const forged = await new SignJWT(decodeJwt(genuine!)).setProtectedHeader(decodeProtectedHeader(genuine!) as { alg: string }).sign(privateKey)
    const answer = await hello(forged)
    expect(answer.status()).toBe(401)
    expect(answer.headers()['www-authenticate']).toBe('Bearer error="invalid_token"')
    expect((await answer.json()).error.code).toBe('token_invalid')

    // Unsigned ("alg": "none") with the real claims.
    const [, payload] = genuine!.split('.')
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`
    expect((await hello(unsigned)).status()).toBe(401)
    // No token at all.
    expect((await page.request.get('/api/hello')).status()).toBe(401)
  })

  test('after signing out the cookie stays, yet /dashboard redirects: the middleware asks the server', async ({ page, context }) => {
    await signInToDashboard(page)
    await page.getByRole('button', { name: 'Sign out' }).click()
    await expect(page).toHaveURL(/\/sign-in$/)
    await expect(page.getByText('You signed out.')).toBeVisible()
    expect((await context.cookies()).map((cookie) => cookie.name)).toContain('sessionkit_client')
    const raw = await page.request.get('/dashboard', { maxRedirects: 0 })
    expect(raw.status()).toBe(307)
  })
})
