// The record a refresh lock's holder leaves for the next holder (OIDC adapter,
// handOver.ts), on Chromium's real IndexedDB: what one tab's adapter writes
// another's reads, and a store that never answers does not hold the lock for good.
import { afterEach, describe, expect, it } from 'vitest'
import { HAND_OVER_TIMEOUT_MS, HandOver } from '../../src/adapters/oidc/handOver'
import { createVirtualClock } from '../../src/core/virtualClock'

let keys = 0
/** A fresh adapter key per test: the database is shared by every test of this page. */
const freshKey = () => `oidc:https://id.example#web-${Date.now()}-${keys++}`

afterEach(() => localStorage.clear())

describe('the hand-over record in IndexedDB', () => {
  it("what one adapter writes another adapter of the same key reads, from IndexedDB, not localStorage's copy", async () => {
    const key = freshKey()
    const clock = createVirtualClock()
    await new HandOver(key, clock).write('generation', { id: 'session-1', generation: 7 })
    // localStorage's copy is what a reader without IndexedDB gets; this reader has IndexedDB.
    localStorage.clear()

    const next = new HandOver(key, clock)
    expect(await next.read('generation')).toEqual({ id: 'session-1', generation: 7 })
    expect(await next.read('refresh-sent')).toBeNull()
    expect(await new HandOver(freshKey(), clock).read('generation')).toBeNull()
  })

  it('keeps only the session id and the number (never a token), and null removes the record', async () => {
    const key = freshKey()
    const clock = createVirtualClock()
    const handOver = new HandOver(key, clock)
    const held = { id: 'session-1', generation: 3, refreshToken: 'secret-refresh-token', accessToken: 'secret-access-token' }
    await handOver.write('refresh-sent', held)
    const stored = await storedValue(`sessionkit-oidc:${key}:refresh-sent`)
    expect(stored).toBe('{"id":"session-1","generation":3}')

    await handOver.write('refresh-sent', null)
    expect(await new HandOver(key, clock).read('refresh-sent')).toBeNull()
    expect(localStorage.getItem(`sessionkit-oidc:${key}:refresh-sent`)).toBeNull()
  })

  it('a store that never answers: after the bound the tab reads localStorage, and stops waiting on the store', async () => {
    const key = freshKey()
    const clock = createVirtualClock()
    const writer = new HandOver(key, clock)
    await writer.write('generation', { id: 'session-1', generation: 2 })
    // Another version of the page upgrades the database while `writer` keeps its connection open
    // (it does not close on "versionchange"): every later open waits behind the blocked upgrade.
    indexedDB.open('sessionkit-oidc', 1_000 + keys)

    const reader = new HandOver(key, clock)
    const read = reader.read('generation')
    let settled = false
    void read.then(() => (settled = true))
    await clock.advanceAsync(HAND_OVER_TIMEOUT_MS - 1)
    expect(settled).toBe(false)
    await clock.advanceAsync(1)
    expect(await read).toEqual({ id: 'session-1', generation: 2 })

    // From then on no wait at all: the lock is never held for the store again.
    localStorage.setItem(`sessionkit-oidc:${key}:generation`, '{"id":"session-1","generation":3}')
    expect(await reader.read('generation')).toEqual({ id: 'session-1', generation: 3 })
  })
})

/** The raw value IndexedDB holds under `key`. */
async function storedValue(key: string): Promise<unknown> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open('sessionkit-oidc')
    open.onsuccess = () => resolve(open.result)
    open.onerror = () => reject(open.error)
  })
  try {
    return await new Promise((resolve, reject) => {
      const get = db.transaction('hand-over').objectStore('hand-over').get(key)
      get.onsuccess = () => resolve(get.result)
      get.onerror = () => reject(get.error)
    })
  } finally {
    db.close()
  }
}
