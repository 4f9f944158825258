import { restartableTimer, type Clock } from '../clock'
import type { TokenResource } from '../adapter'
import { SessionKitError } from '../errors'
import { cacheKeyOf } from '../tokenKey'
import { parseTabMessage, TAB_PROTOCOL_VERSION, type TabMessage, type TabMessageBody, type TokenKey } from './messages'
import type { TabChannel, TabTransport } from './transport'

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

/**
 * The tabs of one origin as one user: a channel for news and a leader (the
 * one tab that touches the server and refreshes tokens for all).
 *
 * The leader is the holder of a Web Lock, which the browser frees when that
 * tab dies. A frozen tab keeps its lock, so the leader also sends heartbeats;
 * a follower that hears none for a while steals the lock (`steal: true`), and
 * the frozen tab learns it lost leadership when it wakes. No call ever waits
 * on the lock: followers queue for leadership in the background only.
 *
 * The methods are closures over the constructor's state (shorter in a
 * minified bundle than private fields); the class keeps `new TabSync` and
 * lets a memory benchmark count live instances.
 */
export class TabSync {
  /** Written by the election in the constructor only. */
  #isLeader = false
  /** Whether this tab leads now. */
  get isLeader(): boolean {
    return this.#isLeader
  }

  /** Opens the channel, queues for leadership and asks the other tabs for their state. */
  declare readonly start: () => void
  /** Closes the channel and gives up leadership (and this tab's token requests). */
  declare readonly stop: () => void
  /** Tells every other tab. */
  declare readonly post: (body: TabMessageBody) => void
  /**
   * Asks the leader for a token with more than `leewayInSeconds` left; rejects (the caller then fetches itself) when
   * no leader acknowledges within `TOKEN_ACK_TIMEOUT_MS`, when the token does
   * not follow within `TOKEN_REQUEST_TIMEOUT_MS`, or when this tab becomes the leader.
   */
  declare readonly requestToken: (key: TokenKey, leewayInSeconds: number) => Promise<TokenResource>

