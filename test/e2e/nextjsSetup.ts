// Global setup for nextjs.spec.ts: builds the Next.js example (examples/nextjs) once per run,
// after the main setup built the reference server. Rewrites fix the reference server's origin
// when `next build` runs, so the build is made for one free port of 127.0.0.1; every test then
// starts its own reference server on that port (one at a time: workers = 1).
// Skipped when the run's file filters leave the Next spec out; SESSIONKIT_E2E_SKIP_BUILD=1 reuses
// the last build.
import net from 'node:net'
import path from 'node:path'
import { buildLibrary, buildNextApp, ensureNextDeps, readNextBuild } from '../../scripts/demo-next.mjs'

/** The e2e build's folder inside examples/nextjs, apart from the demo's .next. */
export const NEXT_E2E_DIST = '.next-e2e'

const SPEC = 'test/e2e/nextjs.spec.ts'

/** A port of 127.0.0.1 that is free now. */
async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/**
 * Whether the command line selects the Next spec: Playwright's positional arguments are
 * regular expressions matched against test file paths; none at all selects every file.
 */
function runSelectsNextSpec(argv = process.argv): boolean {
  const at = argv.findIndex((arg) => arg === 'test')
  if (at < 0) return true
  const filters: string[] = []
  for (let i = at + 1; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg.startsWith('-')) {
      // Options that take a separate value; a filter never follows them directly.
      if (/^(-c|--config|-g|--grep|-gv|--grep-invert|-j|--workers|--project|--reporter|--retries|--timeout|--repeat-each|--max-failures|--output|--shard|--trace|--tsconfig|--global-timeout)$/.test(arg)) i++
      continue
    }
    filters.push(arg)
  }
  if (filters.length === 0) return true
  const spec = path.resolve(SPEC)
  return filters.some((filter) => {
    try {
      return new RegExp(filter).test(spec) || new RegExp(filter).test(SPEC)
    } catch {
      return spec.includes(filter)
    }
  })
}

/** Builds what the Next spec runs (example deps, library, Next app for a free API port); returns the build's API origin. */
export async function buildNextForE2e(): Promise<string> {
  const timings: string[] = []
  const step = async (label: string, work: () => Promise<unknown>) => {
    const started = Date.now()
    await work()
    timings.push(`${label} ${((Date.now() - started) / 1000).toFixed(1)} s`)
  }
  let installed = false
  await step('npm ci (examples/nextjs)', async () => {
    installed = await ensureNextDeps()
  })
  if (!installed) timings.pop()
  await step('library build', () => buildLibrary())
  const apiOrigin = `http://127.0.0.1:${await freePort()}`
  await step('next build', () => buildNextApp({ apiOrigin, distDir: NEXT_E2E_DIST }))
  console.log(`e2e: built the Next.js example for ${apiOrigin}: ${timings.join(', ')}`)
  return apiOrigin
}

/** Set once this run has a build: the workers inherit the setup's environment. */
const BUILT = 'SESSIONKIT_E2E_NEXT_BUILT'

/**
 * The origin of the reference server the e2e build is made for: this run's build, the last one
 * under SESSIONKIT_E2E_SKIP_BUILD=1, or a build made now (a filter the setup misread).
 */
export async function nextBuildForE2e(): Promise<string> {
  const last = readNextBuild(NEXT_E2E_DIST)
  if (last && (process.env[BUILT] === '1' || process.env.SESSIONKIT_E2E_SKIP_BUILD === '1')) return last.apiOrigin
  const apiOrigin = await buildNextForE2e()
  process.env[BUILT] = '1'
  return apiOrigin
}

export default async function nextjsSetup() {
  if (!runSelectsNextSpec()) return
  await nextBuildForE2e()
}
