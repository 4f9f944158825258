// The cookie-session example on loopback: the example's backend on a virtual
// clock, and a browser in miniature in front of it. Tests only.
import { afterEach } from 'vitest'
import { startCookieSessionServer, type CookieSessionServerOptions } from '../../examples/cookie-session/server.mjs'
import { clampDelay, type TimerHandle } from '../../src/core/clock'
import { createVirtualClock, type VirtualClock } from '../../src/core/virtualClock'

export const SECOND = 1_000
export const MINUTE = 60 * SECOND
/** The backend's lifetimes in these tests (its defaults): 2 min of inactivity, 15 min at most. */
export const INACTIVITY_MS = 2 * MINUTE
export const MAX_LIFETIME_MS = 15 * MINUTE

const cleanups: Array<() => unknown> = []
/** Runs what `onCleanup` registered, last first: clients before the server they talk to. */
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** Registers `cleanup` to run after the current test. */
export function onCleanup(cleanup: () => unknown) {
  cleanups.push(cleanup)
}

/**
 * The backend on 127.0.0.1 (a free port) and one browser, on one virtual
 * clock: the server reads it too, `skewMs` ahead, so both sides agree on time
 * and skew is real. Stopped after the test.
 */
export async function createCookieWorld({ skewMs = 0, ...options }: CookieSessionServerOptions & { skewMs?: number } = {}) {
  const { clock, nextTimerAfter } = createTimedClock()
  const server = await startCookieSessionServer({
    now: () => clock.now() + skewMs,
    inactivityTimeoutMs: INACTIVITY_MS,
    maxLifetimeMs: MAX_LIFETIME_MS,
    ...options,
  })
  onCleanup(() => server.close())
  const browser = createCookieBrowser(server.url)

  /** Lets every request on its way reach the server and its answer reach the client. */
  async function settle() {
    do {
      await browser.idle()
      await clock.advanceAsync(0)
    } while (browser.pending() > 0)
  }

  /**
   * Moves virtual time to `at` from one timer to the next, settling the
   * network after each: a request sent at t is answered with the server's
   * time at t, as on a very fast network, so times compare exactly.
   */
  async function advanceTo(at: number) {
    await settle()
    while (clock.now() < at) {
      await clock.advanceAsync(Math.min(at, nextTimerAfter(clock.now())) - clock.now())
      await settle()
    }
  }

  return { clock, server, browser, settle, advanceTo }
}

/** A virtual clock that also tells when its next timer is due, so time can move timer by timer. */
function createTimedClock() {
  const virtual = createVirtualClock()
  const dues = new Map<TimerHandle, number>()
  const clock: VirtualClock = {
    ...virtual,
    setTimeout(callback, ms) {
      const handle = virtual.setTimeout(() => {
        dues.delete(handle)
        callback()
      }, ms)
      dues.set(handle, virtual.now() + clampDelay(ms))
      return handle
    },
    clearTimeout(handle) {
      dues.delete(handle)
      virtual.clearTimeout(handle)
    },
  }
  const nextTimerAfter = (now: number) => Math.min(Infinity, ...[...dues.values()].filter((due) => due > now))
  return { clock, nextTimerAfter }
}

// What a browser does for a cookie-session adapter, which Node's fetch does
// not: keep the cookie jar. Like a browser on another origin (jsdom's page is
// http://localhost:3000, the backend 127.0.0.1), it sends the cookie only when
// the request says `credentials: 'include'`, so an adapter that forgot it
// fails here as it would in a browser.

/** The fetch signature the cookie-session adapter takes. */
export type Fetch = (input: string, init: RequestInit) => Promise<Response>

/** One browser's view of the backend at `url`: a cookie-keeping `fetch`, and a way to wait for the network. */
export function createCookieBrowser(url: string) {
  const jar = new Map<string, string>()
  const inFlight = new Set<Promise<unknown>>()
  /** `METHOD /path status`, in the order the answers arrived. */
  const log: string[] = []
  /** Every Set-Cookie header received, as sent. */
  const setCookies: string[] = []

  const fetch: Fetch = (input, init = {}) => {
    const exchange = (async () => {
      const headers = new Headers(init.headers)
      if (init.credentials === 'include' && jar.size > 0) {
        headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '))
      }
      const response = await globalThis.fetch(input, { ...init, headers, redirect: 'manual' })
      for (const line of response.headers.getSetCookie()) {
        setCookies.push(line)
        const [pair = '', ...attributes] = line.split(';')
        const [name = '', value = ''] = pair.trim().split('=')
        const expired = attributes.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a))
        if (expired || value === '') jar.delete(name)
        else jar.set(name, value)
      }
      // Read the body now, so "the network is idle" includes it.
      const body = await response.arrayBuffer()
      log.push(`${init.method ?? 'GET'} ${new URL(input).pathname} ${response.status}`)
      const empty = [101, 204, 205, 304].includes(response.status)
      return new Response(empty ? null : body, { status: response.status, headers: response.headers })
    })()
    inFlight.add(exchange)
    void exchange.then(
      () => inFlight.delete(exchange),
      () => inFlight.delete(exchange),
    )
    return exchange
  }

  return {
    fetch,
    log,
    setCookies,
    /** The cookie names this browser holds (its values are nobody's business). */
    cookieNames: () => [...jar.keys()],
    /** Signs in the way the app's own login form does: POST /login, outside sessionkit. */
    async login(email = 'ada@example.com', password = 'password') {
      const response = await fetch(`${url}/login`, {
        method: 'POST',
        credentials: 'include',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      })
      if (response.status !== 200) throw new Error(`login answered ${response.status}`)
    },
    /** What the backend says of this browser's session now (a read: it does not renew). */
    async session(): Promise<{ status: number; expiresAt?: number }> {
      const response = await fetch(`${url}/api/session`, { method: 'GET', credentials: 'include' })
      return { status: response.status, ...(response.status === 200 ? await response.json() : {}) }
    },
    /** How many requests are on their way. */
    pending: () => inFlight.size,
    /** Resolves once no request is on its way, answers included. */
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight])
    },
  }
}

/** A cookie browser's type. */
export type CookieBrowser = ReturnType<typeof createCookieBrowser>
