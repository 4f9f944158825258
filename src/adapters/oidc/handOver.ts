import { createStore, del, get, set, type UseStore } from 'idb-keyval'
import type { Clock } from '../../core/clock'
import { readStorage, writeStorage } from './redirect'

/**
 * How long one read or write may take before this tab gives IndexedDB up and goes on with
 * localStorage (ms). Generous: an answer takes milliseconds, and the bound is only for a store
 * that never answers, which would otherwise hold the refresh lock of every tab for good.
 */
export const HAND_OVER_TIMEOUT_MS = 5_000

/** Which generation of which session a record is about: sessionkit's own random id and a number, never a token. */
export interface SessionGeneration {
  id: string
  generation: number
}

/** The two records a refresh lock's holder leaves for the next holder. */
export type HandOverName = 'generation' | 'refresh-sent'

/**
 * What the holder of the refresh lock leaves for the next holder, in another
 * tab: which generation of the session it left (`generation`), and which one
 * a refresh grant went out for with no answer yet (`refresh-sent`).
 *
 * Kept in IndexedDB, not localStorage. Chromium gives every tab process its
 * own copy of localStorage and brings other tabs' writes to it later, on
 * another path than the lock. A tab taking the lock just after another tab
 * wrote the record read the old value about one time in three (measured in
 * Chromium, three tabs, 300 hand-overs; IndexedDB: 0), then sent the refresh
 * token the other tab had just rotated away, and the provider's reuse
 * detection signed every tab out. IndexedDB orders the transactions of an
 * origin in one place: a read begun after a write was created sees it.
 *
 * Where IndexedDB is missing or fails (a test runner, a locked-down browser),
 * or never answers, the record falls back to localStorage, as it was before:
 * every write goes there too, for such a reader.
 */
export class HandOver {
  readonly #key: string
  readonly #clock: Clock
  #store: UseStore | null | undefined

  constructor(key: string, clock: Clock) {
    this.#key = `sessionkit-oidc:${key}`
    this.#clock = clock
  }

  async read(name: HandOverName): Promise<SessionGeneration | null> {
    const key = `${this.#key}:${name}`
    const stored = await this.#run((store) => get<unknown>(key, store))
    return readSessionGeneration(stored === FAILED ? readStorage('localStorage', key) : stored)
  }

  /** Resolves once the record is stored, so the lock is released only after it. */
  async write(name: HandOverName, value: SessionGeneration | null): Promise<void> {
    const key = `${this.#key}:${name}`
    const text = value && JSON.stringify({ id: value.id, generation: value.generation })
    writeStorage('localStorage', key, text)
    await this.#run((store) => (text === null ? del(key, store) : set(key, text, store)))
  }

  /** Runs one IndexedDB operation, bounded in time; FAILED when there is none, it failed, or took too long. */
  #run<T>(operation: (store: UseStore) => Promise<T>): Promise<T | typeof FAILED> {
    const store = this.#openStore()
    if (!store) return Promise.resolve(FAILED)
    return new Promise((resolve) => {
      const timer = this.#clock.setTimeout(() => {
        // A write may still land later, in order; this tab stops waiting on the store from now on.
        this.#store = null
        resolve(FAILED)
      }, HAND_OVER_TIMEOUT_MS)
      const settle = (value: T | typeof FAILED) => {
        this.#clock.clearTimeout(timer)
        resolve(value)
      }
      try {
        operation(store).then(settle, () => settle(FAILED))
      } catch {
        settle(FAILED)
      }
    })
  }

  /** The store, opened on first use (an adapter created on a server never opens one); null without IndexedDB. */
  #openStore(): UseStore | null {
    if (this.#store === undefined) this.#store = typeof globalThis.indexedDB?.open === 'function' ? createStore('sessionkit-oidc', 'hand-over') : null
    return this.#store
  }
}

const FAILED = Symbol('failed')

/** A record as stored, read back defensively: anything else reads as none. */
export function readSessionGeneration(stored: unknown): SessionGeneration | null {
  try {
    const value: unknown = typeof stored === 'string' ? JSON.parse(stored) : null
    if (value === null || typeof value !== 'object') return null
    const { id, generation } = value as Record<string, unknown>
    return typeof id === 'string' && typeof generation === 'number' ? { id, generation } : null
  } catch {
    return null
  }
}
