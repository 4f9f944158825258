'use client'
import { createElement, type ReactNode } from 'react'
import type { DeadlineReason } from '../core/deadline'
import type { SignOutReason } from '../core/types'

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
  /** What screen readers hear at thresholds (on open, every 15 s, at 10 s). Default: "You will be signed out in 45 seconds." */
  announcement: (remainingMs: number, format: MessageFormat & { renewable: boolean }) => string
  /** Default: "Stay signed in". */
  stay: ReactNode
  /** "Stay signed in" while the renewal is on its way (the button is `aria-disabled` until the server answers). Default: "Renewing…". */
  renewing: ReactNode
  /** Said once, in a polite live region, while the renewal cannot reach the server and is retried. Default: "Can't reach the server — retrying". */
  retrying: ReactNode
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

const EXPIRED_REASONS: Record<SignOutReason, string> = {
  inactivity: 'You were signed out because you were inactive for too long.',
  idle: 'You were signed out because you were away for too long.',
  'max-lifetime': 'You were signed out because your session reached its maximum length.',
  revoked: 'Your session was ended by the server or on another device.',
  replaced: 'You signed in on another device, so you were signed out here.',
  'signed-out': 'You signed out.',
}

/** The English defaults. */
export const defaultMessages: InactivityWarningMessages = {
  locale: undefined,
  title: 'Your session is about to expire',
  endingTitle: 'Your session is about to end',
  description: ({ countdown }) =>
    createElement(
      'span',
      null,
      'You will be signed out in ',
      countdown,
      ' because you have been inactive. Do you want to stay signed in?',
    ),
  endingDescription: ({ countdown }) =>
    createElement(
      'span',
      null,
      'Your session ends in ',
      countdown,
      ' and cannot be extended. Save your work, then sign in again.',
    ),
  countdown: (remainingMs, { locale }) => formatClock(remainingMs, locale),
  announcement: (remainingMs, { duration, renewable }) =>
    renewable
      ? `You will be signed out in ${duration(remainingMs)}.`
      : `Your session ends in ${duration(remainingMs)}. Save your work.`,
  stay: 'Stay signed in',
  renewing: 'Renewing…',
  retrying: "Can't reach the server — retrying",
  signOut: 'Sign out',
  keepWorking: 'Keep working',
  expiredTitle: 'You have been signed out',
  expiredDescription: (reason) => (reason ? EXPIRED_REASONS[reason] : EXPIRED_REASONS.inactivity),
  signInAgain: 'Sign in again',
}

/** `m:ss`, rounded up to whole seconds (a countdown reaches 0:00 at the deadline, not before). */
export function formatClock(remainingMs: number, locale?: string): string {
  const total = Math.max(0, Math.ceil(remainingMs / 1000))
  const minutes = new Intl.NumberFormat(locale, { useGrouping: false }).format(Math.floor(total / 60))
  const seconds = new Intl.NumberFormat(locale, { minimumIntegerDigits: 2, useGrouping: false }).format(total % 60)
  return `${minutes}:${seconds}`
}

interface DurationFormatLike {
  format(duration: { minutes?: number; seconds?: number }): string
}
type DurationFormatConstructor = new (locale?: string, options?: { style?: string }) => DurationFormatLike

/** A duration in words, rounded up to whole seconds: "1 minute, 5 seconds", "45 seconds". */
export function formatDuration(ms: number, locale?: string): string {
  const total = Math.max(0, Math.ceil(ms / 1000))
  const minutes = Math.floor(total / 60)
  const seconds = total % 60
  const DurationFormat = (Intl as unknown as { DurationFormat?: DurationFormatConstructor }).DurationFormat
  if (DurationFormat) {
    const parts: { minutes?: number; seconds?: number } = {}
    if (minutes) parts.minutes = minutes
    if (seconds || !minutes) parts.seconds = seconds
    return new DurationFormat(locale, { style: 'long' }).format(parts)
  }
  const unit = (value: number, name: 'minute' | 'second') =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'long' }).format(value)
  const words: string[] = []
  if (minutes) words.push(unit(minutes, 'minute'))
  if (seconds || !minutes) words.push(unit(seconds, 'second'))
  return new Intl.ListFormat(locale, { style: 'long', type: 'unit' }).format(words)
}

/** The defaults with `overrides` applied, and the format helpers for its locale. */
export function resolveMessages(overrides: Partial<InactivityWarningMessages> | undefined): {
  messages: InactivityWarningMessages
  format: MessageFormat
} {
  const messages = { ...defaultMessages, ...stripUndefined(overrides) }
  const locale = messages.locale
  return { messages, format: { locale, duration: (ms) => formatDuration(ms, locale) } }
}

function stripUndefined<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {}
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
