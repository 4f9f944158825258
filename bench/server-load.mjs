// The reference server under a bounded loopback load: token mints and touches
// with autocannon, against the built server (dist-server/server.mjs) in its
// own process, as `npm start` runs it. Bounded: a fixed number of requests
// per scenario, and a time limit.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import { repoRoot } from './bundle.mjs'

const SERVER_ENTRY = path.join(repoRoot, 'dist-server/server.mjs')
/** Requests per scenario: enough for stable percentiles, bounded either way. */
const REQUESTS = 20_000
const CONNECTIONS = 10
const TIME_LIMIT_S = 30

function buildServer(log) {
  log('building the server (vite build --config vite.server.config.ts)')
  execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.server.config.ts', '--logLevel', 'error'], {
    cwd: repoRoot,
    stdio: 'inherit',
  })
}

/** Starts the server on a free port of 127.0.0.1 with rate limits off (they would cap the load at 60 touches a minute). */
function startServer(dataDir) {
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    env: {
      ...process.env,
      SESSIONKIT_HOST: '127.0.0.1',
      SESSIONKIT_PORT: '0',
      SESSIONKIT_DATA: dataDir,
      SESSIONKIT_INACTIVITY_TIMEOUT: '7d',
      SESSIONKIT_MAX_LIFETIME: '30d',
      SESSIONKIT_RATE_LIMIT_SIGN_IN: 'off',
      SESSIONKIT_RATE_LIMIT_TOUCH: 'off',
    },
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  return new Promise((resolve, reject) => {
    let seen = ''
    const guard = setTimeout(() => reject(new Error('the server did not start within 20 s')), 20_000)
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      seen += chunk
      const match = /listening on (http:\/\/[^\s]+)/.exec(seen)
      if (match) {
        clearTimeout(guard)
        child.stdout.resume()
        resolve({ url: match[1].replace(/\/$/, ''), stop: () => stop(child) })
      }
    })
    child.once('exit', (code) => reject(new Error(`the server exited early (${code})`)))
  })
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

/** Signs in as Ada and returns the cookie and session id, as a browser would hold them. */
async function signIn(url) {
  const response = await fetch(`${url}/v1/client/sign_ins`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-sessionkit-client': '1' },
    body: JSON.stringify({ identifier: 'ada@example.com', password: 'password' }),
  })
  if (!response.ok) throw new Error(`sign-in failed: ${response.status}`)
  const cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const { data } = await response.json()
  return { cookie, sessionId: data.lastActiveSessionId }
}

function load(url, requestPath, cookie) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${url}${requestPath}`,
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', 'x-sessionkit-client': '1' },
        body: '{}',
        connections: CONNECTIONS,
        amount: REQUESTS,
        duration: TIME_LIMIT_S,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    )
  })
}

export async function run({ log = () => {} } = {}) {
  if (!existsSync(SERVER_ENTRY)) buildServer(log)
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sessionkit-bench-'))
  const server = await startServer(dataDir)
  const rows = []
  try {
    const { cookie, sessionId } = await signIn(server.url)
    for (const [label, requestPath] of [
      ['token mint (`POST …/tokens`, ES256)', `/v1/client/sessions/${sessionId}/tokens`],
      ['touch (`POST …/touch`, one SQLite write)', `/v1/client/sessions/${sessionId}/touch`],
    ]) {
      log(`${label}: ${REQUESTS} requests over ${CONNECTIONS} connections`)
      const result = await load(server.url, requestPath, cookie)
      rows.push({ label, result })
    }
  } finally {
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
  const table = [
    '| request | requests | requests/s (mean) | p50 latency | p99 latency | errors + non-2xx |',
    '| :--- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      ({ label, result }) =>
        `| ${label} | ${result.requests.total} | ${Math.round(result.requests.average)} | ${result.latency.p50} ms | ${result.latency.p99} ms | ${result.errors + result.timeouts + result.non2xx} |`,
    ),
  ].join('\n')
  const mint = rows[0]?.result
  const notes = [
    `Goal: at least 2,000 token mints/s, p99 under 50 ms, 0 errors. Measured: ${Math.round(mint?.requests.average ?? 0)} mints/s, p99 ${mint?.latency.p99} ms, ${mint ? mint.errors + mint.timeouts + mint.non2xx : '?'} errors` +
      ` — load generator and server share the machine's 2 cores, so this is a floor for the server alone.`,
    'One signed-in client, cookie and CSRF header as a browser sends them; rate limits off for the run (they cap touches at 60 a minute per client by design).',
  ].join('\n\n')
  const mintErrors = mint ? mint.errors + mint.timeouts + mint.non2xx : Number.NaN
  const goals = [
    { goal: '≥ 2,000 token mints/s', measured: `${Math.round(mint?.requests.average ?? 0)}/s`, met: (mint?.requests.average ?? 0) >= 2_000 },
    { goal: 'token mint p99 < 50 ms', measured: `${mint?.latency.p99} ms`, met: (mint?.latency.p99 ?? Infinity) < 50 },
    { goal: '0 errors under load', measured: String(mintErrors), met: mintErrors === 0 },
  ]
  return { title: 'Reference server under load (loopback, autocannon)', markdownTable: table, notes, goals }
}
