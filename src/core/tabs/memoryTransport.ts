import type { Clock } from '../clock'
import type { TabChannel, TabLockManager, TabTransport } from './transport'

/** Conditions on the simulated channel between tabs, for tests. */
export interface MemoryTabConditions {
  /** Return true to drop a message. Default: none dropped. */
  drop?: (message: unknown) => boolean
  /** Deliver every message twice. Default false. */
  duplicate?: boolean
  /** Delay each message by a random 0..maxDelayMs on the clock, so messages can arrive out of order. Default 0. */
  maxDelayMs?: number
}

/** One simulated tab's transport, plus what can happen to a tab. */
export interface MemoryTab extends TabTransport {
  /** The tab dies: its locks are freed, its channels closed. */
  close(): void
}

interface Waiter {
  tab: object
  callback: (lock: unknown) => Promise<void>
  resolve: () => void
  reject: (error: unknown) => void
}

/**
 * BroadcastChannel and Web Locks for several clients in one process, with
 * the browser's semantics: a message reaches every other tab of the channel,
 * asynchronously; a lock has one holder, is granted in request order, is freed
 * when its holder's callback settles or its tab dies, and can be stolen.
 */
export function createMemoryTabHub(clock: Clock, conditions: MemoryTabConditions = {}) {
  const subscribers = new Map<string, Set<{ tab: object; listener: (data: unknown) => void }>>()
  const holders = new Map<string, Waiter>()
  const queues = new Map<string, Waiter[]>()
  const abortError = () => Object.assign(new Error('The lock request was aborted.'), { name: 'AbortError' })

  const deliver = (name: string, from: object, message: unknown) => {
    if (conditions.drop?.(message)) return
    const copies = conditions.duplicate ? 2 : 1
    for (const subscriber of subscribers.get(name) ?? []) {
      if (subscriber.tab === from) continue
      for (let i = 0; i < copies; i++) {
        // structuredClone: tabs never share objects, as with a real channel.
        const copy = structuredClone(message)
        // As with a real channel, a message on its way is not delivered once the receiving channel closed.
        const arrive = () => {
          if (subscribers.get(name)?.has(subscriber)) subscriber.listener(copy)
        }
        const delay = conditions.maxDelayMs ? Math.floor(Math.random() * conditions.maxDelayMs) : 0
        if (delay > 0) clock.setTimeout(arrive, delay)
        else queueMicrotask(arrive)
      }
    }
  }

  const grantNext = (name: string) => {
    if (holders.has(name)) return
    const next = queues.get(name)?.shift()
    if (!next) return
    holders.set(name, next)
    next
      .callback({ name })
      .then(next.resolve, next.reject)
      .finally(() => {
        if (holders.get(name) === next) {
          holders.delete(name)
          grantNext(name)
        }
      })
  }

  return {
    conditions,
    /** A new tab. */
    tab(): MemoryTab {
      const tab = {}
      const locks: TabLockManager = {
        request(name, options, callback) {
          return new Promise<void>((resolve, reject) => {
            const waiter: Waiter = { tab, callback, resolve, reject }
            if (options.steal) {
              const holder = holders.get(name)
              if (holder) {
                holders.delete(name)
                holder.reject(abortError())
              }
              queues.set(name, [waiter, ...(queues.get(name) ?? [])])
            } else {
              if (options.signal?.aborted) return reject(abortError())
              options.signal?.addEventListener('abort', () => {
                const queue = queues.get(name) ?? []
                const index = queue.indexOf(waiter)
                if (index >= 0) {
                  queue.splice(index, 1)
                  reject(abortError())
                }
              })
              queues.set(name, [...(queues.get(name) ?? []), waiter])
            }
            grantNext(name)
          })
        },
      }
      return {
        locks,
        channel(name): TabChannel {
          /** This channel's listeners: closing it ends them all. */
          const mine = new Set<{ tab: object; listener: (data: unknown) => void }>()
          return {
            postMessage: (message) => deliver(name, tab, message),
            subscribe(listener) {
              const entry = { tab, listener }
              mine.add(entry)
              const set = subscribers.get(name) ?? new Set()
              set.add(entry)
              subscribers.set(name, set)
            },
            close() {
              for (const entry of mine) subscribers.get(name)?.delete(entry)
            },
          }
        },
        close() {
          for (const set of subscribers.values()) for (const s of [...set]) if (s.tab === tab) set.delete(s)
          for (const [name, queue] of queues) queues.set(name, queue.filter((w) => w.tab !== tab))
          for (const [name, holder] of [...holders]) {
            if (holder.tab !== tab) continue
            holders.delete(name)
            holder.reject(abortError())
            grantNext(name)
          }
        },
      }
    },
  }
}
