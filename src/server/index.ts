/**
 * sessionkit on the server: verify session tokens and read the signed-in
 * state for a server render. Web APIs only (fetch, Request, Web Crypto, URL),
 * so it runs in Node, Deno, Bun and edge runtimes alike; no React, no DOM.
 */
export {
  verifySessionToken,
  type ActorClaim,
  type SessionTokenClaims,
  type SessionTokenKeys,
  type VerifySessionTokenOptions,
} from './verifySessionToken'
export {
  authenticate,
  wwwAuthenticate,
  type AuthResult,
  type RequestLike,
  type SignedInAuth,
  type SignedOutAuth,
  type SignedOutReason,
} from './authenticate'
export { getClientSnapshot, isSignedIn, type ClientSnapshot, type ClientSnapshotOptions } from './clientSnapshot'
export { SessionKitError, isSessionKitError } from '../core/errors'
export type { SessionKitErrorCode } from '../core/errors'