  constructor({ transport, name, clock, onMessage, onLeadershipChange }: TabSyncOptions) {
    // The timings, here rather than at the top of the file so that the minifier writes them in place.
    /** How often the leader says it is alive (ms). */
    const HEARTBEAT_INTERVAL_MS = 2_000
    /** How long followers wait without a heartbeat before taking over (ms). */
    const HEARTBEAT_TIMEOUT_MS = 6_000
    /**
     * How long a follower waits for the leader to acknowledge a token request
     * before fetching the token itself (ms): 500. A live leader acknowledges at
     * once, from a background tab too; no acknowledgement means it is frozen,
     * closing, or no longer the leader (leadership is changing hands).
     */
    const TOKEN_ACK_TIMEOUT_MS = 500
    /** How long a follower waits for the token once the leader acknowledged, before fetching one itself (ms): 3,000. */
    const TOKEN_REQUEST_TIMEOUT_MS = 3_000

    /** Any unique text: the sender of this tab's messages and the prefix of its request ids. */
    const tabId = `${Math.random()}`
    /** Open while started: none means stopped (or not started yet). */
    let channel: TabChannel | undefined
    /** What the channel's `subscribe` returned, if it returned a way to unsubscribe. */
    let unsubscribe: (() => void) | void
    /**
     * This tab's token requests waiting for the leader, by request id: the cache key of the token each
     * asks for, and what takes the leader's reply (or nothing, to give up).
     */
    const pending = new Map<string, { key: string; answer: (reply?: TabMessage) => void }>()
    let requests = 0
    /** Ends this tab's queued or held lock request (and stands for it: a settled request that is no longer this one is ignored). */
    let abort: AbortController | undefined
    /** Frees the lock this tab holds. */
    let release: (() => void) | undefined
    /** The heartbeat while leading, the watchdog on the leader's heartbeats while following: never both. */
    const beatOrWatch = restartableTimer(clock)

    const post = (body: TabMessageBody) => channel?.postMessage({ ...body, v: TAB_PROTOCOL_VERSION, from: tabId })
    const giveUpPending = () => pending.forEach(({ answer }) => answer())

    const setLeader = (isLeader: boolean) => {
      if (this.#isLeader === isLeader) return
      this.#isLeader = isLeader
      onLeadershipChange(isLeader)
    }
    const beat = () => {
      post({ type: 'heartbeat' })
      beatOrWatch(beat, HEARTBEAT_INTERVAL_MS)
    }

    /**
     * A heartbeat from the leader arrived (or following began): the leader is
     * alive. Called only while started: `receive` drops what a channel delivers
     * when stopped, and a lock request settles into `queue` only while started.
     */
    const heard = () => {
      if (!this.#isLeader) beatOrWatch(() => queue(true), HEARTBEAT_TIMEOUT_MS)
    }

    /** Queues for the lock in the background, watching the leader's heartbeats meanwhile; or takes the lock from a silent leader. */
    const queue = (steal?: true) => {
      abort?.abort()
      const mine = (abort = new AbortController())
      const lost = () => {
        // Released, stolen by a tab that stopped hearing us, or aborted.
        if (abort !== mine) return
        setLeader(false)
        if (channel) queue()
      }
      // A steal cannot be aborted (the Web Locks API refuses both at once); it is granted at once anyway.
      transport.locks
        .request(name, { mode: 'exclusive', ...(steal ? { steal } : { signal: mine.signal }) }, async () => {
          // Granted just as it was given up (a steal, stop): free it at once. Stopping aborts too.
          if (!mine.signal.aborted)
            await new Promise<void>((resolve) => {
              release = resolve
              setLeader(true)
              // Nobody else will answer this tab's requests now: it fetches for itself, at once.
              giveUpPending()
              // A hello that came while nobody led (a lock grant and a message take separate paths in a browser: a
              // new tab's hello may come before this grant) had no answer: answer it now, as if asked. Repeats are
              // older news to every tab, which changes nothing.
              onMessage({ type: 'hello', v: TAB_PROTOCOL_VERSION, from: tabId })
              beat()
            })
        })
        .then(lost, lost)
      if (!steal) heard()
    }

    /** A message that came through `via`: acted on only while that channel is the open one. */
    const receive = (via: TabChannel, data: unknown) => {
      // A custom channel may deliver after close (transport.ts): a stopped tab must not hear a
      // heartbeat (its watchdog would take the lock), nor a restarted one the channel before.
      if (channel !== via) return
      const message = parseTabMessage(data)
      // A custom channel may also echo this tab's own messages: its own token request is no answer to itself.
      if (!message || message.from === tabId) return
      // Heartbeats feed the watchdog.
      if (message.type === 'heartbeat') return heard()
      // Replies to this tab's own requests end here (request ids start with the asking tab's id, so
      // another tab's request never matches); a token meant for another tab is still news: a usable token.
      const request = pending.get((message as { requestId?: string }).requestId!)
      if (request) return request.answer(message)
      // A token minted for every tab answers this tab's requests for its key too: the leader that
      // acknowledged them may have closed, and the tab taking over mints one for all (the caller still
      // checks it is fresh enough).
      if (message.type === 'token' && message.requestId === null) pending.forEach(({ key, answer }) => key === cacheKeyOf(message) && answer(message))
      onMessage(message)
    }

    this.post = post
    this.start = () => {
      if (channel) return
      const opened = transport.channel(name)
      channel = opened
      unsubscribe = opened.subscribe((data) => receive(opened, data))
      queue()
      post({ type: 'hello' })
    }
    this.stop = () => {
      unsubscribe?.()
      unsubscribe = undefined
      channel?.close()
      channel = undefined
      abort?.abort()
      release?.()
      beatOrWatch()
      setLeader(false)
      giveUpPending()
    }
    this.requestToken = (key, leewayInSeconds) =>
      new Promise((resolve, reject) => {
        const requestId = `${tabId}:${++requests}`
        const deadline = restartableTimer(clock)
        const answer = (reply?: TabMessage) => {
          // The leader is on it: the token itself may take a server round trip.
          if (reply?.type === 'token-ack') return deadline(answer, TOKEN_REQUEST_TIMEOUT_MS)
          deadline()
          pending.delete(requestId)
          // The message is the token resource too: the cache reads its jwt and expiresAt only.
          if (reply?.type === 'token') resolve(reply)
          else
            reject(
              new SessionKitError(
                // Signed out in the leading tab: the caller must not mint for a session that ended.
                reply?.type === 'token-error' && reply.code === 'signed_out' ? 'signed_out' : 'network_error',
                process.env.NODE_ENV !== 'production' ? (reply ? 'The leading tab could not get a token.' : 'No leading tab answered; this tab fetches the token itself.') : 'No token from the leader.',
              ),
            )
        }
        if (channel) {
          pending.set(requestId, { key: cacheKeyOf(key), answer })
          deadline(answer, TOKEN_ACK_TIMEOUT_MS)
          post({ type: 'token-request', requestId, leewayInSeconds, ...key })
        } else answer()
      })
  }
}
