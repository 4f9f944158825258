'use client'
import type { ReactNode } from 'react'
import type { SessionKitError } from '../core/errors'

/** Every text of `ReverificationDialog`. Pass any subset as `messages`; the rest stay English. */
export interface ReverificationMessages {
  /** Dialog title. Default: "Confirm it's you". */
  title: ReactNode
  /** Description while asking for the password. Default: "For your security, enter your password to continue." */
  passwordDescription: ReactNode
  /** Description while asking for the one-time code. Default: "For your security, enter the code from your authenticator app to continue." */
  codeDescription: ReactNode
  /** Description when the action needs a second factor the user has not set up. Default: "This action needs a second factor (an authenticator app), and your account has none. Add one, then try again." */
  unavailableDescription: ReactNode
  /** Progress when both factors are asked for, before the description. Default: "Step 1 of 2." */
  step: (current: number, total: number) => ReactNode
  /** Default: "Password". */
  passwordLabel: ReactNode
  /** Default: "Verification code". */
  codeLabel: ReactNode
  /** Submits the current step. Default: "Continue". */
  submit: ReactNode
  /** Gives up: the action is not run. Default: "Cancel". */
  cancel: ReactNode
  /** Default: "Enter your password." */
  emptyPassword: string
  /** Default: "Enter the code." */
  emptyCode: string
  /** Default: "That password is not right. Try again." */
  wrongPassword: string
  /** Default: "That code is not right. Try again." */
  wrongCode: string
  /** Any other failure (offline, too many attempts, ...). Default: a sentence for the error's code. */
  failed: (error: SessionKitError) => string
}

/** The English defaults. */
export const defaultReverificationMessages: ReverificationMessages = {
  title: 'Confirm it’s you',
  passwordDescription: 'For your security, enter your password to continue.',
  codeDescription: 'For your security, enter the code from your authenticator app to continue.',
  unavailableDescription:
    'This action needs a second factor (an authenticator app), and your account has none. Add one, then try again.',
  step: (current, total) => `Step ${current} of ${total}.`,
  passwordLabel: 'Password',
  codeLabel: 'Verification code',
  submit: 'Continue',
  cancel: 'Cancel',
  emptyPassword: 'Enter your password.',
  emptyCode: 'Enter the code.',
  wrongPassword: 'That password is not right. Try again.',
  wrongCode: 'That code is not right. Try again.',
  failed: (error) => {
    switch (error.code) {
      case 'network_error':
      case 'timeout':
      case 'server_error':
        return 'The server could not be reached. Check your connection and try again.'
      case 'rate_limited':
        return 'Too many attempts. Wait a moment, then try again.'
      case 'forbidden':
        return 'This session cannot be verified again (someone is acting on the user’s behalf).'
      default:
        return 'That did not work. Try again, or cancel.'
    }
  },
}

/** The defaults with `overrides` applied (undefined values keep the default). */
export function resolveReverificationMessages(overrides: Partial<ReverificationMessages> | undefined): ReverificationMessages {
  if (!overrides) return defaultReverificationMessages
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined))
  return { ...defaultReverificationMessages, ...defined }
}
