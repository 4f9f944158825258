'use client'
import type { RedirectSignInParams, SignInParams } from '../core/adapter'
import { useClientFor, type SessionHookOptions } from './context'

/** What `useSignIn()` returns: the ways this backend signs users in. */
export interface UseSignInReturn {
  /** Whether `signIn({ identifier, password })` works (the adapter has `signIn`). */
  canSignInWithPassword: boolean
  /** Whether `signInWithRedirect()` works (an OIDC adapter, say). */
  canSignInWithRedirect: boolean
  /** Signs in with a password; rejects `not_supported` without `signIn`, `invalid_credentials` on a wrong password. */
  signIn: (params: SignInParams) => Promise<void>
  /** Leaves the page for the identity provider's sign-in; the session is there when the app loads again. */
  signInWithRedirect: (params?: RedirectSignInParams) => Promise<void>
}

/** Signing in, as the adapter offers it: a password form, a redirect to the identity provider, or neither. */
export function useSignIn(options?: SessionHookOptions): UseSignInReturn {
  const client = useClientFor('useSignIn', options)
  return {
    canSignInWithPassword: client.capabilities.passwordSignIn,
    canSignInWithRedirect: client.capabilities.redirectSignIn,
    signIn: client.signIn,
    signInWithRedirect: client.signInWithRedirect,
  }
}
