import { defineConfig } from '@playwright/test'
import { chromiumArgs, chromiumPath } from './scripts/chromium.mjs'

// End-to-end flows: the demo app (examples/app) against the reference server,
// both built once per run by the global setup. Each test starts its own server
// (test/e2e/server.ts) with the test clock on, on a free port of 127.0.0.1.
// oidc*.spec.ts: the app's OIDC build against a real oidc-provider, both on free
// ports too (test/e2e/oidcFixtures.ts). nextjs.spec.ts: the Next.js example's
// production build in front of the reference server (test/e2e/nextjsFixtures.ts).
// Debian's Chromium only: never download a browser.
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '*.spec.ts',
  // The Next.js example's build (nextjs.spec.ts) comes after the reference server's.
  globalSetup: ['./test/e2e/globalSetup.ts', './test/e2e/nextjsSetup.ts'],
  outputDir: 'test-results/e2e',
  // Two cores: one browser at a time keeps virtual time and real time apart.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 5_000 },
  // scripts/test.mjs asks for a JSON report too, to add the counts to its total.
  reporter: process.env.SESSIONKIT_E2E_JSON ? [['list'], ['json', { outputFile: process.env.SESSIONKIT_E2E_JSON }]] : [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
    viewport: { width: 1100, height: 800 },
    trace: 'retain-on-failure',
  },
})
