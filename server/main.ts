import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { pathToFileURL } from 'node:url'
import { ConfigError, describePolicy, loadConfig, type ServerConfig } from './config'
import { openDatabase } from './db'
import { createHandler, type SessionKitHandler } from './handler'
import { jsonLineLogger, type Logger } from './log'

export interface StartOptions {
  clock?: { now(): number }
  log?: Logger
  staticDir?: string | null
}

export interface RunningServer {
  /** e.g. `http://127.0.0.1:5174` (the real port when config.port is 0). */
  url: string
  close(): Promise<void>
}

// Bodies are small JSON; refusing big ones early keeps a slow upload from tying up memory.
const MAX_BODY_BYTES = 64 * 1024

/** Node request → web Request. The base URL is ours, not the Host header, which the peer controls. */
function toRequest(req: http.IncomingMessage, body: Buffer | null, base: string): Request {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    headers.set(name, Array.isArray(value) ? value.join(', ') : value)
  }
  return new Request(new URL(req.url ?? '/', base), {
    method: req.method,
    headers,
    body: body && body.length > 0 ? new Uint8Array(body) : null,
  })
}

class BodyTooLarge extends Error {}

function readBody(req: http.IncomingMessage): Promise<Buffer | null> {
  if (req.method === 'GET' || req.method === 'HEAD') return Promise.resolve(null)
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return Promise.reject(new BodyTooLarge())
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk)
      // Stop buffering but keep draining: destroying the socket would lose the 413 answer.
      req.off('data', onData)
      req.resume()
      reject(new BodyTooLarge())
    }
    req.on('data', onData)
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

async function writeResponse(res: http.ServerResponse, response: Response, method: string): Promise<void> {
  const headers: Record<string, string | string[]> = {}
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) headers['set-cookie'] = cookies
  const body = method === 'HEAD' || response.body === null ? null : Buffer.from(await response.arrayBuffer())
  res.writeHead(response.status, headers)
  res.end(body)
}

/** Bridges Node's http server to the web-standard handler. */
export function nodeListener(handler: SessionKitHandler, base: () => string): http.RequestListener {
  return (req, res) => {
    void (async () => {
      let body: Buffer | null
      try {
        body = await readBody(req)
      } catch (error) {
        if (!(error instanceof BodyTooLarge)) throw error
        res.writeHead(413, { 'content-type': 'application/json', 'cache-control': 'no-store', connection: 'close' })
        res.end(JSON.stringify({ errors: [{ code: 'invalid_request', message: 'The request body is too large.' }], serverNow: Date.now() }))
        return
      }
      const response = await handler(toRequest(req, body, base()), { remoteAddress: req.socket.remoteAddress })
      await writeResponse(res, response, req.method ?? 'GET')
    })().catch(() => {
      // The handler answers every error itself; this only catches a peer that went away mid-write.
      if (!res.headersSent) res.writeHead(500)
      res.end()
    })
  }
}

/** Opens the database, builds the handler and listens on config.host:config.port. */
export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const db = openDatabase(config.dataDir)
  let handler: SessionKitHandler
  try {
    handler = createHandler({ config, db, clock: options.clock, log: options.log, staticDir: options.staticDir })
  } catch (error) {
    db.close()
    throw error
  }
  let url = ''
  const server = http.createServer(nodeListener(handler, () => url))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.port, config.host, () => resolve())
  }).catch((error: unknown) => {
    db.close()
    throw error
  })
  const { port } = server.address() as AddressInfo
  url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`
  let closing: Promise<void> | null = null
  return {
    url,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve())
        // Idle keep-alive connections would hold close() open until they time out; requests
        // still running get a moment to finish before their connections are cut.
        server.closeIdleConnections()
        setTimeout(() => server.closeAllConnections(), 2_000).unref()
      }).then(() => db.close())),
  }
}

async function main(): Promise<void> {
  let config: ServerConfig
  try {
    config = loadConfig(process.env)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    process.stderr.write(`${error.message}\n`)
    process.exit(1)
  }
  const server = await startServer(config, { log: jsonLineLogger })
  process.stdout.write(`sessionkit server listening on ${server.url}${config.testClock ? ' (test clock enabled)' : ''}\n`)
  process.stdout.write(`sessionkit policy: ${describePolicy(config)}\n`)
  const stop = (signal: string) => {
    process.stdout.write(`${signal}: stopping sessionkit server\n`)
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.once('SIGINT', () => stop('SIGINT'))
  process.once('SIGTERM', () => stop('SIGTERM'))
}

// Run only as the entry point (`node dist/server.mjs`), not when imported by tests or benchmarks.
if (process.argv[1] && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`sessionkit server failed to start: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(1)
  })
}
