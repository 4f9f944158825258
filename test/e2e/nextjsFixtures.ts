// Fixtures for nextjs.spec.ts: the Next.js example's production build (`next start`, one per
// test) in front of the reference server, which each test starts afresh (own data, own test
// clock) on the port the build's rewrites point at. Everything else (virtual time, the check that
// no token reaches storage, cookies or URLs, no uncaught page error) is the shared fixtures'.
import type { ConsoleMessage, Page } from '@playwright/test'
import { startNextApp, type NextApp } from '../../scripts/demo-next.mjs'
import { test as base } from './fixtures'
import { NEXT_E2E_DIST, nextBuildForE2e } from './nextjsSetup'
import { DemoServer } from './server'

export { expect, readClient, serverSession, signIn, warning } from './fixtures'

interface NextWorkerFixtures {
  /** The reference server port the e2e build's rewrites reach. */
  apiPort: number
}

interface NextTestFixtures {
  /** `next start` of the e2e build, one per test like the reference server (its key cache and all). */
  nextApp: NextApp
  /** Console errors and warnings and uncaught errors of the test's pages. */
  pageProblems: string[]
}

export const test = base.extend<NextTestFixtures, NextWorkerFixtures>({
  apiPort: [
    async ({}, use) => {
      await use(Number(new URL(await nextBuildForE2e()).port))
    },
    // Only a run whose setup skipped the build makes one here.
    { scope: 'worker', timeout: 300_000 },
  ],

  // Fresh per test: each test's reference server has a new signing key, and a Next server that
  // outlived the last one would still hold the old key set in its cache.
  nextApp: async ({}, use) => {
    const app = await startNextApp({ distDir: NEXT_E2E_DIST })
    await use(app)
    await app.stop()
  },

  server: async ({ serverEnv, apiPort, nextApp }, use, testInfo) => {
    const server = new DemoServer(serverEnv)
    // The port the build's rewrites name; DemoServer starts on `port` (0 = any).
    server.port = apiPort
    await server.start()
    await use(server)
    await server.dispose()
    if (testInfo.status !== testInfo.expectedStatus) {
      await testInfo.attach('server output', { body: server.output.join('\n'), contentType: 'text/plain' })
      await testInfo.attach('next output', { body: nextApp.output.join('\n'), contentType: 'text/plain' })
    }
  },

  // Every test talks to the Next app, which needs its reference server up.
  baseURL: async ({ nextApp, server }, use) => {
    void server
    await use(nextApp.url)
  },

  /**
   * Console errors and warnings and uncaught errors of every page of the test. A production
   * build reports a hydration mismatch as an uncaught "Minified React error #418".
   */
  pageProblems: async ({ context }, use) => {
    const problems: string[] = []
    const watch = (page: Page) => {
      page.on('console', (message: ConsoleMessage) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`)
      })
      page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`))
    }
    context.pages().forEach(watch)
    context.on('page', watch)
    await use(problems)
  },
})
