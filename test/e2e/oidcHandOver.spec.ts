// Refresh grants taking turns between tabs, in real Chromium: each tab is its
// own process, so what one tab stores while it holds the refresh lock must be
// what the next holder reads, or it sends a refresh token that was rotated
// away and the provider's reuse detection signs every tab out. The app's own
// flows (oidc.spec.ts) take turns a few times per test; this one hundreds of times.
// And a sign-in landing in one tab while another tab's refresh grant is out.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { test as base, expect, type Page } from '@playwright/test'
import { build } from 'esbuild'
import { serveOidcApp } from '../../scripts/demo-oidc.mjs'
import { startOidcProvider } from '../oidc/provider.mjs'
import type { OidcTestProvider } from '../oidc/provider.d.mts'
import { loginAtProvider, readStorage } from './oidcFixtures'

interface SessionkitTab {
  sessionId(): Promise<string | null>
  signIn(): Promise<void>
  touch(sessionId: string, count: number): Promise<string[]>
  startTouching(sessionId: string, count: number): void
  touching(): Promise<string[]>
  currentSessionId(): Promise<string | null>
}
declare const sessionkitTab: SessionkitTab

const test = base.extend<{ provider: OidcTestProvider }>({
  provider: async ({}, use) => {
    // The page, bundled as an app's bundler would, served with its provider on free ports of 127.0.0.1.
    const dir = await mkdtemp(path.join(tmpdir(), 'sessionkit-hand-over-'))
    await build({
      entryPoints: [path.join(import.meta.dirname, 'handOverPage/page.ts')],
      outfile: path.join(dir, 'page.js'),
      bundle: true,
      format: 'esm',
      target: 'es2022',
      define: { 'process.env.NODE_ENV': '"development"' },
      logLevel: 'warning',
    })
    await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>hand-over</title><script type="module" src="/page.js"></script>')
    const config: Record<string, unknown> = {}
    const app = await serveOidcApp({ dir, config })
    const provider = await startOidcProvider({ redirectUris: [app.redirectUri], ttlSeconds: { accessToken: 60, refreshToken: 600, session: 3_600 } })
    Object.assign(config, { issuer: provider.issuer, clientId: provider.clientId })
    await use(Object.assign(provider, { origin: app.origin }))
    await Promise.all([provider.stop(), app.close()])
    await rm(dir, { recursive: true, force: true })
  },
})

const sessionIn = (page: Page) => page.evaluate(() => sessionkitTab.sessionId())
const originOf = (provider: OidcTestProvider) => (provider as OidcTestProvider & { origin: string }).origin

/** Loads the page in `page` and waits for its adapter. */
async function load(page: Page, origin: string) {
  await page.goto(origin + '/')
  await page.waitForFunction(() => 'sessionkitTab' in globalThis)
}

/** Signs `page` in through the provider; with the provider's login session alive it answers at once, no form. */
async function signIn(page: Page, origin: string, { form }: { form: boolean }) {
  await Promise.all([page.waitForURL(form ? /\/interaction\// : origin + '/'), page.evaluate(() => void sessionkitTab.signIn())])
  if (form) await loginAtProvider(page, 'ada.lovelace')
  await page.waitForURL(origin + '/')
  await page.waitForFunction(() => 'sessionkitTab' in globalThis)
}

test('3 tabs renewing at once, 3 × 40 refresh grants taking turns: every one answered, no reuse detected', async ({ context, provider }) => {
  const origin = originOf(provider)
  const issued = new Set<string>()
  const reading: Promise<void>[] = []
  context.on('response', (response) => {
    if (response.url() !== `${provider.issuer}/token`) return
    const keep = (body: Record<string, unknown>) => {
      for (const kind of ['access_token', 'refresh_token', 'id_token']) if (typeof body[kind] === 'string') issued.add(body[kind])
    }
    reading.push(response.json().then(keep, () => undefined))
  })
  const first = await context.newPage()
  await load(first, origin)
  await signIn(first, origin, { form: true })
  const sessionId = await sessionIn(first)
  expect(sessionId).not.toBeNull()

  const tabs = [first]
  for (let i = 0; i < 2; i++) {
    const tab = await context.newPage()
    await load(tab, origin)
    expect(await sessionIn(tab), 'a new tab hears of the session from the others').toBe(sessionId)
    tabs.push(tab)
  }
  const before = await provider.stats()

  const errors = await Promise.all(tabs.map((tab) => tab.evaluate((id) => sessionkitTab.touch(id, 40), sessionId!)))

  const after = await provider.stats()
  expect(errors.flat(), 'errors the tabs met').toEqual([])
  expect(after.reuseDetections - before.reuseDetections).toBe(0)
  expect(after.refreshGrants - before.refreshGrants).toBe(120)

  // The notes the tabs left each other (IndexedDB, localStorage) hold no token.
  await Promise.all(reading)
  expect(issued.size).toBeGreaterThan(120)
  for (const tab of tabs) {
    const stored = Object.values(await tab.evaluate(readStorage)).join('\n')
    expect(stored).toContain('"generation"')
    expect([...issued].filter((token) => stored.includes(token))).toEqual([])
  }
})

test('the same user signing in again in one tab while another tab renews: the new session goes on working, nothing is revoked', async ({ context, provider }) => {
  const origin = originOf(provider)
  const signingIn = await context.newPage()
  await load(signingIn, origin)
  await signIn(signingIn, origin, { form: true })
  const renewing = await context.newPage()
  await load(renewing, origin)
  const before = await provider.stats()

  for (let round = 0; round < 3; round++) {
    const old = await renewing.evaluate(() => sessionkitTab.currentSessionId())
    expect(old).not.toBeNull()
    await renewing.evaluate((id) => sessionkitTab.startTouching(id, 400), old!)
    // Back to back refresh grants in the other tab: the new sign-in lands while one of them is out.
    await renewing.waitForTimeout(100)
    await signIn(signingIn, origin, { form: false })
    const signedIn = await sessionIn(signingIn)
    expect(signedIn).not.toBe(old)
    await renewing.evaluate(() => sessionkitTab.touching())

    expect(await signingIn.evaluate((id) => sessionkitTab.touch(id, 3), signedIn!), `round ${round}: the new session's touches`).toEqual([])
    expect(await renewing.evaluate(() => sessionkitTab.currentSessionId()), 'the other tab holds the new session').toBe(signedIn)
  }
  const after = await provider.stats()
  // Both sign-ins share the provider's grant: revoking the old session's token would have ended the new one.
  expect(after.revocations - before.revocations).toBe(0)
  expect(after.reuseDetections - before.reuseDetections).toBe(0)
})
