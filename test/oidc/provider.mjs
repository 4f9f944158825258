// Starts the test OpenID provider (server.mjs) in a child process and drives
// it over its /__test/* control API. A child of its own because the
// provider's clock is moved by shifting `Date` in its whole process: the test
// process (and Vitest's own timing) keeps the real clock.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

// Under Vitest's jsdom environment `import.meta.url` is not a file URL, but each module has its `__dirname`.
const SERVER = import.meta.url.startsWith('file:')
  ? fileURLToPath(import.meta.url).replace(/provider\.mjs$/, 'server.mjs')
  : join(typeof __dirname === 'string' ? __dirname : '.', 'server.mjs')
/** A guard for a provider that never says it listens; never waited out when it starts. */
const START_TIMEOUT_MS = 20_000

/** @param {import('./provider.d.mts').OidcProviderOptions} [options] */
export async function startOidcProvider(options = {}) {
  const config = {
    port: options.port ?? 0,
    clientId: options.clientId,
    redirectUris: options.redirectUris,
    postLogoutRedirectUris: options.postLogoutRedirectUris,
    ttlSeconds: options.ttlSeconds,
  }
  const child = spawn(process.execPath, [SERVER, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'pipe'] })
  /** @type {string[]} */
  const output = []
  const record = (/** @type {Buffer} */ chunk) => {
    for (const line of chunk.toString().split('\n')) if (line && !line.startsWith('oidc-provider WARNING')) output.push(line)
    if (output.length > 200) output.splice(0, output.length - 200)
  }
  child.stderr.on('data', record)

  /** @type {{ issuer: string, clientId: string, port: number }} */
  const ready = await new Promise((resolve, reject) => {
    let buffered = ''
    const timer = setTimeout(() => fail(new Error(`the test OIDC provider did not start within ${START_TIMEOUT_MS} ms:\n${output.join('\n')}`)), START_TIMEOUT_MS)
    const fail = (/** @type {Error} */ error) => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(error)
    }
    child.once('exit', (code) => fail(new Error(`the test OIDC provider exited (${code}) before it listened:\n${output.join('\n')}`)))
    child.stdout.on('data', (chunk) => {
      buffered += chunk.toString()
      const line = buffered.split('\n').find((l) => l.startsWith('OIDC_READY '))
      if (!line) return
      clearTimeout(timer)
      child.removeAllListeners('exit')
      resolve(JSON.parse(line.slice('OIDC_READY '.length)))
    })
  })

  const control = async (/** @type {string} */ method, /** @type {string} */ path) => {
    const response = await fetch(`${ready.issuer}/__test/${path}`, { method })
    if (!response.ok) throw new Error(`test OIDC provider control ${method} ${path}: ${response.status} ${await response.text()}`)
    return response.json()
  }

  let stopped = false
  return {
    issuer: ready.issuer,
    clientId: ready.clientId,
    port: ready.port,
    output,
    stats: () => control('GET', 'stats'),
    now: async () => (await control('GET', 'now')).now,
    advance: async (/** @type {number} */ ms) => (await control('POST', `advance?ms=${ms}`)).now,
    setNow: async (/** @type {number} */ at) => (await control('POST', `clock?at=${at}`)).now,
    setDown: async (/** @type {boolean} */ isDown, /** @type {'reset' | '503'} */ mode = 'reset') => {
      await control('POST', `down?on=${isDown ? 1 : 0}&mode=${mode}`)
    },
    async stop() {
      if (stopped) return
      stopped = true
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(timer)
    },
  }
}
