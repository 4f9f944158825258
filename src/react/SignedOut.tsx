'use client'
import type { ReactNode } from 'react'
import type { SessionClientState } from '../core/types'
import { useClientFor, type SessionHookOptions } from './context'
import { useClientSelector } from './useSessionSelector'

const isSignedOut = (state: SessionClientState) => state.status === 'signed-out'

/** Props of `SignedOut`. */
export interface SignedOutProps extends SessionHookOptions {
  children?: ReactNode
}

/** Renders its children only once the client has loaded and nobody is signed in; nothing while loading. */
export function SignedOut({ children, client }: SignedOutProps) {
  const signedOut = useClientSelector(useClientFor('SignedOut', { client }), isSignedOut)
  return signedOut ? <>{children}</> : null
}
