// Types of server.mjs: the provider itself, for a process of its own (cli.mjs, provider.mjs's child).
import type { OidcProviderConfig } from './provider.d.mts'

/** Starts the provider in this process (shifts this process's `Date`: use only in a process of its own). */
export declare function runOidcServer(config?: OidcProviderConfig): Promise<{
  issuer: string
  clientId: string
  port: number
  close(): Promise<void>
}>

/** The claims the provider gives a dev login: `ada.lovelace` → Ada Lovelace, ada.lovelace@example.test. */
export declare function claimsForLogin(login: string): {
  sub: string
  name: string
  given_name: string
  family_name: string
  email: string
  email_verified: boolean
}
