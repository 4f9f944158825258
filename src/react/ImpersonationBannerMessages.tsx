'use client'
import type { ReactNode } from 'react'
import type { SessionKitError } from '../core/errors'

/** Names the banner's texts are built from. */
export interface ImpersonationNames {
  /** The user being acted as: "Ada Lovelace" (first and last name, else their identifier). */
  user: string
  /** Their first name, for short texts: "Ada" (else `user`). */
  userFirstName: string
  /** Who is acting: the actor's `identifier` ("support@example.com"), else its `name`, else its `sub`. */
  actor: string
}

/** Every text of `ImpersonationBanner`. Pass any subset as `messages`; the rest stay English. */
export interface ImpersonationBannerMessages {
  /** The region's accessible name (a landmark). Default: "Impersonation". */
  label: string
  /** The banner's text, said once by screen readers when it appears. Default: "You are acting as Ada Lovelace (signed in as support@example.com)". */
  text: (names: ImpersonationNames) => ReactNode
  /** The button that stops acting. Default: "Stop acting as Ada". */
  stop: (names: ImpersonationNames) => ReactNode
  /** The button while returning to the impersonator's session. Default: "Returning to your account…". */
  stopping: ReactNode
  /**
   * Said (role="alert") when stopping failed, with why. Default: "Could not stop acting as Ada. Try again."
   * when the server could not be reached or was busy, else the error's own sentence ("Could not stop acting
   * as Ada. " + `error.message`), since trying again would not help.
   */
  stopFailed: (names: ImpersonationNames, error: SessionKitError) => ReactNode
}

/** A failure of the connection or a busy server, which a later try may get past. */
const isConnectivity = ({ code }: SessionKitError) =>
  code === 'network_error' || code === 'timeout' || code === 'server_error' || code === 'rate_limited'

/** The English defaults. */
export const defaultImpersonationBannerMessages: ImpersonationBannerMessages = {
  label: 'Impersonation',
  text: ({ user, actor }) => `You are acting as ${user} (signed in as ${actor})`,
  stop: ({ userFirstName }) => `Stop acting as ${userFirstName}`,
  stopping: 'Returning to your account…',
  stopFailed: ({ userFirstName }, error) => `Could not stop acting as ${userFirstName}. ${isConnectivity(error) ? 'Try again.' : error.message}`,
}

/** The defaults with `overrides` applied (undefined values keep the default). */
export function resolveImpersonationBannerMessages(overrides: Partial<ImpersonationBannerMessages> | undefined): ImpersonationBannerMessages {
  if (!overrides) return defaultImpersonationBannerMessages
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined))
  return { ...defaultImpersonationBannerMessages, ...defined }
}
