import { axeViolations, expect, readClient, signIn, test } from './fixtures'

/** The claims of a JWT, unverified (the server verified it; this reads what the page sent). */
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>

test.describe('support acting as a user', () => {
  test('acts as Ada: the banner shows, her API calls carry act, and "Stop acting" returns to support', async ({ page }) => {
    await page.goto('/')
    await signIn(page, 'support@example.com', { userId: 'user_support' })
    const { lastActiveSessionId: ownSession } = await readClient(page)

    const actAs = page.getByRole('region', { name: 'Act as…' })
    await expect(actAs).toBeVisible()
    expect(await axeViolations(page)).toEqual([])
    await actAs.getByLabel('User').selectOption('user_ada')
    // Ada's first API call, with the token of the acting session.
    const adaCall = page.waitForResponse(async (response) => {
      if (!response.url().endsWith('/api/me') || !response.ok()) return false
      return (await response.json()).data.userId === 'user_ada'
    })
    await actAs.getByRole('button', { name: 'Act as Ada' }).click()

    const banner = page.getByRole('region', { name: 'Impersonation' })
    await expect(banner.getByRole('status')).toHaveText('You are acting as Ada Lovelace (signed in as support@example.com)')
    await expect(page.getByTestId('api-user')).toHaveText('user_ada')
    const answer = await adaCall
    expect((await answer.json()).data).toMatchObject({
      userId: 'user_ada',
      actor: { sub: 'user_support', identifier: 'support@example.com' },
      claims: { sub: 'user_ada', act: { sub: 'user_support' } },
    })
    const bearer = answer.request().headers()['authorization']!.slice('Bearer '.length)
    expect(claimsOf(bearer)).toMatchObject({ sub: 'user_ada', act: { sub: 'user_support' } })
    // Nothing hides the banner, and the page with it has no accessibility violation.
    await expect(banner.getByRole('button')).toHaveText(['Stop acting as Ada'])
    expect(await axeViolations(page)).toEqual([])

    const supportCall = page.waitForResponse(async (response) => {
      if (!response.url().endsWith('/api/me') || !response.ok()) return false
      return (await response.json()).data.userId === 'user_support'
    })
    await banner.getByRole('button', { name: 'Stop acting as Ada' }).click()
    await expect(banner).toHaveCount(0)
    await expect(page.getByTestId('api-user')).toHaveText('user_support')
    const back = await supportCall
    expect((await back.json()).data).toMatchObject({ userId: 'user_support', sessionId: ownSession, actor: null })
    expect(claimsOf(back.request().headers()['authorization']!.slice('Bearer '.length))).not.toHaveProperty('act')

    // On the server: support's own session is the active one again, Ada's acting session ended.
    const client = await readClient(page)
    expect(client.lastActiveSessionId).toBe(ownSession)
    expect(client.sessions.filter((s) => s.id !== ownSession).map((s) => s.status)).toEqual(['ended'])
  })

  test('a user without the permission gets no "Act as…" control and no banner', async ({ page }) => {
    await page.goto('/')
    await signIn(page, 'ada@example.com', { userId: 'user_ada' })
    await expect(page.getByRole('region', { name: 'Act as…' })).toHaveCount(0)
    await expect(page.getByRole('region', { name: 'Impersonation' })).toHaveCount(0)
  })
})
