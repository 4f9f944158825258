#!/usr/bin/env node
// `npm run demo:next`: the Next.js example (examples/nextjs) against the
// reference server. Installs the example's own dependencies when they are
// missing (npm ci in examples/nextjs), builds the library (the example imports
// the built package), the reference server and the Next app, then starts both
// on 127.0.0.1: the app on http://127.0.0.1:3000 (SESSIONKIT_NEXT_PORT), the
// server on 3001 (SESSIONKIT_API_PORT), which the app's rewrites reach.
// Short demo lifetimes unless the environment sets them, as `npm start`.
// `--no-build` reuses the last build. Ctrl+C stops both.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))

/** The example's folder. */
export const NEXT_DIR = path.join(root, 'examples/nextjs')
const NEXT_BIN = path.join(NEXT_DIR, 'node_modules/next/dist/bin/next')
/** What a build was made for, written next to it: rewrites fix the server's origin at build time. */
const STAMP = 'sessionkit-build.json'

/** Runs a command to its end with inherited output; rejects on a non-zero exit. */
function run(command, args, { cwd = root, env = {}, label = `${command} ${args.join(' ')}` } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] })
    child.once('error', reject)
    child.once('exit', (code, signal) => (code === 0 ? resolve(undefined) : reject(new Error(`${label} failed (${signal ?? `exit ${code}`})`))))
  })
}

/** True when examples/nextjs has its dependencies (next, and the link to this package). */
export function hasNextDeps() {
  return existsSync(path.join(NEXT_DIR, 'node_modules/next/package.json')) && existsSync(path.join(NEXT_DIR, 'node_modules/sessionkit/package.json'))
}

/** `npm ci` in examples/nextjs when its dependencies are missing (its own lock file; the root's install never brings Next). */
export async function ensureNextDeps() {
  if (hasNextDeps()) return false
  console.log('Installing the Next.js example\'s dependencies (npm ci in examples/nextjs)…')
  try {
    await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: NEXT_DIR, label: 'npm ci in examples/nextjs' })
  } catch (error) {
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}. If npm said "Missing from lock file", run \`npm install\` once in examples/nextjs and commit its package-lock.json.`,
    )
  }
  return true
}

/** The library's dist/ (`npm run build`): the example imports the package as an app would. */
export function buildLibrary() {
  return run('npm', ['run', '--silent', 'build'], { label: 'npm run build' })
}

/** dist-server/server.mjs. */
export async function buildServer() {
  const { build } = await import('vite')
  await build({ configFile: path.join(root, 'vite.server.config.ts'), logLevel: 'warn' })
}

/**
 * `next build` of examples/nextjs for the reference server at `apiOrigin`
 * (http://127.0.0.1:PORT), into `distDir` (default .next).
 */
export async function buildNextApp({ apiOrigin, distDir = '.next' }) {
  await run(process.execPath, [NEXT_BIN, 'build'], {
    cwd: NEXT_DIR,
    env: { SESSIONKIT_API_ORIGIN: apiOrigin, SESSIONKIT_NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: '1' },
    label: 'next build',
  })
  writeFileSync(path.join(NEXT_DIR, distDir, STAMP), JSON.stringify({ apiOrigin }))
}

/** What the build in `distDir` was made for, or null when there is none. */
export function readNextBuild(distDir = '.next') {
  try {
    return JSON.parse(readFileSync(path.join(NEXT_DIR, distDir, STAMP), 'utf8'))
  } catch {
    return null
  }
}

/**
 * `next start` on `host`:`port` (0 = a free one) for the build in `distDir`;
 * resolves once it listens, with its URL and a `stop()`.
 */
