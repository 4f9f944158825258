'use client'
import type { ReactNode } from 'react'
import type { SessionKitError } from '../core/errors'
import type { UserSession } from '../core/types'
import type { UserSessionsAction } from './useUserSessions'

/** Helpers every `ActiveDevices` message function receives, bound to its locale and clock. */
export interface ActiveDevicesFormat {
  /** The locale in use (`messages.locale`); undefined = the runtime's default. */
  locale: string | undefined
  /** Now, on the client's clock (a virtual one in tests and stories). */
  now: number
  /** How long ago `at` was, in words: "5 minutes ago", "yesterday" (`Intl.RelativeTimeFormat`). */
  ago: (at: number) => string
  /** `at` as a date and time, e.g. "12 Mar 2025, 14:05" (`Intl.DateTimeFormat`). */
  dateTime: (at: number) => string
}

/** What an error message is told: what failed, about which device, and why. */
export interface ActiveDevicesFailure {
  action: UserSessionsAction
  /** The device the action was about (a revocation's), when it is still known. */
  session: UserSession | null
  error: SessionKitError
}

/** Every text of `ActiveDevices`. Pass any subset as `messages`; the rest stay English. */
export interface ActiveDevicesMessages {
  /** BCP 47 locale used to format times. Default: undefined (the runtime's locale). */
  locale: string | undefined
  /** Heading, naming the section. Default: "Active devices". */
  title: ReactNode
  /** Said while the first list loads. Default: "Loading your devices…". */
  loading: string
  /** Badge on this browser's session. Default: "This device". */
  thisDevice: ReactNode
  /** The address a session was last used from. Default: "IP 10.0.0.7", or "Unknown IP address". */
  address: (ip: string | null) => ReactNode
  /** When a session was last used. Default: "Active now" for this device or within the last minute, else "Last active 5 minutes ago". */
  lastActive: (session: UserSession, format: ActiveDevicesFormat) => ReactNode
  /** Visible text of a device's sign-out button. Default: "Sign out". */
  signOut: ReactNode
  /** Accessible name of a device's sign-out button; it should contain the visible text. Default: "Sign out Safari 19 on iOS". */
  signOutDevice: (device: string) => string
  /** "Sign out" while that revocation is on its way. Default: "Signing out…". */
  signingOut: ReactNode
  /** Accessible name of that button meanwhile; it should contain `signingOut`'s text. Default: "Signing out Safari 19 on iOS". */
  signingOutDevice: (device: string) => string
  /** Default: "Sign out of all other devices". */
  signOutOthers: ReactNode
  /**
   * Shown while someone acts as the user (support, in an impersonation session), when the list has no
   * sign-out buttons since the server refuses them. Given the user's name ("Ada Lovelace", else their
   * identifier). Default: "You are acting as Ada Lovelace, so these devices can be seen but not signed out."
   */
  actingNote: (user: string) => ReactNode
  /** Shown when this is the only device. Default: "You are not signed in on any other device." */
  noOtherDevices: ReactNode
  /** Announced while an action is on its way (a polite live region). Default: "Signing out Safari 19 on iOS…" and so on. */
  pending: (action: UserSessionsAction, session: UserSession | null) => string
  /** Announced once an action went through. Default: "Signed out Safari 19 on iOS." / "Signed out of all other devices." (nothing for a reload). */
  done: (action: UserSessionsAction, session: UserSession | null) => string
  /** Announced when an action failed, in words. Default: a sentence for what failed and the error's code. */
  failed: (failure: ActiveDevicesFailure) => string
  /** Reads the list again after it failed to load. Default: "Try again". */
  retry: ReactNode
}

/** Why an action failed, as a user can act on it. */
function reasonOf(error: SessionKitError): string {
  switch (error.code) {
    case 'network_error':
    case 'timeout':
      return 'The server could not be reached. Check your connection and try again.'
    case 'server_error':
    case 'rate_limited':
      return 'The server is having trouble. Wait a moment, then try again.'
    case 'session_not_found':
      return 'That device was already signed out.'
    default:
      return 'Try again later.'
  }
}

/** The English defaults. */
export const defaultActiveDevicesMessages: ActiveDevicesMessages = {
  locale: undefined,
  title: 'Active devices',
  loading: 'Loading your devices…',
  thisDevice: 'This device',
  address: (ip) => (ip ? `IP ${ip}` : 'Unknown IP address'),
  lastActive: (session, { ago, now }) =>
    session.isCurrent || now - session.lastActiveAt < 60_000 ? 'Active now' : `Last active ${ago(session.lastActiveAt)}`,
  signOut: 'Sign out',
  signOutDevice: (device) => `Sign out ${device}`,
  signingOut: 'Signing out…',
  signingOutDevice: (device) => `Signing out ${device}`,
  signOutOthers: 'Sign out of all other devices',
  actingNote: (user) => `You are acting as ${user}, so these devices can be seen but not signed out.`,
  noOtherDevices: 'You are not signed in on any other device.',
  pending: (action, session) => {
    if (action.type === 'revoke') return `Signing out ${session?.device ?? 'the device'}…`
    if (action.type === 'revoke-others') return 'Signing out of all other devices…'
    return 'Loading your devices…'
  },
  done: (action, session) => {
    if (action.type === 'revoke') return `Signed out ${session?.device ?? 'the device'}.`
    if (action.type === 'revoke-others') return 'Signed out of all other devices.'
    return ''
  },
  failed: ({ action, session, error }) => {
    const what =
      action.type === 'revoke'
        ? `Could not sign out ${session?.device ?? 'the device'}.`
        : action.type === 'revoke-others'
          ? 'Could not sign out of the other devices.'
          : 'Could not load your devices.'
    return `${what} ${reasonOf(error)}`
  },
  retry: 'Try again',
}

const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
]

/** "5 minutes ago", "yesterday", "now": the largest whole unit, in `locale`. Under a minute reads as now. */
export function formatAgo(at: number, now: number, locale?: string): string {
  const elapsed = Math.max(0, now - at)
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })
  for (const [unit, ms] of UNITS) {
    if (elapsed >= ms) return format.format(-Math.floor(elapsed / ms), unit)
  }
  return format.format(0, 'second')
}

/** The defaults with `overrides` applied (undefined values keep the default), and the format helpers for its locale. */
export function resolveActiveDevicesMessages(
  overrides: Partial<ActiveDevicesMessages> | undefined,
  now: number,
): { messages: ActiveDevicesMessages; format: ActiveDevicesFormat } {
  const defined = overrides ? Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)) : {}
  const messages: ActiveDevicesMessages = { ...defaultActiveDevicesMessages, ...defined }
  const { locale } = messages
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })
  return {
    messages,
    format: { locale, now, ago: (at) => formatAgo(at, now, locale), dateTime: (at) => dateTime.format(at) },
  }
}
