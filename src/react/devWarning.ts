'use client'

const warned = new Set<string>()

/** Logs a `[sessionkit]` warning once per message, in development only. */
export function devWarn(message: string): void {
  if (process.env.NODE_ENV === 'production') return
  if (warned.has(message)) return
  warned.add(message)
  console.warn(`[sessionkit] ${message}`)
}
