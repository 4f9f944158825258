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
