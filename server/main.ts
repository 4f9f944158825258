import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { pathToFileURL } from 'node:url'
import { ConfigError, describePolicy, loadConfig, type ServerConfig } from './config'
import { openDatabase } from './db'
import { createHandler, type SessionKitHandler } from './handler'
import { BASE_HEADERS, HttpError, errorResponse } from './http'
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

/** Methods a web `Request` refuses to carry (the fetch standard forbids them): answered here, before the handler. */
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK'])
const ALLOWED_METHODS = 'GET, HEAD, POST, DELETE'

// Answered before the request body was read: the connection closes, so leftover bytes are never read as a next request.
const CLOSE = { connection: 'close' }

/**
 * The URL the handler sees: our own base plus only the target's path and
 * query. Neither the Host header nor an absolute-form target
 * (`GET https://evil.example/...`) may choose the scheme or host: the scheme
 * decides whether the cookie is Secure.
 */
function requestUrl(target: string, base: string): URL {
  const unreadable = () =>
    new HttpError(400, 'invalid_request', 'The request target is not a path: send a path such as /v1/client.', undefined, CLOSE)
  let pathAndQuery = target
  if (!target.startsWith('/')) {
    let absolute: URL
    try {
      absolute = new URL(target)
    } catch {
      throw unreadable()
    }
    if (absolute.protocol !== 'http:' && absolute.protocol !== 'https:') throw unreadable()
    pathAndQuery = absolute.pathname + absolute.search
  }
  try {
    return new URL(base + pathAndQuery)
  } catch {
    throw unreadable()
  }
}

function methodNotAllowed(method: string): HttpError {
  const headers = { allow: ALLOWED_METHODS, ...CLOSE }
  return new HttpError(405, 'invalid_request', `${method} is not supported: use ${ALLOWED_METHODS}.`, undefined, headers)
}

/** Node request → web Request. */
function toRequest(req: http.IncomingMessage, body: Buffer | null, url: URL): Request {
  try {
    const headers = new Headers()
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue
      headers.set(name, Array.isArray(value) ? value.join(', ') : value)
    }
    return new Request(url, { method: req.method, headers, body: body && body.length > 0 ? new Uint8Array(body) : null })
  } catch {
    throw new HttpError(400, 'invalid_request', 'The request could not be read: check its method and headers.', undefined, CLOSE)
  }
}

const bodyTooLarge = () => new HttpError(413, 'invalid_request', 'The request body is too large.', undefined, CLOSE)

function readBody(req: http.IncomingMessage): Promise<Buffer | null> {
  if (req.method === 'GET' || req.method === 'HEAD') return Promise.resolve(null)
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return Promise.reject(bodyTooLarge())
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk)
      // Stop buffering but keep draining: destroying the socket would lose the 413 answer.
      req.off('data', onData)
      req.resume()
      reject(bodyTooLarge())
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
    const method = req.method ?? 'GET'
    void (async () => {
      let request: Request
      try {
        if (FORBIDDEN_METHODS.has(method)) throw methodNotAllowed(method)
        const url = requestUrl(req.url ?? '/', base())
        request = toRequest(req, await readBody(req), url)
      } catch (error) {
        if (!(error instanceof HttpError)) throw error
        // The handler's clock is not at hand here; these answers carry no deadlines, only the envelope.
        return writeResponse(res, errorResponse(error, Date.now()), method)
      }
      const response = await handler(request, { remoteAddress: req.socket.remoteAddress })
      await writeResponse(res, response, method)
    })().catch(() => {
      // The handler answers every error itself; this only catches a peer that went away mid-write.
      if (res.headersSent) return void res.end()
      res.writeHead(500, { 'content-type': 'application/json; charset=utf-8', ...BASE_HEADERS })
      const failed = { code: 'server_error', message: 'The server failed to answer; sessionkit will retry.' }
      res.end(JSON.stringify({ errors: [failed], serverNow: Date.now() }))
    })
  }
}

/**
 * Node hands CONNECT to a 'connect' listener with the raw socket, and with
 * none it drops the connection without a word: answer 405 like any method
 * we do not speak.
 */
function refuseConnect(req: http.IncomingMessage, socket: Duplex): void {
  const error = methodNotAllowed(req.method ?? 'CONNECT')
  const body = JSON.stringify({ errors: [{ code: error.code, message: error.message }], serverNow: Date.now() })
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    ...BASE_HEADERS,
    ...error.headers,
    'content-length': Buffer.byteLength(body),
  }
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')
  socket.on('error', () => {})
  socket.end(`HTTP/1.1 405 Method Not Allowed\r\n${head}\r\n${body}`)
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
  server.on('connect', refuseConnect)
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