export function startNextApp({ port = 0, host = '127.0.0.1', distDir = '.next', stdout = null } = {}) {
  const child = spawn(process.execPath, [NEXT_BIN, 'start', '-H', host, '-p', String(port)], {
    cwd: NEXT_DIR,
    env: { ...process.env, SESSIONKIT_NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const output = []
  const record = (chunk) => {
    for (const line of chunk.split('\n')) if (line) output.push(line)
    if (output.length > 300) output.splice(0, output.length - 300)
    stdout?.(chunk)
  }
  child.stderr.setEncoding('utf8').on('data', record)
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve(undefined)
      child.once('exit', () => resolve(undefined))
      child.kill('SIGTERM')
    })
  const ready = new Promise((resolve, reject) => {
    let seen = ''
    const guard = setTimeout(() => fail(new Error('next start did not listen within 30 s')), 30_000)
    const fail = (error) => {
      clearTimeout(guard)
      void stop()
      reject(new Error(`${error.message}\n${output.slice(-20).join('\n')}`))
    }
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      record(chunk)
      if (seen === null) return
      seen += chunk
      const match = /Local:\s+(http:\/\/\S+)/.exec(seen)
      if (match) {
        clearTimeout(guard)
        seen = null
        resolve({ url: match[1], child, output, stop })
      }
    })
    child.once('error', fail)
    child.once('exit', (code) => {
      if (seen !== null) fail(new Error(`next start exited with status ${code}`))
    })
  })
  return ready
}

const DEMO_ENV = {
  SESSIONKIT_HOST: '127.0.0.1',
  SESSIONKIT_DATA: path.join(root, '.data/nextjs'),
  SESSIONKIT_INACTIVITY_TIMEOUT: '2m',
  SESSIONKIT_MAX_LIFETIME: '15m',
  SESSIONKIT_TOKEN_LIFETIME: '60s',
}

/** Starts dist-server/server.mjs; resolves with the child once it listens. */
function startServer(env) {
  const child = spawn(process.execPath, [path.join(root, 'dist-server/server.mjs')], { env, stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    let seen = ''
    child.once('exit', (code) => reject(new Error(`the reference server exited with status ${code}`)))
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      if (seen === null) return
      seen += chunk
      if (/listening on http:\/\/\S+/.test(seen)) {
        seen = null
        resolve(child)
      }
    })
  })
}

async function main() {
  const nextPort = Number(process.env.SESSIONKIT_NEXT_PORT ?? 3000)
  const apiPort = Number(process.env.SESSIONKIT_API_PORT ?? 3001)
  const apiOrigin = `http://127.0.0.1:${apiPort}`
  await ensureNextDeps()
  if (!process.argv.includes('--no-build') || readNextBuild()?.apiOrigin !== apiOrigin) {
    const started = Date.now()
    console.log('Building the library, the reference server and the Next.js app…')
    await buildLibrary()
    await buildServer()
    await buildNextApp({ apiOrigin })
    console.log(`Built in ${Math.round((Date.now() - started) / 1000)} s.`)
  }
  const env = { ...process.env }
  for (const [name, value] of Object.entries(DEMO_ENV)) if (!env[name]) env[name] = value
  env.SESSIONKIT_PORT = String(apiPort)
  mkdirSync(env.SESSIONKIT_DATA, { recursive: true })
  const server = await startServer(env)
  let app
  try {
    app = await startNextApp({ port: nextPort, stdout: (chunk) => process.stdout.write(chunk) })
  } catch (error) {
    server.kill('SIGTERM')
    throw error
  }
  console.log(
    `\nsessionkit + Next.js demo: open ${app.url}/dashboard\n` +
      `  sign in as ada@example.com, alan@example.com or grace@example.com, password "password"\n` +
      `  reference server on ${apiOrigin} (the app reaches it through its rewrites); ` +
      `inactivity ${env.SESSIONKIT_INACTIVITY_TIMEOUT}, max lifetime ${env.SESSIONKIT_MAX_LIFETIME}, tokens ${env.SESSIONKIT_TOKEN_LIFETIME}; Ctrl+C stops both\n`,
  )
  let stopping = false
  const stop = async (code) => {
    if (stopping) return
    stopping = true
    server.kill('SIGTERM')
    await app.stop()
    process.exit(code)
  }
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void stop(0))
  server.on('exit', (code) => void stop(code ?? 0))
  app.child.on('exit', (code) => void stop(code ?? 0))
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`npm run demo:next failed: ${error instanceof Error ? error.message : String(error)}`)
    process.exit(1)
  })
}
