// Types of the test OpenID provider (provider.mjs, server.mjs): plain ESM so
// `node test/oidc/cli.mjs` runs it on Node 20 without a compiler.

/** What `startOidcProvider` configures. */
export interface OidcProviderOptions {
  /** Port on 127.0.0.1. Default 0 (a free one). */
  port?: number
  /** The one public client's id. Default 'sessionkit-test'. */
  clientId?: string
  /** Where the client may be sent back after sign-in (their origins may call the provider: CORS). Default ['http://localhost:3000/callback']. */
  redirectUris?: string[]
  /** Where RP-initiated logout may return. Default: the root of each redirect URI's origin. */
  postLogoutRedirectUris?: string[]
  /** Token lifetimes in seconds. Default access 60, ID 60, refresh 120 (constant idle backstop), session and grant 900. */
  ttlSeconds?: { accessToken?: number; idToken?: number; refreshToken?: number; session?: number }
}

/** What the child process reads: the options without the port default applied. */
export type OidcProviderConfig = OidcProviderOptions

/** Counters from the provider's own events, since it started. */
export interface OidcProviderStats {
  /** Codes exchanged at the token endpoint. */
  authorizationCodeGrants: number
  /** Successful refresh_token grants. */
  refreshGrants: number
  /** Refreshes with an already-consumed token (oidc-provider then revokes the grant). */
  reuseDetections: number
  /** Token endpoint answers with an error, reuse detections included. */
  grantErrors: number
  /** Grants revoked (by reuse detection, RFC 7009 revocation or logout). */
  grantRevocations: number
  /** RFC 7009 revocation requests answered 200. */
  revocations: number
  /** RP-initiated logouts completed. */
  endSessions: number
}

/** A running test provider. Stop it in the test that started it. */
export interface OidcTestProvider {
  /** e.g. http://127.0.0.1:41234 (no trailing slash: exactly what discovery says). */
  issuer: string
  clientId: string
  port: number
  /** The provider's last lines of stderr, for a failing test's report. */
  output: string[]
  stats(): Promise<OidcProviderStats>
  /** The provider's clock (ms since the epoch). */
  now(): Promise<number>
  /** Moves the provider's clock forward; answers its new time. */
  advance(ms: number): Promise<number>
  /** Sets the provider's clock (e.g. to a test's virtual clock); answers its new time. */
  setNow(at: number): Promise<number>
  /** While down, every request but /__test/* fails: the socket is destroyed ('reset', default) or answered 503. */
  setDown(down: boolean, mode?: 'reset' | '503'): Promise<void>
  stop(): Promise<void>
}

export declare function startOidcProvider(options?: OidcProviderOptions): Promise<OidcTestProvider>
