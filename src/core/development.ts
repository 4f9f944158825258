// Bundlers replace `process.env.NODE_ENV` with a string; a browser without a
// bundler has no `process` at all. Declared here so the library's own types
// never depend on Node's.
declare const process: { env: { NODE_ENV?: string } }

/**
 * True in development builds: development-only warnings and checks run only
 * then. A production bundle folds it to false; a page loading the ES module
 * with no bundler counts as production.
 */
export function isDevelopment(): boolean {
  try {
    return process.env.NODE_ENV !== 'production'
  } catch {
    return false
  }
}

/** Warns once per message, in development only, naming where it comes from. */
const warned = new Set<string>()
export function warnOnce(message: string): void {
  if (!isDevelopment() || warned.has(message)) return
  warned.add(message)
  console.warn(`[sessionkit] ${message}`)
}
