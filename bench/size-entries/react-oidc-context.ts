// react-oidc-context on the client: the provider and the hook; oidc-client-ts
// (its UserManager, token refresh and session monitor) comes with them.
export { AuthProvider, useAuth } from 'react-oidc-context'
