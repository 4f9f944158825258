// Development-only code is written behind `process.env.NODE_ENV !== 'production'`
// at each use, as React and zustand do. An app's bundler replaces the
// expression with a constant while it parses each module, so a production
// bundle drops the branch: the long explanations of errors and the
// development-only warnings. A shared `DEV` constant would not do: bundlers
// inline a constant imported from another module only after deciding what to
// keep, so the text would stay. Production errors keep their `code` and a
// short sentence. (`process` is declared in src/env.d.ts.)

/** Warns once per message, in development only, naming where it comes from. */
const warned = new Set<string>()
export function warnOnce(message: string): void {
  if (process.env.NODE_ENV === 'production' || warned.has(message)) return
  warned.add(message)
  console.warn(`[sessionkit] ${message}`)
}
