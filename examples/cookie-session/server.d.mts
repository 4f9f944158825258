// Types of server.mjs (plain JavaScript, so `node examples/cookie-session/server.mjs` runs it as it is).

/** One account of the demo backend. */
export interface DemoUser {
  id: string
  name: string
  email: string
  password: string
}

/** Demo accounts: password `password`. */
export declare const DEMO_USERS: DemoUser[]

/** Options of `startCookieSessionServer`. Durations are milliseconds. */
export interface CookieSessionServerOptions {
  /** The server's clock. Default `Date.now`; tests pass a virtual clock's `now`. */
  now?: () => number
  /** Sliding inactivity expiry, renewed by `POST /api/session/renew`. Default 120,000 (2 min). */
  inactivityTimeoutMs?: number
  /** Absolute expiry, counted from sign-in. Default 900,000 (15 min). */
  maxLifetimeMs?: number
  /** Add `Secure` to the cookie (behind HTTPS). Default false. */
  secureCookie?: boolean
  /** Accounts that can sign in. Default `DEMO_USERS`. */
  users?: DemoUser[]
  /** Default '127.0.0.1'. */
  host?: string
  /** Default 0 (a free port). */
  port?: number
}

/** A running server. */
export interface CookieSessionServer {
  /** Where the server listens, e.g. `http://127.0.0.1:49152`. */
  url: string
  /** How many sessions are live (expired ones count until they are seen). */
  sessionCount(): number
  /** While true, every /api route answers 503, as a backend being deployed does. */
  setUnavailable(value: boolean): void
  /** Stops listening and drops every connection; sessions are kept (`resume` listens again). */
  stop(): Promise<void>
  /** Listens again on the same port, with the same sessions. */
  resume(): Promise<void>
  /** Stops for good (the same as `stop`). */
  close(): Promise<void>
}

/** Starts the backend on 127.0.0.1, a free port unless told otherwise. */
export declare function startCookieSessionServer(options?: CookieSessionServerOptions): Promise<CookieSessionServer>
