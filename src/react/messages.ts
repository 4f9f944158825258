'use client'
import { createElement, type ReactNode } from 'react'
import type { DeadlineReason } from '../core/deadline'
import type { SignOutReason } from '../core/types'
import { wholeSeconds } from './useRemainingSeconds'

/** Helpers every message function receives, bound to the warning's locale. */
export interface MessageFormat {
  /** The locale in use (`messages.locale`); undefined = the runtime's default. */
  locale: string | undefined
  /** A duration in words, e.g. "1 minute, 5 seconds" (`Intl.DurationFormat` when available). */
  duration: (ms: number) => string
}

/** Every text of `InactivityWarning`. Pass any subset as `messages`; the rest stay English. */
export interface InactivityWarningMessages {
  /** BCP 47 locale used to format times. Default: undefined (the runtime's locale). */
  locale: string | undefined
  /** Warning title. Default: "Your session is about to expire". */
  title: ReactNode
  /** Warning title when the session cannot be extended (max lifetime). Default: "Your session is about to end". */
  endingTitle: ReactNode
  /** Warning description; `countdown` is the live countdown element. Default: "You will be signed out in {countdown} because you have been inactive. Do you want to stay signed in?" */
  description: (parts: { countdown: ReactNode; reason: DeadlineReason | null }, format: MessageFormat) => ReactNode
  /** Description when the session cannot be extended. Default: "Your session ends in {countdown} and cannot be extended. Save your work, then sign in again." */
  endingDescription: (parts: { countdown: ReactNode }, format: MessageFormat) => ReactNode
  /** The visible countdown text. Default: `m:ss` with the locale's digits. */
  countdown: (remainingMs: number, format: MessageFormat) => string
  /** What screen readers hear at thresholds (on open, every 15 s, at 10 s), with the time left as each is reached. Default: "You will be signed out in 45 seconds." */
  announcement: (remainingMs: number, format: MessageFormat & { renewable: boolean }) => string
  /** Default: "Stay signed in". */
  stay: ReactNode
  /** "Stay signed in" while the renewal is on its way (the button is `aria-disabled` until the server answers). Default: "Renewing…". */
  renewing: ReactNode
  /** Said once, in a polite live region, while the renewal cannot reach the server and is retried. Default: "Can't reach the server — retrying". */
  retrying: ReactNode
  /** Said once, in the same live region, when the renewal was refused (a bad answer, a 403); "Stay signed in" may be pressed again. Default: "Couldn't renew your session. Try again." */
  renewalFailed: ReactNode
  /** Default: "Sign out". */
  signOut: ReactNode
  /** Closes a warning that cannot be extended, to save work. Default: "Keep working". */
  keepWorking: ReactNode
  /** Signed-out notice title. Default: "You have been signed out". */
  expiredTitle: ReactNode
  /** Signed-out notice text, with the reason in words. Default: e.g. "You were signed out because you were inactive for too long." */
  expiredDescription: (reason: SignOutReason | null, format: MessageFormat) => ReactNode
  /** Default: "Sign in again". */
  signInAgain: ReactNode
}

const because = (why: string) => `You were signed out because ${why}.`
const EXPIRED_REASONS: Record<SignOutReason, string> = {
  inactivity: because('you were inactive for too long'),
  idle: because('you were away for too long'),
  'max-lifetime': because('your session reached its maximum length'),
  revoked: 'Your session was ended by the server or on another device.',
  replaced: 'You signed in on another device, so you were signed out here.',
  'signed-out': 'You signed out.',
}

// How the description and the announcement begin: the warning, and the one that cannot be extended.
const SIGNED_OUT_IN = 'You will be signed out in '
const ENDS_IN = 'Your session ends in '

/** A description: its text around the live countdown. */
const aroundCountdown =
  (before: string, after: string) =>
  ({ countdown }: { countdown: ReactNode }) =>
    createElement('span', null, before, countdown, after)

/** The English defaults. */
export const defaultMessages: InactivityWarningMessages = {
  locale: undefined,
  title: 'Your session is about to expire',
  endingTitle: 'Your session is about to end',
  description: aroundCountdown(SIGNED_OUT_IN, ' because you have been inactive. Do you want to stay signed in?'),
  endingDescription: aroundCountdown(ENDS_IN, ' and cannot be extended. Save your work, then sign in again.'),
  countdown: (remainingMs, { locale }) => formatClock(remainingMs, locale),
  announcement: (remainingMs, { duration, renewable }) =>
    renewable ? `${SIGNED_OUT_IN}${duration(remainingMs)}.` : `${ENDS_IN}${duration(remainingMs)}. Save your work.`,
  stay: 'Stay signed in',
  renewing: 'Renewing…',
  retrying: "Can't reach the server — retrying",
  renewalFailed: "Couldn't renew your session. Try again.",
  signOut: 'Sign out',
  keepWorking: 'Keep working',
  expiredTitle: 'You have been signed out',
  expiredDescription: (reason) => EXPIRED_REASONS[reason ?? 'inactivity'],
  signInAgain: 'Sign in again',
}

/** `m:ss`, rounded up to whole seconds (a countdown reaches 0:00 at the deadline, not before). */
export function formatClock(remainingMs: number, locale?: string): string {
  const total = wholeSeconds(remainingMs)
  const digits = (value: number, minimumIntegerDigits?: number) =>
    new Intl.NumberFormat(locale, { useGrouping: false, minimumIntegerDigits }).format(value)
  return `${digits(Math.floor(total / 60))}:${digits(total % 60, 2)}`
}

type DurationFormatConstructor = new (locale?: string, options?: { style?: string }) => { format(duration: object): string }

/** The Intl unit of each field of a duration. */
const UNIT_OF = { minutes: 'minute', seconds: 'second' } as const

/** A duration in words, rounded up to whole seconds: "1 minute, 5 seconds", "45 seconds". */
export function formatDuration(ms: number, locale?: string): string {
  const total = wholeSeconds(ms)
  const minutes = Math.floor(total / 60)
  const seconds = total % 60
  // The minutes when there are any; the seconds when there are any, or nothing else.
  const duration: { minutes?: number; seconds?: number } = {}
  if (minutes) duration.minutes = minutes
  if (seconds || !minutes) duration.seconds = seconds
  const DurationFormat = (Intl as unknown as { DurationFormat?: DurationFormatConstructor }).DurationFormat
  // Chromium's DurationFormat writes a zero duration as "": the words below say "0 seconds".
  const formatted = DurationFormat ? new DurationFormat(locale, { style: 'long' }).format(duration) : ''
  if (formatted) return formatted
  // Each unit in words, then the list.
  const words = Object.entries(duration).map(([field, value]) =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: UNIT_OF[field as keyof typeof UNIT_OF], unitDisplay: 'long' }).format(value),
  )
  return new Intl.ListFormat(locale, { style: 'long', type: 'unit' }).format(words)
}

/** The defaults with `overrides` applied (an undefined value keeps the default), and the format helpers for its locale. */
export function resolveMessages(overrides: Partial<InactivityWarningMessages> | undefined): {
  messages: InactivityWarningMessages
  format: MessageFormat
} {
  const messages: Record<string, unknown> = { ...defaultMessages }
  for (const [key, value] of Object.entries(overrides ?? {})) if (value !== undefined) messages[key] = value
  const { locale } = messages as unknown as InactivityWarningMessages
  return { messages: messages as unknown as InactivityWarningMessages, format: { locale, duration: (ms) => formatDuration(ms, locale) } }
}
