import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { loadConfig, type ServerConfig } from '../../server/config'
import { openDatabase, type Database } from '../../server/db'
import { createHandler, type SessionKitHandler } from '../../server/handler'
import type { LogEntry } from '../../server/log'

export const T0 = Date.UTC(2030, 0, 1)
export const ADA = { identifier: 'ada@example.com', password: 'password' }
export const ALAN = { identifier: 'alan@example.com', password: 'password' }

/** A fresh data dir under the OS temp dir; remove it with `removeDir`. */
export const makeDataDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'sessionkit-server-'))
export const removeDir = (dir: string) => fs.rmSync(dir, { recursive: true, force: true })

export class ManualClock {
  constructor(public time = T0) {}
  now = () => this.time
  advance(ms: number) {
    this.time += ms
  }
}

export interface Call {
  body?: unknown
  headers?: Record<string, string>
  /** Leave out the CSRF header (it is sent by default on POST/DELETE). */
  noCsrf?: boolean
  /** Send no cookie (a new browser). */
  noCookie?: boolean
  ip?: string
}

/** A browser in miniature: one cookie jar in front of a handler. */
export class Browser {
  cookie: string | null = null
  constructor(
    private readonly env: TestServer,
    private readonly origin = 'http://localhost',
  ) {}

  async call(method: string, route: string, call: Call = {}) {
    const headers = new Headers(call.headers)
    if ((method === 'POST' || method === 'DELETE') && !call.noCsrf) headers.set('x-sessionkit-client', '1')
    if (this.cookie && !call.noCookie) headers.set('cookie', this.cookie)
    if (call.body !== undefined) headers.set('content-type', 'application/json')
    const request = new Request(this.origin + route, {
      method,
      headers,
      body: call.body === undefined ? null : JSON.stringify(call.body),
    })
    const response = await this.env.handler(request, { remoteAddress: call.ip ?? '10.0.0.1' })
    const setCookie = response.headers.getSetCookie()[0]
    if (setCookie) this.cookie = setCookie.split(';')[0]!
    const text = await response.text()
    const json = response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined
    return { status: response.status, headers: response.headers, json, text, setCookie }
  }

  signIn(who = ADA, extra: Record<string, unknown> = {}) {
    return this.call('POST', '/v1/client/sign_ins', { body: { ...who, ...extra } })
  }

  async signedInSessionId(who = ADA): Promise<string> {
    const { json } = await this.signIn(who)
    return json.data.lastActiveSessionId as string
  }

  token(sessionId: string, template?: string, body: unknown = {}) {
    return this.call('POST', `/v1/client/sessions/${sessionId}/tokens${template ? `/${template}` : ''}`, { body })
  }
}

export interface TestServer {
  dir: string
  config: ServerConfig
  db: Database
  clock: ManualClock
  handler: SessionKitHandler
  logs: LogEntry[]
  browser(origin?: string): Browser
  /** Closes the database and opens a new one and a new handler on the same data dir (a restart). */
  restart(): void
  close(): void
}

let seeded: Buffer | null = null

/**
 * A data dir holding an already-seeded database. Seeding hashes the demo
 * password with scrypt and makes a signing key (about 0.3 s), so tests seed
 * once per file, keep the bytes, and write a copy into each new dir.
 */
export function seededDataDir(): string {
  if (!seeded) {
    const template = makeDataDir()
    try {
      const db = openDatabase(template)
      createHandler({ config: loadConfig({ SESSIONKIT_DATA: template }), db, log: () => {} })
      db.close()
      seeded = fs.readFileSync(path.join(template, 'sessionkit.db'))
    } finally {
      removeDir(template)
    }
  }
  const dir = makeDataDir()
  fs.writeFileSync(path.join(dir, 'sessionkit.db'), seeded)
  return dir
}

export function makeServer(env: Record<string, string> = {}, dir = seededDataDir()): TestServer {
  const config = loadConfig({ SESSIONKIT_DATA: dir, ...env })
  const clock = new ManualClock()
  const logs: LogEntry[] = []
  const server: TestServer = {
    dir,
    config,
    clock,
    logs,
    db: openDatabase(dir),
    handler: undefined as unknown as SessionKitHandler,
    browser: (origin) => new Browser(server, origin),
    restart() {
      server.db.close()
      server.db = openDatabase(dir)
      server.handler = createHandler({ config, db: server.db, clock, log: (entry) => logs.push(entry) })
    },
    close() {
      server.db.close()
      removeDir(dir)
    },
  }
  server.handler = createHandler({ config, db: server.db, clock, log: (entry) => logs.push(entry) })
  return server
}

/**
 * A fetch that keeps one browser's cookie between requests, as a real browser does: the first
 * Set-Cookie of each answer replaces it. `headers` go on every request too (a device's user agent).
 */
export function cookieJarFetch(headers: Record<string, string> = {}) {
  let cookie: string | null = null
  return async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const sent = new Headers(init.headers)
    for (const [name, value] of Object.entries(headers)) sent.set(name, value)
    if (cookie) sent.set('cookie', cookie)
    const response = await fetch(input, { ...init, headers: sent })
    const set = response.headers.getSetCookie()[0]
    if (set) cookie = set.split(';')[0]!
    return response
  }
}
