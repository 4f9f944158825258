'use client'
import { useCallback, type ReactNode } from 'react'
import type { AuthorizationParams, SessionClientState } from '../core/types'
import { boundActions } from './boundActions'
import { useClientFor, type SessionHookOptions } from './context'
import { useClientSelector } from './useSessionSelector'

/** Props of `Protect`. With no check given, being signed in is enough. */
export interface ProtectProps extends SessionHookOptions {
  /** Required role in the active organization, e.g. `org:admin`. Default: none. */
  role?: string
  /** Required permission in the active organization, e.g. `org:invoices:delete`. Default: none. */
  permission?: string
  /** A custom check receiving `has`; every given check must pass. Default: none. */
  condition?: (has: (params: AuthorizationParams) => boolean) => boolean
  /** Rendered when signed out or not authorized. Default: nothing. */
  fallback?: ReactNode
  children?: ReactNode
}

type Access = 'loading' | 'granted' | 'denied'

/**
 * Renders its children only for a signed-in user who passes every given
 * check (`role`, `permission`, `condition`); `fallback` otherwise. Renders
 * nothing until loaded, and fails closed: a check that throws denies.
 */
export function Protect({ role, permission, condition, fallback = null, children, client: given }: ProtectProps) {
  const client = useClientFor('Protect', { client: given })
  const { has } = boundActions(client)
  const selectAccess = useCallback(
    (state: SessionClientState): Access => {
      if (state.status === 'loading') return 'loading'
      if (state.status !== 'signed-in') return 'denied'
      try {
        if (role !== undefined && !has({ role })) return 'denied'
        if (permission !== undefined && !has({ permission })) return 'denied'
        if (condition && condition(has) !== true) return 'denied'
        return 'granted'
      } catch {
        return 'denied'
      }
    },
    [has, role, permission, condition],
  )
  const access = useClientSelector(client, selectAccess)
  if (access === 'loading') return null
  return <>{access === 'granted' ? children : fallback}</>
}
