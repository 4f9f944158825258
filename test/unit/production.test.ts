// @vitest-environment node
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import * as source from '../../src/index'
import { createMemoryAdapter as createSourceMemoryAdapter } from '../../src/adapters/memory'

// The core as an app's production build sees it: bundled by esbuild with
// NODE_ENV=production, so every development-only branch is gone. Development-only
// text must leave the bundle, and what stays must still say what went wrong.
type Core = typeof source & { createMemoryAdapter: typeof createSourceMemoryAdapter }

const root = path.resolve(__dirname, '../..')
let dir: string
let production: Core
let bundleText: string

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sessionkit-production-'))
  const outfile = path.join(dir, 'core.mjs')
  const result = await build({
    stdin: {
      contents: `export * from './src/index.ts'\nexport { createMemoryAdapter } from './src/adapters/memory/index.ts'`,
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    minify: true,
    outfile,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
    metafile: false,
    write: true,
  })
  expect(result.errors).toEqual([])
  bundleText = (await import('node:fs')).readFileSync(outfile, 'utf8')
  production = (await import(/* @vite-ignore */ pathToFileURL(outfile).href)) as Core
}, 30_000)

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** The error `createSessionClient` throws for `options`, from the given build. */
function optionError(core: Pick<Core, 'createSessionClient'>, options: unknown): { code: string; message: string } {
  try {
    core.createSessionClient(options as never)
  } catch (error) {
    return error as { code: string; message: string }
  }
  throw new Error('expected createSessionClient to throw')
}

describe('a production build', () => {
  it('still names the problem with a code and a short sentence', () => {
    const dev = optionError(source, { adapter: null })
    const prod = optionError(production, { adapter: null })
    expect(prod).toBeInstanceOf(production.SessionKitError)
    expect(prod.code).toBe(dev.code)
    expect(prod.code).toBe('invalid_option')
    expect(prod.message).toMatch(/^[A-Z].*\.$/)
    expect(prod.message.length).toBeLessThan(dev.message.length)
  })

  it("leaves development-only explanations out of the bundle", () => {
    const dev = optionError(source, { adapter: null })
    expect(bundleText.includes(dev.message)).toBe(false)
  })

  it('does not warn about a leeway as long as the token, which development does', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      for (const [core, makeAdapter] of [
        [production, production.createMemoryAdapter],
        [source, createSourceMemoryAdapter],
      ] as const) {
        const clock = core.createVirtualClock()
        const client = core.createSessionClient({ adapter: makeAdapter({ clock }), clock, eventTarget: null })
        client.mount()
        await clock.advanceAsync(0)
        await client.signIn({ identifier: 'ada@example.com', password: 'password' })
        await client.getToken({ leewayInSeconds: 60 })
        await client.getToken({ leewayInSeconds: 60 })
        if (core === production) expect(warn).not.toHaveBeenCalled()
        else expect(warn).toHaveBeenCalledTimes(1)
        client.destroy()
      }
    } finally {
      warn.mockRestore()
    }
  })
})
