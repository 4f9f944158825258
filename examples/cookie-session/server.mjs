// "The app's existing backend", in miniature: a plain Node http server with
// its own cookie session, the kind sessionkit meets in the wild. Nothing here
// knows sessionkit; `cookieSessionAdapter.ts` maps these endpoints onto the
// adapter contract.
//
//   POST /login                 { email, password } as JSON or a form → sets the HttpOnly cookie `sid`
//   GET  /api/session           the session, or 401        (reading is not activity: it never renews)
//   POST /api/session/renew     renews the inactivity deadline, or 401
//   POST /api/session/logout    ends the session, clears the cookie → 204
//
// A session answer: { user: { id, name, email }, createdAt, expiresAt, absoluteExpiresAt, now }
// (epoch ms on this server's clock). Run it alone with `node examples/cookie-session/server.mjs`.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import http from 'node:http'
import { pathToFileURL } from 'node:url'

/** Demo accounts: password `password`. */
export const DEMO_USERS = [
  { id: 'user_ada', name: 'Ada Lovelace', email: 'ada@example.com', password: 'password' },
  { id: 'user_alan', name: 'Alan Turing', email: 'alan@example.com', password: 'password' },
]

const COOKIE = 'sid'
const MAX_BODY_BYTES = 10 * 1024
const sha256 = (text) => createHash('sha256').update(text).digest()

/**
 * Starts the server on `host:port` (default 127.0.0.1, a free port). Options:
 * `now` (default Date.now: tests pass a virtual clock's), `inactivityTimeoutMs`
 * (default 2 min, sliding), `maxLifetimeMs` (default 15 min from sign-in),
 * `secureCookie` (default false; true behind HTTPS), `users` (default DEMO_USERS).
 */
export async function startCookieSessionServer(options = {}) {
  const {
    now = Date.now,
    inactivityTimeoutMs = 2 * 60_000,
    maxLifetimeMs = 15 * 60_000,
    secureCookie = false,
    users = DEMO_USERS,
    host = '127.0.0.1',
    port = 0,
  } = options
  /** sid → session. The cookie value is the only key; it is never sent back in a body. */
  const sessions = new Map()
  let unavailable = false

  const cookie = (value, maxAgeSeconds) =>
    `${COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secureCookie ? '; Secure' : ''}`
  const clearCookie = cookie('', 0)

  /** The live session of this request, or null (an expired one is deleted on sight). */
  function sessionOf(request) {
    const sid = readCookie(request.headers.cookie, COOKIE)
    const session = sid === null ? undefined : sessions.get(sid)
    if (!session) return null
    if (now() >= session.expiresAt || now() >= session.absoluteExpiresAt) {
      sessions.delete(sid)
      return null
    }
    return { sid, session }
  }

  const answer = (session) => ({
    user: session.user,
    createdAt: session.createdAt,
    expiresAt: session.expiresAt,
    absoluteExpiresAt: session.absoluteExpiresAt,
    now: now(),
  })

  async function login(request, response) {
    const body = await readBody(request)
    const user = users.find((u) => u.email === body.email)
    // Compare digests in constant time, and do the work for unknown emails too.
    const passwordOk = timingSafeEqual(sha256(String(body.password ?? '')), sha256(user?.password ?? randomBytes(16)))
    if (!user || !passwordOk) return send(response, 401, { error: 'invalid_credentials' })
    // A new sid at every sign-in (no session fixation); the old one ends.
    const previous = readCookie(request.headers.cookie, COOKIE)
    if (previous !== null) sessions.delete(previous)
    const sid = randomBytes(32).toString('base64url')
    const at = now()
    const session = {
      user: { id: user.id, name: user.name, email: user.email },
      createdAt: at,
      expiresAt: Math.min(at + inactivityTimeoutMs, at + maxLifetimeMs),
      absoluteExpiresAt: at + maxLifetimeMs,
    }
    sessions.set(sid, session)
    response.setHeader('set-cookie', cookie(sid, Math.ceil(maxLifetimeMs / 1000)))
    // A plain HTML form gets a redirect; a script gets the session.
    if (isForm(request)) return redirect(response, '/')
    send(response, 200, answer(session))
  }

  async function handle(request, response) {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost')
    const route = `${request.method} ${pathname}`
    if (unavailable && pathname.startsWith('/api/')) return send(response, 503, { error: 'unavailable' })
    if (route === 'POST /login') return login(request, response)
    if (route === 'POST /api/session/logout') {
      const sid = readCookie(request.headers.cookie, COOKIE)
      if (sid !== null) sessions.delete(sid)
      response.setHeader('set-cookie', clearCookie)
      return send(response, 204)
    }
    if (route === 'GET /api/session' || route === 'POST /api/session/renew') {
      const current = sessionOf(request)
      if (!current) {
        response.setHeader('set-cookie', clearCookie)
        return send(response, 401, { error: 'unauthenticated' })
      }
      const { session } = current
      if (request.method === 'POST') {
        // Sliding expiry: activity moves the inactivity deadline, never past the absolute one.
        session.expiresAt = Math.min(now() + inactivityTimeoutMs, session.absoluteExpiresAt)
      }
      return send(response, 200, answer(session))
    }
    if (['/login', '/api/session', '/api/session/renew', '/api/session/logout'].includes(pathname)) {
      return send(response, 405, { error: 'method_not_allowed' })
    }
    send(response, 404, { error: 'not_found' })
  }

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error) => {
      if (response.headersSent) return response.destroy()
      send(response, error instanceof BadRequest ? error.status : 500, { error: error instanceof BadRequest ? error.message : 'internal' })
    })
  })
  await listen(server, port, host)
  const address = server.address()
  const url = `http://${host}:${address.port}`

  async function stop() {
    await new Promise((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
  }

  return {
    /** Where the server listens, e.g. `http://127.0.0.1:49152`. */
    url,
    /** How many sessions are live (expired ones count until they are seen). */
    sessionCount: () => sessions.size,
    /** While true, every /api route answers 503, as a backend being deployed does. */
    setUnavailable(value) {
      unavailable = value
    },
    /** Stops listening and drops every connection; sessions are kept (`resume` listens again). */
    stop,
    /** Stops for good (the same as `stop`; for tests' afterEach). */
    close: stop,
    /** Listens again on the same port, with the same sessions. */
    resume: () => listen(server, address.port, host),
  }
}

class BadRequest extends Error {
  constructor(status, message) {
    super(message)
    this.status = status
  }
}

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
}

function readCookie(header, name) {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=')
    if (key === name && value.length > 0) return value.join('=') || null
  }
  return null
}

const isForm = (request) => (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')

/** A JSON or form body as a plain object; 413 past MAX_BODY_BYTES, 400 when it does not parse. */
async function readBody(request) {
  const chunks = []
  let size = 0
  for await (const chunk of request) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) throw new BadRequest(413, 'body_too_large')
    chunks.push(chunk)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  if (isForm(request)) return Object.fromEntries(new URLSearchParams(text))
  try {
    const body = text === '' ? {} : JSON.parse(text)
    return body !== null && typeof body === 'object' ? body : {}
  } catch {
    throw new BadRequest(400, 'invalid_json')
  }
}

function send(response, status, body) {
  // Session answers are personal and change with every renew: never cached.
  response.setHeader('cache-control', 'no-store')
  if (body === undefined) return response.writeHead(status).end()
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}

function redirect(response, location) {
  response.writeHead(303, { location, 'cache-control': 'no-store' }).end()
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = await startCookieSessionServer({ port: Number(process.env.PORT ?? 0) })
  console.log(`cookie-session backend at ${server.url} (ada@example.com / password)`)
}
