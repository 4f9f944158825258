'use client'
import { useCallback, useRef, useSyncExternalStore, type ReactNode } from 'react'
import { reverificationChangeAt, type ReverificationCheck } from '../core/authorization'
import { scheduleAt } from '../core/clock'
import type { AuthorizationParams, SessionClient, SessionClientState } from '../core/types'
import { boundActions } from './boundActions'
import { useClientFor, type SessionHookOptions } from './context'
import { useIsomorphicLayoutEffect } from './useIsomorphicLayoutEffect'

/** Props of `Protect`. With no check given, being signed in is enough. */
export interface ProtectProps extends SessionHookOptions {
  /** Required role in the active organization, e.g. `org:admin`. Default: none. */
  role?: string
  /** Required permission in the active organization, e.g. `org:invoices:delete`. Default: none. */
  permission?: string
  /**
   * Required recent proof of identity: a preset (`strict_mfa`, `strict`,
   * `moderate`, `lax`) or `{ level, afterMinutes }`. The children hide once
   * the proof is older than that, with no polling. Default: none.
   */
  reverification?: ReverificationCheck
  /** A custom check receiving `has`; every given check must pass. Default: none. */
  condition?: (has: (params: AuthorizationParams) => boolean) => boolean
  /** Rendered when signed out or not authorized. Default: nothing. */
  fallback?: ReactNode
  children?: ReactNode
}

type Access = 'loading' | 'granted' | 'denied'

/**
 * Renders its children only for a signed-in user who passes every given
 * check (`role`, `permission`, `reverification`, `condition`); `fallback`
 * otherwise. Renders nothing until loaded, and fails closed: a check that
 * throws (an unknown preset, say) denies.
 */
export function Protect({ role, permission, reverification, condition, fallback = null, children, client: given }: ProtectProps) {
  const client = useClientFor('Protect', { client: given })
  const { has } = boundActions(client)
  const selectAccess = (state: SessionClientState): Access => {
    if (state.status === 'loading') return 'loading'
    if (state.status !== 'signed-in') return 'denied'
    try {
      if (role !== undefined && !has({ role })) return 'denied'
      if (permission !== undefined && !has({ permission })) return 'denied'
      if (reverification !== undefined && !has({ reverification })) return 'denied'
      if (condition && condition(has) !== true) return 'denied'
      return 'granted'
    } catch {
      return 'denied'
    }
  }
  const access = useAccess(client, selectAccess, reverification)
  if (access === 'loading') return null
  return <>{access === 'granted' ? children : fallback}</>
}

/** A stable key for a check, so an inline `{ level, afterMinutes }` does not resubscribe on every render. */
const checkKey = (check: ReverificationCheck | undefined) =>
  check === undefined || typeof check !== 'object' || check === null ? String(check) : `${String(check.level)}:${String(check.afterMinutes)}`

/**
 * The access `select` computes, re-computed on every state change and, with
 * a reverification check, once more when the proof goes stale: one timer,
 * armed for that moment and re-armed when the session changes. The answer
 * is a string, so computing it afresh never re-renders by itself.
 */
function useAccess(client: SessionClient, select: (state: SessionClientState) => Access, check: ReverificationCheck | undefined): Access {
  const latest = useRef({ select, check })
  useIsomorphicLayoutEffect(() => {
    latest.current = { select, check }
  })
  const key = checkKey(check)
  const timed = check !== undefined

  const subscribe = useCallback(
    (onChange: () => void) => {
      if (!timed) return client.subscribe(onChange)
      let cancelTimer: (() => void) | null = null
      let armedFor: unknown = undefined
      const arm = () => {
        const { session } = client.getState()
        if (session === armedFor && cancelTimer) return
        armedFor = session
        cancelTimer?.()
        cancelTimer = null
        let at: number | null = null
        try {
          at = latest.current.check === undefined ? null : reverificationChangeAt(session?.factorVerifiedAt ?? null, latest.current.check, client.options.clock.now())
        } catch {
          // An invalid check denies already; nothing will change by time.
        }
        if (at === null) return
        cancelTimer = scheduleAt(client.options.clock, at, () => {
          cancelTimer = null
          armedFor = undefined
          arm()
          onChange()
        }, STALE_CHECK_INTERVAL_MS)
      }
      arm()
      const unsubscribe = client.subscribe(() => {
        arm()
        onChange()
      })
      return () => {
        unsubscribe()
        cancelTimer?.()
      }
    },
    // `key` stands for the check's content; the check itself is read through `latest`.
    [client, timed, key],
  )
  const getSnapshot = () => select(client.getState())
  const getServerSnapshot = () => select(client.getInitialState())
  return useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot)
}

/**
 * How often the stale-proof timer re-reads the clock on its way: after a
 * sleep it is at most this late. Ages are whole minutes, so half a minute
 * is within the precision of the proof itself.
 */
const STALE_CHECK_INTERVAL_MS = 30_000
