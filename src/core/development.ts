// Bundlers replace `process.env.NODE_ENV` with a string; declared here so the
// library's own types never depend on Node's.
declare const process: { env: { NODE_ENV?: string } }

/**
 * True in development builds. A production bundle folds it to `false`, so
 * everything behind `if (DEV)` or `DEV ? long : short` leaves the bundle: the
 * long explanations of errors and the development-only warnings. Written as
 * React and zustand do (a bare `process.env.NODE_ENV`), because a guard such
 * as `typeof process` stops bundlers from folding it. Production errors keep
 * their `code` and a short sentence.
 */
export const DEV: boolean = process.env.NODE_ENV !== 'production'

/** True in development builds (see `DEV`). */
export function isDevelopment(): boolean {
  return DEV
}

/** Warns once per message, in development only, naming where it comes from. */
const warned = new Set<string>()
export function warnOnce(message: string): void {
  if (!DEV || warned.has(message)) return
  warned.add(message)
  console.warn(`[sessionkit] ${message}`)
}
