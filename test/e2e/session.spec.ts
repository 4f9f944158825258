import { expect, panel, readClient, serverSession, signIn, test, touchOnServer, warning } from './fixtures'

test.describe('given a user signed in with the demo lifetimes (2 min inactivity, 15 min max)', () => {
  test('warns when idle, renews on "Stay signed in", and signs out at the deadline', async ({ page, time, sentTokens }) => {
    await page.goto('/')
    await signIn(page, 'ada@example.com', { userId: 'user_ada' })
    // The dashboard's data came from /api/me, which verified a token this page sent.
    expect(sentTokens.size).toBeGreaterThan(0)
    const { lastActiveSessionId: sessionId } = await readClient(page)
    expect(sessionId).toBeTruthy()

    // Idle: the warning opens a minute before the server's inactivity deadline.
    await time.advanceUntil(() => warning(page).isVisible(), { maxMs: 125_000 })
    await expect(warning(page).getByRole('heading')).toHaveText('Your session is about to expire')
    const warned = await serverSession(page, sessionId!)

    await warning(page).getByRole('button', { name: 'Stay signed in' }).click()
    await expect(warning(page)).toBeHidden()
    await expect.poll(async () => (await serverSession(page, sessionId!)).expireAt).toBeGreaterThan(warned.expireAt!)

    // The client's goodbye at the deadline is best effort: the server must end the session by itself.
    await page.route('**/v1/client/sessions/*/end', (route) => route.abort())
    await time.advanceUntil(async () => (await panel(page, 'status').textContent()) === 'signed-out', { maxMs: 125_000 })
    await expect(warning(page).getByRole('heading')).toHaveText('You have been signed out')
    await expect(warning(page)).toContainText('inactive for too long')
    expect(await touchOnServer(page, sessionId!)).toEqual({ status: 401, code: 'session_expired' })

    await warning(page).getByRole('button', { name: 'Sign in again' }).click()
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
  })

  // The client's goodbye after the deadline must not turn `expired` into `ended`.
  test('keeps the session expired when the client\'s goodbye arrives after the deadline', async ({ page, time }) => {
    await page.goto('/')
    await signIn(page, 'ada@example.com', { userId: 'user_ada' })
    const { lastActiveSessionId: sessionId } = await readClient(page)
    // Asleep well past the deadline: the goodbye sent on wake-up reaches a server already past it.
    await time.sleep(200_000)
    await expect(panel(page, 'status')).toHaveText('signed-out')
    expect(await touchOnServer(page, sessionId!)).toEqual({ status: 401, code: 'session_expired' })
  })

  test('survives a server restart on the same data dir', async ({ page, server }) => {
    await page.goto('/')
    await signIn(page, 'alan@example.com', { userId: 'user_alan' })
    const before = await readClient(page)

    await server.restart()
    await page.reload()

    await expect(page.getByTestId('api-user')).toHaveText('user_alan')
    await expect(panel(page, 'status')).toHaveText('signed-in')
    expect((await readClient(page)).lastActiveSessionId).toBe(before.lastActiveSessionId)
  })
})

test('several accounts on one browser: add one, switch, sign one out', async ({ page }) => {
  await page.goto('/')
  await signIn(page, 'ada@example.com', { userId: 'user_ada' })

  await page.getByRole('button', { name: 'Add account' }).click()
  await signIn(page, 'alan@example.com', { userId: 'user_alan' })
  const accounts = page.getByRole('region', { name: 'Accounts on this browser' })
  await expect(accounts.getByRole('listitem')).toHaveCount(2)

  await accounts.getByRole('button', { name: 'Switch to Ada Lovelace' }).click()
  await expect(page.getByTestId('api-user')).toHaveText('user_ada')

  await accounts.getByRole('button', { name: 'Sign out Alan Turing' }).click()
  await expect(accounts.getByRole('listitem')).toHaveCount(1)
  await expect(page.getByTestId('api-user')).toHaveText('user_ada')
  const client = await readClient(page)
  expect(client.sessions.filter((s) => s.status === 'active')).toHaveLength(1)
})

test.describe('given a maximum lifetime shorter than the inactivity timeout', () => {
  test.use({ serverEnv: { SESSIONKIT_MAX_LIFETIME: '3m', SESSIONKIT_INACTIVITY_TIMEOUT: '10m' } })

  test('warns without "Stay signed in", then signs out at the maximum lifetime', async ({ page, time }) => {
    await page.goto('/')
    await signIn(page, 'grace@example.com', { userId: 'user_grace' })
    const { lastActiveSessionId: sessionId } = await readClient(page)
    await expect(panel(page, 'reason')).toHaveText('max-lifetime')

    // Activity cannot help: keep the user busy until the warning opens.
    await time.advanceUntil(
      async () => {
        await page.mouse.move(100 + Math.random() * 400, 100 + Math.random() * 400)
        return warning(page).isVisible()
      },
      { maxMs: 185_000, step: 5_000 },
    )
    await expect(warning(page).getByRole('heading')).toHaveText('Your session is about to end')
    await expect(warning(page).getByRole('button', { name: 'Stay signed in' })).toHaveCount(0)
    await expect(warning(page).getByRole('button', { name: 'Keep working' })).toBeVisible()

    // The laptop sleeps through the deadline and wakes up signed out.
    await page.route('**/v1/client/sessions/*/end', (route) => route.abort())
    await time.sleep(70_000)
    await expect(warning(page).getByRole('heading')).toHaveText('You have been signed out')
    await expect(warning(page)).toContainText('maximum length')
    await expect(panel(page, 'status')).toHaveText('signed-out')
    expect(await touchOnServer(page, sessionId!)).toEqual({ status: 401, code: 'session_expired' })
  })
})
