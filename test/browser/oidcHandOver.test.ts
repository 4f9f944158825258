// The note a refresh lock's holder leaves for the next holder (OIDC adapter,
// handOver.ts), on Chromium's real IndexedDB: what one tab's adapter writes
// another's reads; a tab that had to give IndexedDB up still reaches the
// others; a store that never answers does not hold the lock for good; and an
// app deleting the database is not kept waiting by an open tab.
import { afterEach, describe, expect, it } from 'vitest'
import { HAND_OVER_TIMEOUT_MS, HandOver } from '../../src/adapters/oidc/handOver'
import { createVirtualClock } from '../../src/core/virtualClock'

const DATABASE = 'sessionkit-oidc'
let keys = 0
/** A fresh adapter key per test: the database is shared by every test of this page. */
const freshKey = () => `oidc:https://id.example#web-${Date.now()}-${keys++}`

afterEach(() => localStorage.clear())

describe('the hand-over note in IndexedDB', () => {
  it("what one adapter writes another adapter of the same key reads, from IndexedDB, not localStorage's copy", async () => {
    const key = freshKey()
    const clock = createVirtualClock()
    await new HandOver(key, clock).write('generation', { id: 'session-1', generation: 7 })
    // localStorage's copy is for tabs without IndexedDB; this reader has IndexedDB.
    localStorage.clear()

    const next = new HandOver(key, clock)
    expect(await next.generationOf('generation', 'session-1')).toBe(7)
    expect(await next.generationOf('generation', 'session-2')).toBeNull()
    expect(await next.generationOf('refresh-sent', 'session-1')).toBeNull()
    expect(await new HandOver(freshKey(), clock).generationOf('generation', 'session-1')).toBeNull()
  })

  it('keeps only the session id and the number (never a token), and null removes the note', async () => {
    const key = freshKey()
    const clock = createVirtualClock()
    const handOver = new HandOver(key, clock)
    const held = { id: 'session-1', generation: 3, refreshToken: 'secret-refresh-token', accessToken: 'secret-access-token' }
    await handOver.write('refresh-sent', held)
    expect(await storedValue(`sessionkit-oidc:${key}:refresh-sent`)).toBe('{"id":"session-1","generation":3}')
    expect(localStorage.getItem(`sessionkit-oidc:${key}:refresh-sent`)).toBe('{"id":"session-1","generation":3}')

    await handOver.write('refresh-sent', null)
    expect(await new HandOver(key, clock).generationOf('refresh-sent', 'session-1')).toBeNull()
    expect(await storedValue(`sessionkit-oidc:${key}:refresh-sent`)).toBeUndefined()
    expect(localStorage.getItem(`sessionkit-oidc:${key}:refresh-sent`)).toBeNull()
  })

  it('a store that never answers: after the bound the tab goes on without it, and its later notes still reach a tab that reads IndexedDB', async () => {
    const key = freshKey()
    const clock = createVirtualClock()
    await new HandOver(key, clock).write('generation', { id: 'session-1', generation: 1 })
    // A connection that never lets go (another library, an older page) blocks an upgrade, and every open waits behind it.
    const stubborn = await openDatabase()
    const upgrade = indexedDB.open(DATABASE, stubborn.version + 1)

    const stuck = new HandOver(key, clock)
    let settled = false
    const read = stuck.generationOf('generation', 'session-1').finally(() => (settled = true))
    await clock.advanceAsync(HAND_OVER_TIMEOUT_MS - 1)
    expect(settled).toBe(false)
    await clock.advanceAsync(1)
    expect(await read).toBe(1)
    // From then on this tab does not wait on the store: its note goes to localStorage alone, at once.
    await stuck.write('generation', { id: 'session-1', generation: 2 })

    stubborn.close()
    await new Promise((resolve) => (upgrade.onsuccess = () => resolve(upgrade.result.close())))
    // IndexedDB still says 1 here; the reader takes the later copy.
    expect(await storedValue(`sessionkit-oidc:${key}:generation`)).toBe('{"id":"session-1","generation":1}')
    expect(await new HandOver(key, clock).generationOf('generation', 'session-1')).toBe(2)
  })

  it('an app deleting the database (clearing storage at sign-out) is not kept waiting by an open tab, and the next note opens it again', async () => {
    const key = freshKey()
    const clock = createVirtualClock()
    const handOver = new HandOver(key, clock)
    await handOver.write('generation', { id: 'session-1', generation: 1 })

    const deletion = indexedDB.deleteDatabase(DATABASE)
    let blocked = false
    deletion.onblocked = () => (blocked = true)
    await new Promise((resolve, reject) => {
      deletion.onsuccess = resolve
      deletion.onerror = () => reject(deletion.error)
    })
    expect(blocked).toBe(false)

    await handOver.write('generation', { id: 'session-1', generation: 2 })
    localStorage.clear()
    expect(await new HandOver(key, clock).generationOf('generation', 'session-1')).toBe(2)
  })
})

function openDatabase(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DATABASE)
    open.onsuccess = () => resolve(open.result)
    open.onerror = () => reject(open.error)
  })
}

/** The raw value IndexedDB holds under `key`. */
async function storedValue(key: string): Promise<unknown> {
  const db = await openDatabase()
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
