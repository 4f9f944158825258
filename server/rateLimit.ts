import net from 'node:net'
import type { RateLimit } from './config'

export interface RateDecision {
  allowed: boolean
  /** Seconds until the window resets (for `Retry-After`); 0 when allowed. */
  retryAfterSeconds: number
}

const SWEEP_AT_SIZE = 10_000

/**
 * Fixed-window counters kept in memory: a restart forgets them, which is fine
 * for a limit measured in minutes. Time comes from the server's clock so tests
 * can move past a window without sleeping.
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>()

  constructor(
    private readonly limit: RateLimit | null,
    private readonly now: () => number,
  ) {}

  hit(key: string): RateDecision {
    if (!this.limit) return { allowed: true, retryAfterSeconds: 0 }
    const { limit, windowMs } = this.limit
    const now = this.now()
    if (this.windows.size >= SWEEP_AT_SIZE) this.sweep(now)
    let window = this.windows.get(key)
    if (!window || now >= window.start + windowMs || now < window.start) {
      window = { start: now, count: 0 }
      this.windows.set(key, window)
    }
    window.count += 1
    if (window.count <= limit) return { allowed: true, retryAfterSeconds: 0 }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.start + windowMs - now) / 1000)) }
  }

  /** Drops finished windows so a flood of distinct keys cannot grow the map without bound. */
  private sweep(now: number): void {
    for (const [key, window] of this.windows) {
      if (now >= window.start + this.limit!.windowMs) this.windows.delete(key)
    }
    // Still full of live windows: forgetting them only lets a few extra requests through.
    if (this.windows.size >= SWEEP_AT_SIZE) this.windows.clear()
  }
}

/**
 * The part of an address one attacker controls as a unit: an IPv6 host is
 * usually given a whole /64 and can rotate through it freely, so IPv6 counts
 * by its first four groups; IPv4 (also IPv4-mapped IPv6) by the address.
 */
export function rateLimitAddress(ip: string): string {
  if (!net.isIPv6(ip)) return ip
  const address = ip.split('%')[0]!.toLowerCase()
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address)
  if (mapped) return mapped[1]!
  const [head = '', tail] = address.split('::')
  const groups = (part: string | undefined) => (part ? part.split(':') : [])
  const headGroups = groups(head)
  // Only the first four groups matter; a dotted IPv4 ending sits in the last two, past them.
  const missing = tail === undefined ? 0 : 8 - headGroups.length - groups(tail).length - (tail.includes('.') ? 1 : 0)
  const full = [...headGroups, ...Array<string>(Math.max(0, missing)).fill('0'), ...groups(tail)]
  return `${full.slice(0, 4).map((group) => Number.parseInt(group, 16).toString(16)).join(':')}::/64`
}
