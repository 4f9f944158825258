import type { ServerConfig } from './config'
import { cookieMaxAgeSeconds, cookieName, hashClientToken, isWellFormedToken, newClientToken, newId, parseCookies, serializeClientCookie } from './cookies'
import type { Database } from './db'
import { HttpError } from './http'
import type { Logger } from './log'
import { rateLimitAddress, type FixedWindowLimiter } from './rateLimit'
import type { SigningKey } from './tokens'

/** What every request shares: built once by `createHandler`. */
export interface App {
  db: Database
  config: ServerConfig
  clock: { now(): number }
  key: SigningKey
  limiters: {
    signIn: FixedWindowLimiter
    signInPerIp: FixedWindowLimiter
    signInPerAccount: FixedWindowLimiter
    touch: FixedWindowLimiter
  }
  /** Requests answered per route name, for `/__test/stats` and benchmarks. */
  stats: Map<string, number>
  log: Logger
  /** Housekeeping state: when rows that can no longer matter were last pruned (see prune.ts). */
  lastPruneAt: number
}

interface ResolvedClient {
  id: string
  token: string
  /** Whether its cookie is the `__Host-` Secure one: the answer re-sends it as it came, never downgraded to plain. */
  hostCookie: boolean
  /** False for a browser without a known client: its id names no row until `persistClient()` writes one. */
  persisted: boolean
}

/** One request: its time, its client (resolved on demand) and the cookie to send back. */
export class RequestContext {
  /** One timestamp per request, so every deadline in one answer agrees. */
  readonly now: number
  readonly url: URL
  readonly secure: boolean
  readonly ip: string
  private resolvedClient: ResolvedClient | null = null

  constructor(
    readonly app: App,
    readonly request: Request,
    remoteAddress: string | undefined,
  ) {
    this.now = app.clock.now()
    this.url = new URL(request.url)
    // Behind our own proxy the last entry of each X-Forwarded-* header is the one it added; earlier ones are
    // client-supplied, so a client cannot claim https (and get the __Host- cookie) or another address.
    const proxied = app.config.trustProxy
    const lastForwarded = (name: string) => (proxied ? request.headers.get(name)?.split(',').pop()?.trim() : undefined)
    this.secure = this.url.protocol === 'https:' || lastForwarded('x-forwarded-proto') === 'https'
    this.ip = lastForwarded('x-forwarded-for') || remoteAddress || 'unknown'
  }

  get db(): Database {
    return this.app.db
  }

  get config(): ServerConfig {
    return this.app.config
  }

  /**
   * This browser's client id. A missing or unknown cookie gets a provisional
   * id that names no row, so its reads find no sessions and its writes change
   * nothing: a crawler or script without cookies stores nothing. Only sign-in
   * writes the client (`persistClient`). A cookie value we did not issue is
   * never adopted.
   */
  clientId(): string {
    if (this.resolvedClient) return this.resolvedClient.id
    const cookies = parseCookies(this.request.headers.get('cookie'))
    // A plain-http request may carry the __Host- cookie too: an app's server rendering behind TLS forwards
    // the browser's cookie over http. Accepting it is safe: only https on this host can have set it. Either
    // may be stale (Chrome sends Secure cookies to http://localhost), so the first naming a known client wins.
    const names = this.secure ? [true] : [true, false]
    for (const hostCookie of names) {
      const token = cookies.get(cookieName(hostCookie))
      if (!isWellFormedToken(token)) continue
      const row = this.db.get<{ id: string }>('SELECT id FROM clients WHERE token_hash = ?', [hashClientToken(token)])
      if (row) return (this.resolvedClient = { id: row.id, token, hostCookie, persisted: true }).id
    }
    const provisional = { id: newId('client'), token: newClientToken(), hostCookie: this.secure, persisted: false }
    return (this.resolvedClient = provisional).id
  }

  /** This browser's client, written (with a new server-chosen token and cookie) if it had none. */
  persistClient(): string {
    const id = this.clientId()
    const client = this.resolvedClient!
    if (client.persisted) return id
    this.db.run('INSERT INTO clients (id, token_hash, created_at, last_active_session_id) VALUES (?, ?, ?, NULL)', [
      id,
      hashClientToken(client.token),
      this.now,
    ])
    client.persisted = true
    return id
  }

  /**
   * Re-sent on every answer that used the client, so a cookie whose Max-Age
   * follows the inactivity timeout slides along with activity. A `__Host-`
   * cookie read over plain http goes back as the same `__Host-` Secure cookie:
   * an app that relays it keeps it sliding, and the token never goes out in a
   * cookie without Secure.
   */
  setCookieHeader(): string | null {
    if (!this.resolvedClient?.persisted) return null
    const { token, hostCookie } = this.resolvedClient
    return serializeClientCookie(token, hostCookie, cookieMaxAgeSeconds(this.config.policy))
  }

  /**
   * Counts a hit against a limiter keyed by client and address (an IPv6 /64 counts as one); throws 429 over the
   * limit. A password or code guess also counts per address alone and per `account` (the identifier as typed,
   * normalized: it is counted whether or not such a user exists, so a 429 says nothing about who has an account).
   */
  rateLimit(name: 'touch'): void
  rateLimit(name: 'signIn', account: string): void
  rateLimit(name: 'signIn' | 'touch', account?: string): void {
    const { limiters } = this.app
    const address = rateLimitAddress(this.ip)
    let decision = limiters[name].hit(`${this.clientId()}|${address}`)
    if (decision.allowed && name === 'signIn') decision = limiters.signInPerIp.hit(address)
    if (decision.allowed && account !== undefined) decision = limiters.signInPerAccount.hit(account.trim().toLowerCase())
    if (!decision.allowed) {
      throw new HttpError(
        429,
        'rate_limited',
        `Too many requests: try again in ${decision.retryAfterSeconds} seconds.`,
        undefined,
        { 'retry-after': String(decision.retryAfterSeconds) },
      )
    }
  }
}
