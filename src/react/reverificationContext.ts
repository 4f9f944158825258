'use client'
import { resolveReverification, type ReverificationCheck, type VerificationLevel } from '../core/authorization'
import { warnOnce as devWarn } from '../core/development'
import { SessionKitError } from '../core/errors'
import type { SessionClient } from '../core/types'

/** One thing the user is asked for: the password (first factor) or a one-time code (second factor). */
export type VerificationStep = 'password' | 'code'

/** A reverification the user is being asked for, as a dialog (or an app's own UI) sees it. */
export interface PendingReverification {
  /** Which factors the server asked for. */
  level: VerificationLevel
  /** How recent the proof must be, in minutes. */
  afterMinutes: number
  /** What to ask for, in order; empty when the level cannot be met (multi-factor without a second factor). */
  steps: readonly VerificationStep[]
  /**
   * The session the action ran under: verify this one
   * (`client.verify(params, { sessionId })`). When another session becomes
   * active meanwhile, the request is cancelled.
   */
  sessionId: string
  /** Call after the user verified (`client.verify(...)`): the action is retried once. */
  complete: () => void
  /** Call when the user gives up: the action rejects with `reverification_cancelled`. */
  cancel: () => void
}

/** Clerk's default when a server asks for reverification without saying how: `strict`. */
const DEFAULT_REQUIREMENT = resolveReverification('strict')

/** The level a `reverification_required` answer asked for (its meta); `strict` when it says nothing usable. */
export function requirementFrom(meta: unknown): { level: VerificationLevel; afterMinutes: number } {
  if (meta === undefined || meta === null) return DEFAULT_REQUIREMENT
  try {
    return resolveReverification(meta as ReverificationCheck)
  } catch {
    if (process.env.NODE_ENV !== 'production') devWarn(`useReverification: the server asked for reverification with an unknown level (${JSON.stringify(meta)}); asking as for "strict".`)
    return DEFAULT_REQUIREMENT
  }
}

/**
 * What to ask for a level. A second factor is enrolled unless the session
 * says `factorVerificationAge[1] === -1`: `second_factor` then falls back to
 * the password (Clerk's rule, as in `isReverified`) and `multi_factor`
 * cannot be met. Unknown ages (null): `second_factor` asks for the password
 * (a second factor may not be enrolled, and then the first one counts), and
 * `multi_factor` asks for both, as if one were enrolled.
 */
export function verificationSteps(
  level: VerificationLevel,
  factorVerificationAge: readonly [number, number] | null,
): VerificationStep[] {
  const noSecondFactor = factorVerificationAge !== null && factorVerificationAge[1] === -1
  switch (level) {
    case 'first_factor':
      return ['password']
    case 'second_factor':
      return noSecondFactor || factorVerificationAge === null ? ['password'] : ['code']
    case 'multi_factor':
      return noSecondFactor ? [] : ['password', 'code']
  }
}

interface Waiter {
  resolve: () => void
  reject: (error: SessionKitError) => void
}

interface Entry {
  request: PendingReverification
  waiters: Waiter[]
}

/** The rejection when the user gives up. */
export const cancelled = () =>
  new SessionKitError('reverification_cancelled', 'The user cancelled reverification, so the action did not run.')
/** The rejection when the session ended while a reverification was waiting. */
export const signedOut = () =>
  new SessionKitError('signed_out', 'The session ended before reverification finished: sign in again, then retry.')

/** The rejection when another session became active (multi-session) while a reverification was waiting. */
export const sessionChanged = () =>
  new SessionKitError(
    'reverification_cancelled',
    process.env.NODE_ENV !== 'production'
      ? 'The active session changed while reverification was waiting; run the action again.'
      : 'Reverification cancelled: the session changed.',
  )

/**
 * The reverifications waiting for the user, per client: `useReverification`
 * adds them, the mounted `ReverificationDialog` shows the first. Calls that
 * need the same level while one is open share it (one dialog, one proof).
 * Ending the session rejects them all with `signed_out`; making another
 * session active rejects them with `reverification_cancelled`, so a proof
 * given for one account never runs an action as another.
 */
export class ReverificationQueue {
  readonly #client: SessionClient
  readonly #listeners = new Set<() => void>()
  #entries: Entry[] = []
  #hosts: object[] = []
  #stopWatching: (() => void) | null = null

