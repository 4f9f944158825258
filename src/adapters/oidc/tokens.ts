import type { Clock } from '../../core/clock'
import type { TabChannel, TabTransport } from '../../core/tabs/transport'
import { HandOver } from './handOver'
import { parseNews, type TabNews } from './tabNews'

/** How long a refresh waits for the news of the previous lock holder's renewal before going on without it (ms). */
export const TAB_NEWS_WAIT_MS = 2_000

/**
 * The signed-in session as this tab holds it: the tokens (in memory only)
 * and the times sessionkit derives its deadlines from, all in this
 * browser's clock. Plain data, so it can cross to another tab.
 */
export interface HeldSession {
  /**
   * A random id per sign-in, made by sessionkit (resources.ts), never the provider's `sid` or
   * anything from a token: it is what goes to the hand-over note (handOver.ts), and a shown or stored session id.
   */
  id: string
  /** Bumped by every change of tokens or activity; the highest wins across tabs. */
  generation: number
  accessToken: string
  accessExpiresAt: number
  /** Whether some tab's createToken handed `accessToken` out already (the next minting then refreshes). */
  accessTokenServed: boolean
  tokenLifetimeMs: number
  refreshToken: string
  /** When the refresh token stops working, when the provider says (`refresh_expires_in`); else null. */
  refreshExpiresAt: number | null
  /** When the refresh token's own fixed lifetime ends, whatever the activity (Entra ID's `refresh_token_expires_in`), else null. */
  fixedEndAt: number | null
  /** When the provider's maximum session lifetime ends, as a shrunk `refresh_expires_in` tells (Keycloak's SSO Session Max), else null. */
  sessionMaxEndAt: number | null
  idToken: string | null
  claims: SessionClaims
  /** The inactivity timeout in force for this session (`providerIdleMs`, capped by the option the app set; the option when the provider reports none); null = off. */
  inactivityMs: number | null
  /** The provider's idle lifetime: the largest `refresh_expires_in` it reported (ms; lower once answers show it lowered), or null. */
  providerIdleMs: number | null
  /** When the provider authenticated the user (`auth_time`), or when this sign-in completed. */
  authTimeMs: number
  createdAt: number
  /**
   * A refresh grant with `refreshToken` went out and got no answer (a dropped connection, a
   * timeout): the provider may have spent it, so a refusal of it next is read as a lost answer.
   */
  refreshUnanswered: boolean
  /** The last real activity: sign-in or touch. Minting tokens never moves it. */
  lastActiveAt: number
  updatedAt: number
}

/** The ID token claims a session shows. */
export interface SessionClaims {
  sub: string
  name?: string
  given_name?: string
  family_name?: string
  email?: string
  preferred_username?: string
  picture?: string
  act?: { sub: string; [claim: string]: unknown }
}

/**
 * Holds the session of one adapter and shares it with the other tabs of
 * this origin over a BroadcastChannel (memory to memory, never storage).
 *
 * Rotating refresh tokens with reuse detection make a refresh with a token
 * another tab already used revoke the whole session (authts/oidc-client-ts#430).
 * So every refresh runs under one Web Lock for all tabs, reads the session
 * only after taking it, and broadcasts the result before releasing it. The
 * news may still be on its way when the next tab takes the lock, so the
 * holder also records which generation it left (handOver.ts: sessionkit's
 * own random session id and a number, never a token or an id of the
 * provider's) and the next holder waits for that generation before reading
 * the refresh token. Without BroadcastChannel or Web Locks the tab works
 * alone, refreshes queued in order.
 */
export class SessionShare {
  readonly #transport: TabTransport | null
  readonly #name: string
  /** What the last lock holder left for the next: the generation, and a grant that went unanswered. */
  readonly handOver: HandOver
  readonly #clock: Clock
  #channel: TabChannel | null = null
  #current: HeldSession | null = null
  /** Sessions that ended in some tab: news about them never brings them back. */
  readonly #ended = new Set<string>()
  readonly #onChange = new Set<() => void>()
  /** The tail of this tab's own queue, for when there are no Web Locks. */
  #queue: Promise<unknown> = Promise.resolve()

  /**
   * Called with a session whose refresh token this tab drops and nobody else revokes: another tab
   * ended it without holding the tokens, or a new sign-in of another user (here or in another tab) replaced it.
   */
  readonly #onDropped: (session: HeldSession) => void

  constructor(key: string, transport: TabTransport | null, clock: Clock, onDropped: (session: HeldSession) => void) {
    this.#transport = transport
    this.#name = `sessionkit-oidc:${key}`
    this.handOver = new HandOver(key, clock)
    this.#clock = clock
    this.#onDropped = onDropped
  }

  /** The session this tab holds, or null. */
  get current(): HeldSession | null {
    return this.#current
  }

  /** Whether this tab can ask other tabs at all. */
  get shared(): boolean {
    return this.#transport !== null
  }

  /** Whether `sessionId` ended in some tab of this browser. */
  hasEnded(sessionId: string): boolean {
    return this.#ended.has(sessionId)
  }

  /** Keeps a new or renewed session and tells the other tabs; a session it replaces is dropped, by this tab (see #replace). */
  set(session: HeldSession) {
    const replaced = this.#current !== null && this.#current.id !== session.id ? this.#current : null
    this.#current = session
    this.#post({ v: 1, type: 'session', session, ...(replaced ? { replaces: replaced.id } : {}) })
    this.#changed()
    if (replaced) this.#replace(replaced, session)
  }

