// Runs the built reference server (dist-server/server.mjs) as a child process,
// the way `npm start` does, on a free port of 127.0.0.1 with the test clock on.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const SERVER_ENTRY = path.join(ROOT, 'dist-server/server.mjs')
export const APP_DIST = path.join(ROOT, 'examples/app/dist')

/** The demo's lifetimes (as `npm start` sets them), with the test clock on. */
export const E2E_SERVER_ENV: Record<string, string> = {
  SESSIONKIT_HOST: '127.0.0.1',
  SESSIONKIT_STATIC: APP_DIST,
  SESSIONKIT_TEST_CLOCK: '1',
  SESSIONKIT_INACTIVITY_TIMEOUT: '2m',
  SESSIONKIT_MAX_LIFETIME: '15m',
  SESSIONKIT_TOKEN_LIFETIME: '60s',
}

/** How long a server may take to say it listens (a guard, never waited out when it starts). */
const START_TIMEOUT_MS = 15_000

export interface ServerStats {
  routes: Record<string, number>
  tokenMints: number
  touches: number
}

export class DemoServer {
  url = ''
  port = 0
  readonly dataDir: string
  readonly #env: Record<string, string>
  #child: ChildProcess | null = null
  /** The server's last lines of output, for a failing test's report. */
  readonly output: string[] = []

  constructor(env: Record<string, string> = {}) {
    this.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sessionkit-e2e-'))
    this.#env = env
  }

  /** Starts the server on the data dir; on the same port again after a `stop()`. */
  async start(): Promise<void> {
    if (!fs.existsSync(SERVER_ENTRY)) throw new Error(`${SERVER_ENTRY} is missing: run \`npm run build:server\` (the e2e global setup does).`)
    const env = {
      ...process.env,
      ...E2E_SERVER_ENV,
      ...this.#env,
      SESSIONKIT_PORT: String(this.port),
      SESSIONKIT_DATA: this.dataDir,
    }
    const child = spawn(process.execPath, [SERVER_ENTRY], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    this.#child = child
    const record = (chunk: string) => {
      for (const line of chunk.split('\n')) if (line) this.output.push(line)
      if (this.output.length > 300) this.output.splice(0, this.output.length - 300)
    }
    child.stderr!.setEncoding('utf8').on('data', record)
    child.stdout!.setEncoding('utf8')
    this.url = await new Promise<string>((resolve, reject) => {
      let seen = ''
      const guard = setTimeout(() => fail(new Error(`the server did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS)
      const fail = (error: Error) => {
        clearTimeout(guard)
        reject(new Error(`${error.message}\n${this.output.slice(-20).join('\n')}`))
      }
      child.stdout!.on('data', (chunk: string) => {
        record(chunk)
        seen += chunk
        const match = /listening on (http:\/\/[^\s]+)/.exec(seen)
        if (match) {
          clearTimeout(guard)
          seen = ''
          resolve(match[1]!)
        }
      })
      child.once('error', fail)
      child.once('exit', (code) => fail(new Error(`the server exited with status ${code}`)))
    })
    this.port = Number(new URL(this.url).port)
  }

  /** Stops the server (SIGTERM: it closes its connections and the database). */
  async stop(): Promise<void> {
    const child = this.#child
    this.#child = null
    if (!child || child.exitCode !== null) return
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill('SIGTERM')
    await exited
  }

  /** Same data dir, same port: sessions must survive. */
  async restart(): Promise<void> {
    await this.stop()
    await this.start()
  }

  /** Stops the server and deletes its data dir. */
  async dispose(): Promise<void> {
    await this.stop()
    fs.rmSync(this.dataDir, { recursive: true, force: true })
  }

  async #call<T>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await fetch(this.url + route, {
      method,
      headers: { 'x-sessionkit-client': '1', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const json = (await response.json()) as { data: T }
    if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${JSON.stringify(json)}`)
    return json.data
  }

  /** Moves the server's test clock forward. */
  advanceClock(ms: number): Promise<{ now: number }> {
    return this.#call('POST', '/__test/clock', { advanceMs: ms })
  }

  /** The server's test clock now (it runs in real time plus every `advanceClock`). */
  async clockNow(): Promise<number> {
    return (await this.#call<{ now: number }>('GET', '/__test/clock')).now
  }

  /** Requests per route since the start (or the last `resetStats`). */
  stats(): Promise<ServerStats> {
    return this.#call('GET', '/__test/stats')
  }

  resetStats(): Promise<ServerStats> {
    return this.#call('DELETE', '/__test/stats')
  }
}
