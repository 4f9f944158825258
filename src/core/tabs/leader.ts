import type { Clock, TimerHandle } from '../clock'
import type { TabLockManager } from './transport'

/** How often the leader says it is alive (ms). */
export const HEARTBEAT_INTERVAL_MS = 2_000
/** How long followers wait without a heartbeat before taking over (ms). */
export const HEARTBEAT_TIMEOUT_MS = 6_000

export interface LeaderElectionOptions {
  locks: TabLockManager
  /** Lock name: one leader per name. */
  name: string
  clock: Clock
  /** Sends a heartbeat to the other tabs. */
  sendHeartbeat: () => void
  /** Told whenever this tab becomes or stops being the leader. */
  onChange: (isLeader: boolean) => void
}

/**
 * One tab leads: the holder of a Web Lock, which the browser frees when that
 * tab dies. A frozen tab keeps its lock, so the leader also sends heartbeats;
 * a follower that hears none for a while steals the lock (`steal: true`), and
 * the frozen tab learns it lost leadership when it wakes. No call ever waits
 * on the lock: followers queue for leadership in the background only.
 */
export class LeaderElection {
  #options: LeaderElectionOptions
  #isLeader = false
  #running = false
  #release: (() => void) | null = null
  #abort: AbortController | null = null
  #heartbeat: TimerHandle | undefined
  #watchdog: TimerHandle | undefined

  constructor(options: LeaderElectionOptions) {
    this.#options = options
  }

  get isLeader(): boolean {
    return this.#isLeader
  }

  start(): void {
    if (this.#running) return
    this.#running = true
    this.#queue(false)
    this.heard()
  }

  stop(): void {
    this.#running = false
    this.#abort?.abort()
    this.#abort = null
    this.#release?.()
    this.#release = null
    this.#clearTimers()
    this.#set(false)
  }

  /** A heartbeat from the leader arrived: it is alive. */
  heard(): void {
    const { clock } = this.#options
    if (this.#watchdog !== undefined) clock.clearTimeout(this.#watchdog)
    this.#watchdog = undefined
    if (!this.#running || this.#isLeader) return
    this.#watchdog = clock.setTimeout(() => {
      this.#watchdog = undefined
      if (this.#running && !this.#isLeader) this.#queue(true)
    }, HEARTBEAT_TIMEOUT_MS)
  }

  #queue(steal: boolean) {
    this.#abort?.abort()
    const abort = new AbortController()
    this.#abort = abort
    const options = steal ? { mode: 'exclusive' as const, steal: true } : { mode: 'exclusive' as const, signal: abort.signal }
    this.#options.locks
      .request(this.#options.name, options, () => {
        if (!this.#running || abort.signal.aborted) return Promise.resolve()
        return new Promise<void>((release) => {
          this.#release = release
          this.#lead()
        })
      })
      .catch(() => undefined)
      .then(() => {
        // Released, stolen by a tab that stopped hearing us, or aborted.
        if (this.#abort !== abort) return
        this.#release = null
        this.#set(false)
        if (this.#running) {
          this.#queue(false)
          this.heard()
        }
      })
  }

  #lead() {
    this.#set(true)
    this.#clearTimers()
    const beat = () => {
      this.#options.sendHeartbeat()
      this.#heartbeat = this.#options.clock.setTimeout(beat, HEARTBEAT_INTERVAL_MS)
    }
    beat()
  }

  #set(isLeader: boolean) {
    if (!isLeader && this.#heartbeat !== undefined) {
      this.#options.clock.clearTimeout(this.#heartbeat)
      this.#heartbeat = undefined
    }
    if (this.#isLeader === isLeader) return
    this.#isLeader = isLeader
    this.#options.onChange(isLeader)
  }

  #clearTimers() {
    const { clock } = this.#options
    if (this.#heartbeat !== undefined) clock.clearTimeout(this.#heartbeat)
    if (this.#watchdog !== undefined) clock.clearTimeout(this.#watchdog)
    this.#heartbeat = undefined
    this.#watchdog = undefined
  }
}
