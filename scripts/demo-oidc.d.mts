// Types of demo-oidc.mjs, for the OIDC e2e fixtures (test/e2e/oidcFixtures.ts).

/** Where the OIDC build of the demo app goes: examples/app/dist-oidc. */
export declare const OIDC_APP_DIST: string

/** The path on the app's origin the provider sends the browser back to ('/callback'). */
export declare const CALLBACK_PATH: string

/** The provider's lifetimes in the demo and the e2e flows (seconds): a little longer than the app's own deadlines. */
export declare const DEMO_PROVIDER_TTL: { accessToken: number; refreshToken: number; session: number }

/** Builds examples/app in OIDC mode (`vite build --mode oidc`) into examples/app/dist-oidc. */
export declare function buildOidcApp(): Promise<void>

/** The demo app served on 127.0.0.1. */
export interface OidcAppServer {
  /** e.g. http://127.0.0.1:40123 */
  origin: string
  /** origin + '/callback': register it at the provider. */
  redirectUri: string
  /** origin + '/': where RP-initiated logout returns. */
  postLogoutRedirectUri: string
  close(): Promise<void>
}

/**
 * Serves the built app (default examples/app/dist-oidc) on 127.0.0.1 (`port` default 0 = a free one),
 * with `config` as /oidc-config.json (read at each request, so it may be filled in after the start).
 */
export declare function serveOidcApp(options: { dir?: string; port?: number; config: Record<string, unknown> }): Promise<OidcAppServer>
