import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import react from '@vitejs/plugin-react'
import { playwright } from '@vitest/browser-playwright'
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin'
import { chromiumArgs, chromiumPath } from './scripts/chromium.mjs'

// Each browser project gets its own config object: one object shared by two
// projects mislabels them.
const chromium = () => ({
  enabled: true,
  headless: true,
  provider: playwright({ launchOptions: { executablePath: chromiumPath, args: chromiumArgs } }),
  instances: [{ browser: 'chromium' as const }],
})

export default defineConfig({
  plugins: [react()],
  // Examples import the package by name, as an app would; tests run them from source.
  resolve: {
    alias: [
      { find: /^sessionkit\/styles\.css$/, replacement: fileURLToPath(new URL('./src/react/styles.css', import.meta.url)) },
      { find: /^sessionkit\/adapters\/(memory|http|oidc)$/, replacement: fileURLToPath(new URL('./src/adapters/$1/index.ts', import.meta.url)) },
      { find: /^sessionkit\/server$/, replacement: fileURLToPath(new URL('./src/server/index.ts', import.meta.url)) },
      { find: /^sessionkit\/(react|react-query)$/, replacement: fileURLToPath(new URL('./src/$1/index.ts', import.meta.url)) },
      { find: /^sessionkit$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
    ],
  },
  // Bundled up front: discovering them mid-run makes Vite reload the browser
  // page, which breaks the test that was running ("Invalid hook call").
  optimizeDeps: {
    include: [
      'react',
      'react-dom',
      'react-dom/client',
      'react/jsx-dev-runtime',
      '@testing-library/react',
      'axe-core',
      'zustand/vanilla',
      'zustand/shallow',
      'idb-keyval',
    ],
  },
  test: {
    reporters: ['default', './scripts/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'jsdom',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          setupFiles: ['test/unit/setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'server',
          environment: 'node',
          include: ['test/server/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.{ts,tsx}'],
          browser: chromium(),
        },
      },
      {
        // Every story's play function and axe check, in Chromium. Not
        // `extends: true`: Storybook brings its own Vite config (React plugin included).
        plugins: [storybookTest({ configDir: '.storybook' })],
        test: {
          name: 'storybook',
          browser: chromium(),
        },
      },
    ],
  },
})