  /**
   * Forgets `replaced` for good (news of it never brings it back). Its refresh token is revoked only
   * when the new sign-in is another user's: the same user's sign-ins in one browser share the
   * provider's grant (oidc-provider revokes the whole grant; Keycloak detaches the client from every
   * session of the user), so revoking the old token would end the new session at its first refresh.
   */
  #replace(replaced: HeldSession, session: HeldSession) {
    this.#ended.add(replaced.id)
    if (replaced.claims.sub !== session.claims.sub) this.#onDropped(replaced)
  }

  /**
   * Notes in every tab that `session`'s access token was handed out: a tab's own
   * note would leave another tab serving the token a caller (after a 401) distrusts.
   * Not a new generation: it changes no token, and must never outrank a refresh.
   */
  markServed(session: HeldSession) {
    this.#noteServed(session.id, session.accessToken)
    this.#post({ v: 1, type: 'served', sessionId: session.id, accessToken: session.accessToken })
  }

  #noteServed(sessionId: string, accessToken: string) {
    const held = this.#current
    if (held?.id === sessionId && held.accessToken === accessToken && !held.accessTokenServed) this.#current = { ...held, accessTokenServed: true }
  }

  /**
   * Forgets the session here and in every tab; `revoked` says whether this tab
   * revokes its refresh token. The session held is forgotten only when it is
   * that one (or no id is given): a stale caller's old id leaves a newer session alone.
   */
  end(sessionId: string | null, revoked: boolean) {
    if (sessionId !== null) this.#ended.add(sessionId)
    if (sessionId === null || this.#current?.id === sessionId) this.#current = null
    if (sessionId !== null) this.#post({ v: 1, type: 'ended', sessionId, revoked })
    this.#changed()
  }

  /** Runs `work` while no other tab (and no other call here) refreshes. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const locks = this.#transport?.locks
    if (!locks) {
      const run = this.#queue.then(work, work)
      this.#queue = run.catch(() => undefined)
      return run
    }
    this.#open()
    let result: { value: T } | undefined
    return locks
      .request(this.#name, { mode: 'exclusive' }, async () => {
        await this.#catchUp()
        try {
          result = { value: await work() }
        } finally {
          // Stored before the lock is released: the next holder reads it first thing.
          await this.handOver.write('generation', this.#current)
        }
      })
      .then(() => (result as { value: T }).value)
  }

  /**
   * Waits, up to TAB_NEWS_WAIT_MS, until this tab holds the generation the
   * last lock holder left, asking the other tabs in case the news was lost.
   * Past that it goes on: the provider then judges the token it has.
   */
  async #catchUp(): Promise<void> {
    const held = this.#current
    if (!held) return
    const left = await this.handOver.generationOf('generation', held.id)
    // No note of this session (its first refresh in this browser): let news already queued land first.
    if (left === null) return new Promise<void>((resolve) => globalThis.setTimeout(resolve, 0))
    const behind = () => this.#current?.id === held.id && this.#current.generation < left
    if (!behind()) return
    await new Promise<void>((resolve) => {
      const done = () => {
        this.#clock.clearTimeout(timer)
        this.#onChange.delete(onChange)
        resolve()
      }
      const onChange = () => {
        if (!behind()) done()
      }
      const timer = this.#clock.setTimeout(done, TAB_NEWS_WAIT_MS)
      this.#onChange.add(onChange)
      this.#post({ v: 1, type: 'hello' })
    })
  }

  /**
   * Asks the other tabs for their session and waits up to `timeoutMs` (on the
   * clock) for one; answers what this tab holds then.
   */
  askOtherTabs(timeoutMs: number): Promise<HeldSession | null> {
    if (!this.#transport) return Promise.resolve(this.#current)
    this.#open()
    if (this.#current) return Promise.resolve(this.#current)
    return new Promise((resolve) => {
      const done = () => {
        this.#clock.clearTimeout(timer)
        this.#onChange.delete(onChange)
        resolve(this.#current)
      }
      const onChange = () => {
        if (this.#current) done()
      }
      const timer = this.#clock.setTimeout(done, timeoutMs)
      this.#onChange.add(onChange)
      this.#post({ v: 1, type: 'hello' })
    })
  }

  /** Opens the channel on first use, so an adapter created on a server never holds one open. */
  #open() {
    if (this.#channel || !this.#transport) return
    this.#channel = this.#transport.channel(this.#name)
    this.#channel.subscribe((data) => this.#receive(data))
  }

  #post(news: TabNews) {
    this.#open()
    this.#channel?.postMessage(news)
  }

  #changed() {
    for (const listener of [...this.#onChange]) listener()
  }

  #receive(data: unknown) {
    const news = parseNews(data)
    if (!news) return
    if (news.type === 'hello') {
      if (this.#current) this.#post({ v: 1, type: 'session', session: this.#current })
      return
    }
    if (news.type === 'served') return this.#noteServed(news.sessionId, news.accessToken)
    if (news.type === 'ended') {
      this.#ended.add(news.sessionId)
      const held = this.#current
      if (held?.id === news.sessionId) {
        this.#current = null
        this.#changed()
        if (!news.revoked) this.#onDropped(held)
      }
      return
    }
    const incoming = news.session
    if (this.#ended.has(incoming.id)) return
    const mine = this.#current
    const newer = !mine || (mine.id === incoming.id ? incoming.generation > mine.generation : incoming.createdAt > mine.createdAt)
    if (!newer) return
    this.#current = incoming
    this.#changed()
    // A sign-in elsewhere replaced this tab's session: dropped here unless the sender held it too (and did).
    if (mine && mine.id !== incoming.id && news.replaces !== mine.id) this.#replace(mine, incoming)
  }
}