  constructor(client: SessionClient) {
    this.#client = client
  }

  /** The reverification to show now, or null. Stable between changes (for `useSyncExternalStore`). */
  readonly current = (): PendingReverification | null => this.#entries[0]?.request ?? null

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Registers a mounted dialog; the first registered one shows the requests. Returns its unregister function. */
  addHost(host: object): () => void {
    this.#hosts.push(host)
    if (process.env.NODE_ENV !== 'production' && this.#hosts.length > 1) {
      devWarn('More than one <ReverificationDialog /> is mounted for one client: only the first shows. Render it once, next to <InactivityWarning />.')
    }
    this.#notify()
    return () => {
      this.#hosts = this.#hosts.filter((h) => h !== host)
      this.#notify()
    }
  }

  /** Whether `host` is the dialog that shows the requests. */
  isPrimaryHost(host: object): boolean {
    return this.#hosts[0] === host
  }

  /** Whether a dialog is mounted to show requests. */
  get hasHost(): boolean {
    return this.#hosts.length > 0
  }

  /**
   * Asks the user to verify session `sessionId` (the one the action ran
   * under) at `level`; resolves once they did, rejects
   * `reverification_cancelled` or `signed_out`.
   */
  request(level: VerificationLevel, afterMinutes: number, sessionId: string | null): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter = { resolve, reject }
      const state = this.#client.getState()
      if (state.status !== 'signed-in' || !state.session) return reject(signedOut())
      if (state.session.id !== sessionId) return reject(sessionChanged())
      // A multi-factor request covers any other, unless it cannot be met (no steps, only Cancel):
      // folded into that one, a request the user could answer would be cancelled with it.
      const covers = (e: Entry) => e.request.level === level || (e.request.level === 'multi_factor' && e.request.steps.length > 0)
      const shared = this.#entries.find((e) => e.request.sessionId === sessionId && covers(e))
      if (shared) {
        shared.waiters.push(waiter)
        return
      }
      const entry: Entry = { waiters: [waiter], request: null as unknown as PendingReverification }
      entry.request = {
        level,
        afterMinutes,
        steps: verificationSteps(level, state.session.factorVerificationAge),
        sessionId: state.session.id,
        complete: () => this.#settle(entry, 'complete'),
        cancel: () => this.#settle(entry, 'cancel'),
      }
      this.#entries = [...this.#entries, entry]
      this.#watchSession()
      this.#notify()
    })
  }

  #settle(entry: Entry, how: 'complete' | 'cancel') {
    if (!this.#entries.includes(entry)) return
    this.#entries = this.#entries.filter((e) => e !== entry)
    for (const waiter of entry.waiters) {
      if (how === 'complete') waiter.resolve()
      else waiter.reject(cancelled())
    }
    // The proof just given may cover what others are waiting for.
    if (how === 'complete') {
      for (const other of this.#entries) {
        const { level, afterMinutes } = other.request
        if (this.#client.checkAuthorization({ reverification: { level, afterMinutes } })) this.#settle(other, 'complete')
      }
    }
    if (this.#entries.length === 0) this.#unwatchSession()
    this.#notify()
  }

  #watchSession() {
    this.#stopWatching ??= this.#client.subscribe((state) => {
      const signedIn = state.status === 'signed-in'
      const activeId = state.session?.id
      const ended = this.#entries.filter((entry) => !signedIn || entry.request.sessionId !== activeId)
      if (ended.length === 0) return
      this.#entries = this.#entries.filter((entry) => !ended.includes(entry))
      if (this.#entries.length === 0) this.#unwatchSession()
      for (const entry of ended) {
        for (const waiter of entry.waiters) waiter.reject(signedIn ? sessionChanged() : signedOut())
      }
      this.#notify()
    })
  }

  #unwatchSession() {
    this.#stopWatching?.()
    this.#stopWatching = null
  }

  #notify() {
    for (const listener of [...this.#listeners]) listener()
  }
}

const queues = new WeakMap<SessionClient, ReverificationQueue>()

/** The client's reverification queue; one for the client's whole life. */
export function reverificationQueue(client: SessionClient): ReverificationQueue {
  let queue = queues.get(client)
  if (!queue) queues.set(client, (queue = new ReverificationQueue(client)))
  return queue
}
