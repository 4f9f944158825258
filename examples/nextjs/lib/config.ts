// Where the reference server is, as `next build` saw it (next.config.ts inlines both).
// Safe in every runtime: the edge middleware, server components and route handlers.

/** The reference server's origin, reached directly from the Next server. */
export const API_ORIGIN = process.env.SESSIONKIT_API_ORIGIN ?? 'http://127.0.0.1:3001'

/** Its key set, for verifySessionToken (fetched once, then cached by jose). */
export const JWKS_URL = `${API_ORIGIN}/.well-known/jwks.json`

/** The `iss` its tokens carry (its SESSIONKIT_ISSUER). */
export const ISSUER = process.env.SESSIONKIT_ISSUER ?? 'sessionkit'

/** Any origin will do: only whether a value stays on it matters. */
const PLACEHOLDER_ORIGIN = 'http://this-site.invalid'

/**
 * Only a path on this site may follow a sign-in (no open redirect to another origin).
 * Judged the way the browser and Next read the URL, not by its first characters: the
 * URL standard drops tabs and newlines and reads `\\` as `/`, so `/\t/evil.com` is
 * `//evil.com`. The answer is the parsed path, query and hash, itself re-checked
 * (`/a/..//evil.com` parses to the path `//evil.com`).
 */
export function safeNext(next: string | string[] | undefined): string {
  const value = Array.isArray(next) ? next[0] : next
  const fallback = '/dashboard'
  if (!value?.startsWith('/')) return fallback
  let target: string
  try {
    const parsed = new URL(value, PLACEHOLDER_ORIGIN)
    if (parsed.origin !== PLACEHOLDER_ORIGIN) return fallback
    target = `${parsed.pathname}${parsed.search}${parsed.hash}`
  } catch {
    return fallback
  }
  const staysHere = !target.startsWith('//') && new URL(target, PLACEHOLDER_ORIGIN).origin === PLACEHOLDER_ORIGIN
  return staysHere ? target : fallback
}
