#!/usr/bin/env node
// `npm start`: build the reference server and the demo app, then serve both on
// one origin (http://127.0.0.1:5174 unless SESSIONKIT_PORT says otherwise).
// Short demo lifetimes unless the environment already sets them:
//   SESSIONKIT_INACTIVITY_TIMEOUT=2m  SESSIONKIT_MAX_LIFETIME=15m  SESSIONKIT_TOKEN_LIFETIME=60s
// (the app shows the warning 60 s before the deadline). `--no-build` reuses the last build.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { build } from 'vite'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))

/** Builds dist-server/server.mjs and examples/app/dist. */
export async function buildDemo() {
  for (const configFile of ['vite.server.config.ts', 'vite.app.config.ts']) {
    await build({ configFile: path.join(root, configFile), logLevel: 'warn' })
  }
}

const DEMO_ENV = {
  SESSIONKIT_HOST: '127.0.0.1',
  SESSIONKIT_PORT: '5174',
  SESSIONKIT_DATA: path.join(root, '.data'),
  SESSIONKIT_STATIC: path.join(root, 'examples/app/dist'),
  SESSIONKIT_INACTIVITY_TIMEOUT: '2m',
  SESSIONKIT_MAX_LIFETIME: '15m',
  SESSIONKIT_TOKEN_LIFETIME: '60s',
}

async function main() {
  if (!process.argv.includes('--no-build')) {
    console.log('Building the server and the demo app…')
    await buildDemo()
  }
  const env = { ...process.env }
  // A policy preset brings its own lifetimes: the demo's short ones only fill in without one.
  const presetLifetimes = env.SESSIONKIT_POLICY ? new Set(['SESSIONKIT_INACTIVITY_TIMEOUT', 'SESSIONKIT_MAX_LIFETIME']) : new Set()
  for (const [name, value] of Object.entries(DEMO_ENV)) if (!env[name] && !presetLifetimes.has(name)) env[name] = value
  const child = spawn(process.execPath, [path.join(root, 'dist-server/server.mjs')], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let buffered = ''
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk)
    buffered += chunk
    const match = /listening on (http:\/\/\S+)/.exec(buffered)
    if (match) {
      buffered = ''
      console.log(
        `\nsessionkit demo: open ${match[1]}/\n` +
          `  sign in as ada@example.com, alan@example.com or grace@example.com, password "password"\n` +
          `  inactivity ${env.SESSIONKIT_INACTIVITY_TIMEOUT}, max lifetime ${env.SESSIONKIT_MAX_LIFETIME}, tokens ${env.SESSIONKIT_TOKEN_LIFETIME}; Ctrl+C stops\n`,
      )
    } else if (buffered.length > 10_000) {
      buffered = buffered.slice(-1_000)
    }
  })
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)))
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`)
    process.exit(1)
  })
}
