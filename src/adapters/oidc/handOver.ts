import { del, get, promisifyRequest, set, type UseStore } from 'idb-keyval'
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
 * Read from IndexedDB, not from localStorage alone. Chromium gives every tab process its
 * own copy of localStorage and brings other tabs' writes to it later, on
 * another path than the lock. A tab taking the lock just after another tab
 * wrote the record read the old value about one time in three (measured in
 * Chromium, three tabs, 300 hand-overs; IndexedDB: 0), then sent the refresh
 * token the other tab had just rotated away, and the provider's reuse
 * detection signed every tab out. IndexedDB orders the transactions of an
 * origin in one place: a read begun after a write was created sees it.
 *
 * Every note goes to localStorage too, and a reader takes the later of the
 * two copies: a tab where IndexedDB is missing, fails (a locked-down
 * browser, a full disk) or never answers still reaches the others, as
 * reliably as before. localStorage's copy can only lag behind, never lead.
 */
export class HandOver {
  readonly #key: string
  readonly #clock: Clock
  #store: UseStore | null | undefined

  constructor(key: string, clock: Clock) {
    this.#key = `sessionkit-oidc:${key}`
    this.#clock = clock
  }

  /**
   * The highest generation of session `sessionId` that either copy of the note `name` names, or
   * null when neither names that session (no note yet, or one about another session).
   */
  async generationOf(name: HandOverName, sessionId: string): Promise<number | null> {
    const key = `${this.#key}:${name}`
    const stored = await this.#run((store) => get<unknown>(key, store))
    let highest: number | null = null
    for (const note of [readSessionGeneration(stored), readSessionGeneration(readStorage('localStorage', key))]) {
      if (note?.id === sessionId && (highest === null || note.generation > highest)) highest = note.generation
    }
    return highest
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
    try {
      if (this.#store === undefined) this.#store = typeof globalThis.indexedDB?.open === 'function' ? openHandOverStore() : null
    } catch {
      // Reading `indexedDB` itself can throw (a sandboxed frame).
      this.#store = null
    }
    return this.#store
  }
}

/**
 * idb-keyval's store, opened by hand for one reason: the connection closes when another page
 * deletes or upgrades the database (an app clearing IndexedDB at sign-out), which would otherwise
 * wait for every open tab, and every tab opened after it would wait behind it. The next note reopens it.
 */
function openHandOverStore(): UseStore {
  let opening: Promise<IDBDatabase> | null = null
  const open = () => {
    if (opening) return opening
    const request = indexedDB.open('sessionkit-oidc')
    request.onupgradeneeded = () => request.result.createObjectStore('hand-over')
    const opened = promisifyRequest(request).then((db) => {
      db.onversionchange = () => {
        db.close()
        if (opening === opened) opening = null
      }
      // The browser closed it (storage cleared in the settings, say).
      db.onclose = () => {
        if (opening === opened) opening = null
      }
      return db
    })
    opened.catch(() => {
      if (opening === opened) opening = null
    })
    return (opening = opened)
  }
  return (mode, callback) => open().then((db) => callback(db.transaction('hand-over', mode).objectStore('hand-over')))
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
