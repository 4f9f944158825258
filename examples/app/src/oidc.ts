// The demo app against an OpenID provider: built with `vite build --mode oidc`
// (npm run demo:oidc, the OIDC e2e flows). Which provider comes from
// /oidc-config.json on the app's own origin, written by whoever serves the
// build (scripts/demo-oidc.mjs), so one build works with a provider on any port.
import { createOidcAdapter } from '../../../src/adapters/oidc'
import type { SessionAdapter } from '../../../src/core/adapter'

/** Whether this build signs in with an OpenID provider (`--mode oidc`) instead of the reference server. */
export const OIDC_MODE = import.meta.env.MODE === 'oidc'

/** What /oidc-config.json says. */
export interface OidcDemoConfig {
  /** The provider's issuer URL, as its discovery document names it. */
  issuer: string
  /** The app's public client id at the provider. */
  clientId: string
  /** Shown on the button: "Sign in with <providerName>". Default: the issuer's host. */
  providerName: string
  /** The app's inactivity timeout (ms). Default 2 minutes: a minute before the demo provider's refresh-token idle lifetime (180 s). */
  inactivityTimeoutMs: number
}

/**
 * The demo provider's refresh tokens die after 180 s unused (DEMO_PROVIDER_TTL in scripts/demo-oidc.mjs): the app
 * signs out a minute earlier, while its refresh token is still alive to revoke (a touch lags input by up to 12 s).
 */
const DEFAULT_INACTIVITY_TIMEOUT_MS = 2 * 60_000
/** The demo provider's grant and login session last 20 minutes: the app's maximum lifetime ends first, with its warning. */
const MAX_LIFETIME_MS = 15 * 60_000

/** Where the provider sends the browser back after sign-in; the static server answers it with index.html. */
export const CALLBACK_PATH = '/callback'

async function loadConfig(): Promise<OidcDemoConfig> {
  const response = await fetch('/oidc-config.json', { headers: { accept: 'application/json' } })
  const config = (response.ok ? await response.json() : null) as Partial<OidcDemoConfig> | null
  if (typeof config?.issuer !== 'string' || typeof config.clientId !== 'string') {
    throw new Error('/oidc-config.json must name the provider ({ "issuer", "clientId" }): start the demo with npm run demo:oidc.')
  }
  return {
    issuer: config.issuer,
    clientId: config.clientId,
    providerName: config.providerName ?? new URL(config.issuer).host,
    inactivityTimeoutMs: config.inactivityTimeoutMs ?? DEFAULT_INACTIVITY_TIMEOUT_MS,
  }
}

/** The provider this build signs in with (null in the reference-server build). */
export const oidcConfig: OidcDemoConfig | null = OIDC_MODE ? await loadConfig() : null

/** The OIDC adapter for this origin: tokens in memory, the callback at /callback, back to / after logout. */
export function createDemoOidcAdapter(config: OidcDemoConfig): SessionAdapter {
  return createOidcAdapter({
    issuer: config.issuer,
    clientId: config.clientId,
    redirectUri: location.origin + CALLBACK_PATH,
    postLogoutRedirectUri: `${location.origin}/`,
    inactivityTimeout: config.inactivityTimeoutMs,
    maxLifetime: MAX_LIFETIME_MS,
  })
}

let userinfoEndpoint: Promise<string> | null = null

/** The provider's userinfo endpoint, from its discovery document (asked once; again after a failure). */
export function discoverUserinfoEndpoint(issuer: string): Promise<string> {
  userinfoEndpoint ??= (async () => {
    const response = await fetch(`${issuer}/.well-known/openid-configuration`, { headers: { accept: 'application/json' } })
    const endpoint = response.ok ? ((await response.json()) as { userinfo_endpoint?: unknown }).userinfo_endpoint : undefined
    if (typeof endpoint !== 'string') throw new Error(`The provider's discovery document names no userinfo endpoint (${response.status}).`)
    return endpoint
  })().catch((error: unknown) => {
    userinfoEndpoint = null
    throw error
  })
  return userinfoEndpoint
}
