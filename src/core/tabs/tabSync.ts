import type { Clock, TimerHandle } from '../clock'
import type { TokenResource } from '../adapter'
import { SessionKitError } from '../errors'
import { LeaderElection } from './leader'
import { parseTabMessage, TAB_PROTOCOL_VERSION, type TabMessage, type TabMessageBody, type TokenKey } from './messages'
import type { TabChannel, TabTransport } from './transport'

/**
 * How long a follower waits for the leader to acknowledge a token request
 * before fetching the token itself (ms): 500. A live leader acknowledges at
 * once, from a background tab too; no acknowledgement means it is frozen,
 * closing, or no longer the leader (leadership is changing hands).
 */
export const TOKEN_ACK_TIMEOUT_MS = 500

/** How long a follower waits for the token once the leader acknowledged, before fetching one itself (ms): 3,000. */
export const TOKEN_REQUEST_TIMEOUT_MS = 3_000

export interface TabSyncOptions {
  transport: TabTransport
  /** Channel and lock name: derived from the backend, so two apps on one origin don't mix. */
  name: string
  clock: Clock
  /** Every valid message from another tab (token replies to this tab's requests are handled here). */
  onMessage: (message: TabMessage) => void
  /** This tab became or stopped being the leader. */
  onLeadershipChange: (isLeader: boolean) => void
}

interface PendingToken {
  resolve: (token: TokenResource) => void
  reject: (error: unknown) => void
  timer: TimerHandle
}

/**
 * The tabs of one origin as one user: a channel for news and a leader (the
 * one tab that touches the server and refreshes tokens for all).
 */
export class TabSync {
  readonly tabId = Math.random().toString(36).slice(2)
  #options: TabSyncOptions
  #channel: TabChannel | null = null
  #unsubscribe: (() => void) | null = null
  #election: LeaderElection
  #pending = new Map<string, PendingToken>()
  #nextRequest = 0

  constructor(options: TabSyncOptions) {
    this.#options = options
    this.#election = new LeaderElection({
      locks: options.transport.locks,
      name: options.name,
      clock: options.clock,
      sendHeartbeat: () => this.post({ type: 'heartbeat' }),
      onChange: (isLeader) => {
        // Nobody else will answer this tab's requests now: it fetches for itself, at once.
        if (isLeader) this.#giveUpPending()
        options.onLeadershipChange(isLeader)
      },
    })
  }

  get isLeader(): boolean {
    return this.#election.isLeader
  }

  start(): void {
    if (this.#channel) return
    this.#channel = this.#options.transport.channel(this.#options.name)
    this.#unsubscribe = this.#channel.subscribe((data) => this.#receive(data))
    this.#election.start()
    this.post({ type: 'hello' })
  }

  stop(): void {
    this.#election.stop()
    this.#unsubscribe?.()
    this.#channel?.close()
    this.#channel = null
    this.#giveUpPending()
  }

  /** Tells every other tab. */
  post(body: TabMessageBody): void {
    this.#channel?.postMessage({ ...body, v: TAB_PROTOCOL_VERSION, from: this.tabId })
  }

  /**
   * Asks the leader for a token; rejects (the caller then fetches itself) when
   * no leader acknowledges within `TOKEN_ACK_TIMEOUT_MS`, when the token does
   * not follow within `TOKEN_REQUEST_TIMEOUT_MS`, or when this tab becomes the leader.
   */
  requestToken(key: TokenKey): Promise<TokenResource> {
    if (!this.#channel) return Promise.reject(leaderGone())
    const requestId = `${this.tabId}:${++this.#nextRequest}`
    return new Promise<TokenResource>((resolve, reject) => {
      const pending: PendingToken = { resolve, reject, timer: this.#giveUpAfter(requestId, TOKEN_ACK_TIMEOUT_MS) }
      this.#pending.set(requestId, pending)
      this.post({ type: 'token-request', requestId, ...key })
    })
  }

  #receive(data: unknown) {
    const message = parseTabMessage(data)
    if (!message || message.from === this.tabId) return
    if (message.type === 'heartbeat') return this.#election.heard()
    if (message.type === 'token-ack') {
      const pending = this.#pending.get(message.requestId)
      if (pending) {
        this.#options.clock.clearTimeout(pending.timer)
        pending.timer = this.#giveUpAfter(message.requestId, TOKEN_REQUEST_TIMEOUT_MS)
      }
      return
    }
    if ((message.type === 'token' || message.type === 'token-error') && message.requestId) {
      const pending = this.#pending.get(message.requestId)
      if (pending) {
        return this.#settle(message.requestId, pending, () =>
          message.type === 'token'
            ? pending.resolve(message.expiresAt === undefined ? { jwt: message.jwt } : { jwt: message.jwt, expiresAt: message.expiresAt })
            : pending.reject(new SessionKitError('network_error', 'The leading tab could not get a token.')),
        )
      }
      // A reply meant for another tab still carries a usable token.
    }
    this.#options.onMessage(message)
  }

  #giveUpAfter(requestId: string, ms: number): TimerHandle {
    return this.#options.clock.setTimeout(() => {
      const pending = this.#pending.get(requestId)
      if (pending) this.#settle(requestId, pending, () => pending.reject(leaderGone()))
    }, ms)
  }

  #giveUpPending() {
    for (const [id, pending] of this.#pending) this.#settle(id, pending, () => pending.reject(leaderGone()))
  }

  #settle(id: string, pending: PendingToken, settle: () => void) {
    this.#options.clock.clearTimeout(pending.timer)
    this.#pending.delete(id)
    settle()
  }
}

function leaderGone(): SessionKitError {
  return new SessionKitError('network_error', 'No leading tab answered; this tab fetches the token itself.')
}
