// The framework-agnostic core: no React import anywhere below this folder.
export { createSessionClient } from './client'
export { SessionKitError, isSessionKitError } from './errors'
export { isSignOutError, isConnectivityError } from './failurePolicy'
export type { SessionKitErrorCode, SessionKitErrorDetails } from './errors'
export { systemClock } from './clock'
export type { Clock, TimerHandle } from './clock'
export { createVirtualClock } from './virtualClock'
export type { VirtualClock } from './virtualClock'
export { validatePolicy, DEFAULT_POLICY } from './lifetimes'
export type { LifetimePolicy } from './lifetimes'
export type { SessionEventListener, SessionEventMap, SessionEventName } from './events'
export type { Deadline, DeadlineReason, Phase } from './deadline'
export { isReverified, resolveReverification } from './authorization'
export type { ReverificationCheck, ReverificationPreset, VerificationLevel } from './authorization'
export { decodeJwt } from './jwt'
export type { TokenClaims } from './jwt'
export { DEFAULT_ACTIVITY_EVENTS } from './activity'
export type {
  AdapterCapabilities,
  AdapterResponse,
  CreateTokenParams,
  EndSessionParams,
  RedirectSignInParams,
  SessionAdapter,
  SignInParams,
  TokenResource,
  UserSessionResource,
  VerificationParams,
} from './adapter'
export type {
  ActorResource,
  ClientResource,
  OrganizationMembershipResource,
  PublicUserData,
  SessionResource,
  SessionStatus,
  UserResource,
} from './resources'
export type {
  AuthorizationParams,
  BeforeSignOut,
  BeforeSignOutInfo,
  Connectivity,
  Renewal,
  GetTokenOptions,
  Session,
  SessionClient,
  SessionClientOptions,
  SessionClientState,
  SignOutReason,
  User,
  UserSession,
} from './types'
