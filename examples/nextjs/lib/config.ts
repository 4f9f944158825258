// Where the reference server is, as `next build` saw it (next.config.ts inlines both).
// Safe in every runtime: the edge middleware, server components and route handlers.

/** The reference server's origin, reached directly from the Next server. */
export const API_ORIGIN = process.env.SESSIONKIT_API_ORIGIN ?? 'http://127.0.0.1:3001'

/** Its key set, for verifySessionToken (fetched once, then cached by jose). */
export const JWKS_URL = `${API_ORIGIN}/.well-known/jwks.json`

/** The `iss` its tokens carry (its SESSIONKIT_ISSUER). */
export const ISSUER = process.env.SESSIONKIT_ISSUER ?? 'sessionkit'

/** Only a path on this site may follow a sign-in (no open redirect to another origin). */
export function safeNext(next: string | string[] | undefined): string {
  const value = Array.isArray(next) ? next[0] : next
  return value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : '/dashboard'
}
