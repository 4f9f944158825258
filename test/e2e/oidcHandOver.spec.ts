// Refresh grants taking turns between tabs, in real Chromium: each tab is its
// own process, so what one tab stores while it holds the refresh lock must be
// what the next holder reads, or it sends a refresh token that was rotated
// away and the provider's reuse detection signs every tab out. The app's own
// flows (oidc.spec.ts) take turns a few times per test; this one hundreds of times.
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

test('3 tabs renewing at once, 3 × 40 refresh grants taking turns: every one answered, no reuse detected', async ({ context, provider }) => {
  const origin = (provider as OidcTestProvider & { origin: string }).origin
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
  await first.goto(origin + '/')
  await first.waitForFunction(() => 'sessionkitTab' in globalThis)
  await Promise.all([first.waitForURL(/\/interaction\//), first.evaluate(() => void sessionkitTab.signIn())])
  await loginAtProvider(first, 'ada.lovelace')
  await first.waitForURL(origin + '/')
  await first.waitForFunction(() => 'sessionkitTab' in globalThis)
  const sessionId = await sessionIn(first)
  expect(sessionId).not.toBeNull()

  const tabs = [first]
  for (let i = 0; i < 2; i++) {
    const tab = await context.newPage()
    await tab.goto(origin + '/')
    await tab.waitForFunction(() => 'sessionkitTab' in globalThis)
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
