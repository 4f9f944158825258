'use client'
// sessionkit/react: the provider, one hook per concern, control components,
// the inactivity warning and the active-devices list. Styles: `import 'sessionkit/styles.css'`.

export { SessionProvider, type SessionProviderProps, type SessionEventProps } from './SessionProvider'
export type { SessionHookOptions } from './context'
export { useSessionSelector, type EqualityFn } from './useSessionSelector'
export { useSessionClient } from './useSessionClient'
export { useAuth, type UseAuthReturn, type AuthLoading, type AuthSignedIn, type AuthSignedOut } from './useAuth'
export { useSession, type UseSessionReturn } from './useSession'
export { useSessionList, type UseSessionListReturn } from './useSessionList'
export { useSignIn, type UseSignInReturn } from './useSignIn'
export { useUser, type UseUserReturn } from './useUser'
export { useSessionExpiry, type UseSessionExpiryReturn } from './useSessionExpiry'
export { useSessionEvent } from './useSessionEvent'
export { useActor, type UseActorReturn } from './useActor'
export { useUserSessions, type UseUserSessionsReturn, type UserSessionsAction } from './useUserSessions'

export { SignedIn, type SignedInProps } from './SignedIn'
export { SignedOut, type SignedOutProps } from './SignedOut'
export { Protect, type ProtectProps } from './Protect'

export { InactivityWarning, type InactivityWarningProps } from './InactivityWarning'
export { InactivityWarningRoot, type InactivityWarningRootProps } from './InactivityWarningRoot'
export {
  InactivityWarningTitle,
  InactivityWarningDescription,
  InactivityWarningCountdown,
  InactivityWarningStayButton,
  InactivityWarningSignOutButton,
  InactivityWarningKeepWorkingButton,
  InactivityWarningSignInAgainButton,
  InactivityWarningRenewalStatus,
  type InactivityWarningTextProps,
  type InactivityWarningCountdownProps,
  type InactivityWarningButtonProps,
  type InactivityWarningRenewalStatusProps,
} from './InactivityWarningParts'
export {
  useInactivityWarning,
  type InactivityWarningKind,
  type UseInactivityWarningReturn,
} from './inactivityWarningContext'
export {
  defaultMessages,
  formatClock,
  formatDuration,
  type InactivityWarningMessages,
  type MessageFormat,
} from './messages'

export { useReverification, type UseReverificationOptions } from './useReverification'
export { ReverificationDialog, type ReverificationDialogProps } from './ReverificationDialog'
export { defaultReverificationMessages, type ReverificationMessages } from './ReverificationDialogMessages'
export type { PendingReverification, VerificationStep } from './reverificationContext'

export { ImpersonationBanner, type ImpersonationBannerProps } from './ImpersonationBanner'
export {
  defaultImpersonationBannerMessages,
  type ImpersonationBannerMessages,
  type ImpersonationNames,
} from './ImpersonationBannerMessages'

export { ActiveDevices, type ActiveDevicesProps } from './ActiveDevices'
export { ActiveDevicesRoot, type ActiveDevicesRootProps } from './ActiveDevicesRoot'
export { ActiveDevicesActingNote, type ActiveDevicesActingNoteProps } from './ActiveDevicesActingNote'
export {
  ActiveDevicesTitle,
  ActiveDevicesStatus,
  ActiveDevicesList,
  ActiveDevicesItem,
  ActiveDevicesSignOutButton,
  ActiveDevicesSignOutOthersButton,
  type ActiveDevicesTextProps,
  type ActiveDevicesStatusProps,
  type ActiveDevicesListProps,
  type ActiveDevicesItemProps,
  type ActiveDevicesButtonProps,
} from './ActiveDevicesParts'
export {
  defaultActiveDevicesMessages,
  type ActiveDevicesMessages,
  type ActiveDevicesFormat,
  type ActiveDevicesFailure,
} from './activeDevicesMessages'
