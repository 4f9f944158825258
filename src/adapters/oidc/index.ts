/**
 * The OpenID Connect adapter: any OpenID provider (Keycloak, Auth0, Okta,
 * Entra ID, Cognito, Zitadel, ...) as a public client with authorization
 * code + PKCE and refresh tokens, the tokens in memory only.
 */
export { createOidcAdapter, type OidcAdapter } from './adapter'
export {
  DEFAULT_OIDC_INACTIVITY_TIMEOUT,
  DEFAULT_OIDC_SCOPE,
  DEFAULT_OIDC_TIMEOUT_MS,
  type OidcAdapterOptions,
  type OidcFetch,
} from './options'
