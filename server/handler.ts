import type { ServerConfig } from './config'
import { RequestContext, type App } from './context'
import type { Database } from './db'
import { HttpError, dataResponse, errorResponse, jsonResponse } from './http'
import { jsonLineLogger, type Logger } from './log'
import { pruneIfDue } from './prune'
import { FixedWindowLimiter } from './rateLimit'
import { apiRoutes } from './routes/api'
import { clientRoutes } from './routes/client'
import { impersonationRoutes } from './routes/impersonation'
import { meRoutes } from './routes/me'
import type { Route } from './routes/route'
import { sessionRoutes } from './routes/sessions'
import { AdjustableClock, testRoutes } from './routes/testing'
import { serveStatic } from './static'
import { loadSigningKey } from './tokens'
import { seedDemoUsers } from './users'

export interface HandlerOptions {
  config: ServerConfig
  /** Opened with `openDatabase(config.dataDir)`; the caller closes it. */
  db: Database
  /** The server's time source; defaults to `Date.now`. Under SESSIONKIT_TEST_CLOCK it is wrapped so `/__test/clock` can move it. */
  clock?: { now(): number }
  log?: Logger
  /** A built app to serve for GETs that match no API route; defaults to `config.staticDir`. */
  staticDir?: string | null
}

/** Extra facts a runtime knows about the request that a `Request` does not carry. */
export interface RequestInfo {
  /** The peer's address, for per-IP rate limits. */
  remoteAddress?: string
}

export type SessionKitHandler = (request: Request, info?: RequestInfo) => Promise<Response>

/** Paths owned by the API: never answered with the app's index.html. */
const API_PREFIXES = ['/v1/', '/api/', '/.well-known/', '/__test/']
const isApiPath = (path: string) => path === '/v1' || API_PREFIXES.some((prefix) => path.startsWith(prefix))

/**
 * The sessionkit protocol v1 as a web-standard handler, so it runs on Node
 * (see main.ts), Deno, Bun or a worker runtime alike. Seeds demo users and
 * the signing key on first start.
 */
export function createHandler(options: HandlerOptions): SessionKitHandler {
  const { config, db } = options
  const baseClock = options.clock ?? { now: () => Date.now() }
  const testClock = config.testClock ? new AdjustableClock(baseClock) : null
  const clock = testClock ?? baseClock
  const staticDir = options.staticDir === undefined ? config.staticDir : options.staticDir
  seedDemoUsers(db)
  const looserSignInLimit = config.signInRateLimit && { ...config.signInRateLimit, limit: config.signInRateLimit.limit * 10 }
  const app: App = {
    db,
    config,
    clock,
    key: loadSigningKey(db, clock.now()),
    limiters: {
      signIn: new FixedWindowLimiter(config.signInRateLimit, () => clock.now()),
      // Per IP alone, ten times looser: a script that drops its cookie gets a new client each time.
      signInPerIp: new FixedWindowLimiter(looserSignInLimit, () => clock.now()),
      // Per account, as loose: guesses spread over many addresses still reach one account's window.
      signInPerAccount: new FixedWindowLimiter(looserSignInLimit, () => clock.now()),
      touch: new FixedWindowLimiter(config.touchRateLimit, () => clock.now()),
    },
    stats: new Map(),
    log: options.log ?? jsonLineLogger,
    lastPruneAt: Number.NEGATIVE_INFINITY,
  }
  const routes: Route[] = [...clientRoutes, ...sessionRoutes, ...impersonationRoutes, ...meRoutes, ...apiRoutes, ...(testClock ? testRoutes(testClock) : [])]

  return async (request, info) => {
    const started = performance.now()
    const method = request.method.toUpperCase()
    const ctx = new RequestContext(app, request, info?.remoteAddress)
    const path = ctx.url.pathname
    let response: Response
    try {
      pruneIfDue(app, ctx.now)
      response = await dispatch(ctx, method, routes, staticDir)
    } catch (error) {
      response = toErrorResponse(error, app, path)
    }
    // Also on errors: a failed sign-in from a new browser must still pin its client (and its rate limit).
    const cookie = ctx.setCookieHeader()
    if (cookie) response.headers.append('set-cookie', cookie)
    app.log({
      level: response.status >= 500 ? 'error' : 'info',
      msg: 'request',
      method,
      path,
      status: response.status,
      ms: Math.round((performance.now() - started) * 100) / 100,
    })
    return response
  }
}

async function dispatch(ctx: RequestContext, method: string, routes: Route[], staticDir: string | null): Promise<Response> {
  const path = ctx.url.pathname
  const candidates: Route[] = []
  for (const route of routes) {
    const match = route.pattern.exec(path)
    if (!match) continue
    candidates.push(route)
    if (route.method !== method) continue
    // A custom header cannot be sent cross-site without a CORS preflight, which we never grant.
    if ((method === 'POST' || method === 'DELETE') && ctx.request.headers.get('x-sessionkit-client') !== '1') {
      throw new HttpError(403, 'forbidden', 'Missing the "X-SessionKit-Client: 1" header that every POST and DELETE must carry.')
    }
    ctx.app.stats.set(route.name, (ctx.app.stats.get(route.name) ?? 0) + 1)
    const result = await route.handle(ctx, match.slice(1))
    return result instanceof Response ? result : dataResponse(result, ctx.app.clock.now())
  }
  if (candidates.length > 0) {
    const allow = [...new Set(candidates.map((route) => route.method))].join(', ')
    throw new HttpError(405, 'invalid_request', `${method} is not supported here; use ${allow}.`, undefined, { allow })
  }
  if (!isApiPath(path) && staticDir && (method === 'GET' || method === 'HEAD')) return serveStatic(staticDir, ctx.url, method)
  throw new HttpError(404, 'invalid_request', `No such endpoint: ${method} ${path}.`)
}

function toErrorResponse(error: unknown, app: App, path: string): Response {
  if (error instanceof HttpError) return errorResponse(error, app.clock.now())
  // The message may say which query failed; it never contains request data (bound as parameters).
  app.log({ level: 'error', msg: 'unhandled error', path, error: error instanceof Error ? error.message : String(error) })
  return jsonResponse(500, {
    errors: [{ code: 'server_error', message: 'The server failed to answer; sessionkit will retry.' }],
    serverNow: app.clock.now(),
  })
}
