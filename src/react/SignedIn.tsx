'use client'
import type { ReactNode } from 'react'
import type { SessionClientState } from '../core/types'
import { useClientFor, type SessionHookOptions } from './context'
import { useClientSelector } from './useSessionSelector'

const isSignedIn = (state: SessionClientState) => state.status === 'signed-in'

/** Props of `SignedIn`. */
export interface SignedInProps extends SessionHookOptions {
  children?: ReactNode
}

/** Renders its children only while someone is signed in; nothing while loading. */
export function SignedIn({ children, client }: SignedInProps) {
  const signedIn = useClientSelector(useClientFor('SignedIn', { client }), isSignedIn)
  return signedIn ? <>{children}</> : null
}
