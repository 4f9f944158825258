// @vitest-environment node
import path from 'node:path'
import { build } from 'esbuild'
import { beforeAll, describe, expect, it } from 'vitest'

// sessionkit/react as an app's production build sees it: bundled by esbuild
// with NODE_ENV=production. Development-only text must leave the bundle, and
// every error must keep a short sentence.
const root = path.resolve(__dirname, '../../..')
let bundleText: string

beforeAll(async () => {
  const result = await build({
    stdin: { contents: `export * from './src/react/index.ts'`, resolveDir: root, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    minify: true,
    write: false,
    external: ['react', 'react/*', 'react-dom', 'react-dom/*', 'zustand', 'zustand/*'],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  })
  expect(result.errors).toEqual([])
  bundleText = result.outputFiles[0]!.text
}, 30_000)

describe('a production build of sessionkit/react', () => {
  it.each([
    ['outside ActiveDevices.Root', /must be used within \\?`ActiveDevices\.Root/, 'No ActiveDevices.Root.'],
    ['outside ActiveDevices.Item', /must be used within \\?`ActiveDevices\.Item/, 'No ActiveDevices.Item.'],
    ['for useReverification without an adapter that verifies', /the adapter has no verifySession/, 'Reverification not supported.'],
    ['for useReverification without a dialog', /needs \\?`<ReverificationDialog/, 'No ReverificationDialog.'],
  ])('says only a short sentence %s', (_, explanation, short) => {
    // Booleans, not the bundle itself, in a failure message.
    expect(explanation.test(bundleText), `${explanation} in the bundle`).toBe(false)
    expect(bundleText.includes(short), `${short} in the bundle`).toBe(true)
  })

  it("leaves the inactivity warning's development warnings out", () => {
    expect(bundleText.includes('WCAG 2.2.1')).toBe(false)
    expect(bundleText.includes('is changing from')).toBe(false)
  })
})
