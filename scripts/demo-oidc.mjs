#!/usr/bin/env node
// `npm run demo:oidc`: the demo app signed in by a real OpenID provider.
// Builds the app in OIDC mode (examples/app/dist-oidc), starts the test
// provider (oidc-provider, test/oidc) on 127.0.0.1 and a static server for
// the app on another port of 127.0.0.1 (http://127.0.0.1:5175 unless
// SESSIONKIT_PORT says otherwise); the provider's dev login accepts any
// name and password. Ctrl+C stops both. `--no-build` reuses the last build.
//
// Also the building blocks of the OIDC e2e flows and bench: `buildOidcApp`
// and `serveOidcApp` (a plain .mjs so Node runs it without a compiler).
import { spawn } from 'node:child_process'
import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))

/** Where the OIDC build of the demo app goes (the http build stays in examples/app/dist). */
export const OIDC_APP_DIST = path.join(root, 'examples/app/dist-oidc')

/** The path on the app's origin the provider sends the browser back to. */
export const CALLBACK_PATH = '/callback'

/**
 * The provider's lifetimes in the demo and the e2e flows (seconds). The app's
 * own deadlines come first (inactivity 2 min, maximum 15 min: oidc.ts); the
 * provider's are the backstop, a little longer, so the refresh token is
 * still alive when the app signs out at its deadline and revokes it. A touch
 * is at most 12 s before the user's last input, hence a minute of slack.
 */
export const DEMO_PROVIDER_TTL = { accessToken: 60, refreshToken: 180, session: 20 * 60 }

/** Builds examples/app in OIDC mode (`vite build --mode oidc`) into examples/app/dist-oidc. */
export async function buildOidcApp() {
  const { build } = await import('vite')
  await build({ configFile: path.join(root, 'vite.app.config.ts'), mode: 'oidc', logLevel: 'warn' })
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
}

/** A malformed %-escape is a path that does not exist, not a crash. */
const safeDecode = (pathname) => {
  try {
    return decodeURIComponent(pathname)
  } catch {
    return '/'
  }
}

/**
 * Serves the built app on 127.0.0.1 (`port` 0 = a free one): its files, any
 * other path as index.html (the callback, deep links), and
 * /oidc-config.json, where the app reads which provider to use. `config` may
 * be changed after the start (the provider's port is known only once the
 * app's origin is, since the redirect URI names it).
 * @param {{ dir?: string, port?: number, config: { issuer?: string, clientId?: string, providerName?: string } }} options
 */
export async function serveOidcApp({ dir = OIDC_APP_DIST, port = 0, config }) {
  if (!existsSync(path.join(dir, 'index.html'))) {
    throw new Error(`${dir}/index.html is missing: build the app in OIDC mode first (npm run demo:oidc, or the e2e global setup).`)
  }
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://app.invalid')
    if (pathname === '/oidc-config.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      return res.end(JSON.stringify(config))
    }
    let file = path.join(dir, safeDecode(pathname))
    if (!file.startsWith(dir + path.sep) || !existsSync(file) || !statSync(file).isFile()) file = path.join(dir, 'index.html')
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    })
    createReadStream(file).pipe(res)
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve(undefined))
  })
  const address = /** @type {import('node:net').AddressInfo} */ (server.address())
  const origin = `http://127.0.0.1:${address.port}`
  return {
    origin,
    redirectUri: origin + CALLBACK_PATH,
    postLogoutRedirectUri: `${origin}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve(undefined))
      }),
  }
}

/** Starts the test provider's CLI (test/oidc/cli.mjs) and answers what its OIDC_READY line says. */
function startProviderCli(app) {
  const args = ['--redirect-uri', app.redirectUri, '--post-logout-redirect-uri', app.postLogoutRedirectUri]
  args.push('--access-ttl', String(DEMO_PROVIDER_TTL.accessToken), '--refresh-ttl', String(DEMO_PROVIDER_TTL.refreshToken))
  args.push('--session-ttl', String(DEMO_PROVIDER_TTL.session))
  const child = spawn(process.execPath, [path.join(root, 'test/oidc/cli.mjs'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  // oidc-provider warns at start that it runs with development keys, store and login form: this demo's point.
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    for (const line of chunk.split('\n')) if (line && !line.startsWith('oidc-provider WARNING')) process.stderr.write(`${line}\n`)
  })
  const ready = new Promise((resolve, reject) => {
    let buffered = ''
    child.once('exit', (code) => reject(new Error(`the provider exited (${code}) before it listened`)))
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      buffered += chunk
      const line = buffered.split('\n').find((l) => l.startsWith('OIDC_READY '))
      if (line) {
        buffered = ''
        resolve(JSON.parse(line.slice('OIDC_READY '.length)))
      }
    })
  })
  return { child, ready }
}

async function main() {
  if (!process.argv.includes('--no-build')) {
    console.log('Building the demo app in OIDC mode…')
    await buildOidcApp()
  }
  const config = { providerName: 'the test provider' }
  const app = await serveOidcApp({ port: Number(process.env.SESSIONKIT_PORT ?? 5175), config })
  const provider = startProviderCli(app)
  let ready
  try {
    ready = await provider.ready
  } catch (error) {
    await app.close()
    throw error
  }
  Object.assign(config, { issuer: ready.issuer, clientId: ready.clientId })
  console.log(
    `\nsessionkit demo (OpenID Connect): open ${app.origin}/\n` +
      `  "Sign in with the test provider", then any login and any password (e.g. ada.lovelace / x)\n` +
      `  provider: oidc-provider at ${ready.issuer}, public client "${ready.clientId}" with PKCE and rotating refresh tokens\n` +
      `  the app: inactivity 2 min (warning 60 s before), max 15 min; the provider: access token 60 s, refresh token idle 3 min, session 20 min; Ctrl+C stops\n`,
  )
  const stop = (signal) => {
    provider.child.kill(signal)
    void app.close()
  }
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(signal))
  provider.child.on('exit', (code, signal) => {
    void app.close().then(() => process.exit(code ?? (signal ? 0 : 1)))
  })
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`npm run demo:oidc failed: ${error instanceof Error ? error.message : String(error)}`)
    process.exit(1)
  })
}
