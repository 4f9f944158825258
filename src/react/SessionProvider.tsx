'use client'
import { useEffect, useRef, useState, type ReactNode } from 'react'
import { createSessionClient } from '../core/client'
import { warnOnce } from '../core/development'
import type { SessionEventMap, SessionEventName } from '../core/events'
import type { BeforeSignOut, SessionClient, SessionClientOptions } from '../core/types'
import { SessionContext } from './context'
import { useIsomorphicLayoutEffect } from './useIsomorphicLayoutEffect'

/**
 * The client's events as provider props. Each is called with the event's
 * payload, in this tab, once per real change; the latest function is called,
 * so inline functions are fine. Default: none.
 */
export interface SessionEventProps {
  /** A new active session from signed out. Default none. */
  onSignedIn?: (payload: SessionEventMap['signedIn']) => void
  /** Signed out, with the `reason`. Default none. */
  onSignedOut?: (payload: SessionEventMap['signedOut']) => void
  /** The warning phase began (`deadline`, `reason`, `renewable`). Default none. */
  onWarning?: (payload: SessionEventMap['warning']) => void
  /** The deadline moved later (Stay signed in, or a renewal). Default none. */
  onRenewed?: (payload: SessionEventMap['renewed']) => void
  /** Another session became the active one (switch, impersonation). Default none. */
  onSessionChanged?: (payload: SessionEventMap['sessionChanged']) => void
  /** A new token is in this tab's cache (never the token itself). Default none. */
  onTokenRefreshed?: (payload: SessionEventMap['tokenRefreshed']) => void
  /** The server became reachable, unreachable or degraded. Default none. */
  onConnectivity?: (payload: SessionEventMap['connectivity']) => void
}

/** Props of `SessionProvider`: an existing `client`, or the options to create (and own) one; events either way. */
export type SessionProviderProps = { children?: ReactNode } & SessionEventProps &
  (
    | {
        /** A client created with `createSessionClient`; the app owns it (the provider never destroys it). */
        client: SessionClient
        adapter?: never
        /** With your own client, pass `beforeSignOut` to `createSessionClient` instead. */
        beforeSignOut?: never
        /** With your own client, pass `beforeSignOutTimeout` to `createSessionClient` instead. */
        beforeSignOutTimeout?: never
      }
    | (SessionClientOptions & { client?: never })
  )

const EVENT_PROPS: readonly (readonly [SessionEventName, keyof SessionEventProps])[] = [
  ['signedIn', 'onSignedIn'],
  ['signedOut', 'onSignedOut'],
  ['warning', 'onWarning'],
  ['renewed', 'onRenewed'],
  ['sessionChanged', 'onSessionChanged'],
  ['tokenRefreshed', 'onTokenRefreshed'],
  ['connectivity', 'onConnectivity'],
]

/**
 * Gives its children a session client: the `client` passed in, or one
 * created from the other props on first render (later prop changes are
 * ignored, but the latest `beforeSignOut` is the one called) and destroyed
 * when the provider unmounts. Mounts the client in an effect; the client
 * counts mounts, so StrictMode's double effects are safe. The `on…` event
 * props work with either client. On the server nothing is mounted and
 * children see the loading state, or, given `initialClient`, that snapshot
 * signed in or out: the state hydration starts from, so the markup matches.
 */
export function SessionProvider(props: SessionProviderProps) {
  const {
    children,
    client: given,
    onSignedIn: _signedIn,
    onSignedOut: _signedOut,
    onWarning: _warning,
    onRenewed: _renewed,
    onSessionChanged: _changed,
    onTokenRefreshed: _token,
    onConnectivity: _connectivity,
    ...options
  } = props
  // The latest props, read by the event listeners and by beforeSignOut when they run.
  const latest = useRef(props)
  useIsomorphicLayoutEffect(() => {
    latest.current = props
  })
  const [owned] = useState<SessionClient | null>(() => {
    if (given) {
      if (options.beforeSignOut !== undefined || options.beforeSignOutTimeout !== undefined) {
        warnOnce('SessionProvider: beforeSignOut and beforeSignOutTimeout are ignored with a `client`; pass them to createSessionClient instead.')
      }
      return null
    }
    const clientOptions = options as SessionClientOptions
    const beforeSignOut: BeforeSignOut | null | undefined = clientOptions.beforeSignOut
      ? (info) => (latest.current as SessionClientOptions).beforeSignOut?.(info)
      : clientOptions.beforeSignOut
    return createSessionClient({ ...clientOptions, beforeSignOut })
  })
  const client = given ?? owned!

  // Listens only to the events that have a prop; a new function for one does not resubscribe.
  const listened = EVENT_PROPS.filter(([, prop]) => props[prop] !== undefined)
    .map(([event]) => event)
    .join(' ')
  // Before mounting (effects run in order), so the first load's events reach the props.
  useEffect(() => {
    if (listened === '') return
    const stops = EVENT_PROPS.filter(([event]) => listened.split(' ').includes(event)).map(([event, prop]) =>
      client.on(event, (payload) => (latest.current[prop] as ((payload: unknown) => void) | undefined)?.(payload)),
    )
    return () => stops.forEach((stop) => stop())
  }, [client, listened])
  useEffect(() => client.mount(), [client])
  useDestroyOnUnmount(owned)

  return <SessionContext.Provider value={client}>{children}</SessionContext.Provider>
}

/**
 * Destroys an owned client when the provider really unmounts. StrictMode runs
 * cleanup and setup again synchronously, so destruction waits a microtask
 * and is cancelled when the effect comes back.
 */
function useDestroyOnUnmount(client: SessionClient | null) {
  const pending = useRef(false)
  useEffect(() => {
    if (!client) return
    pending.current = false
    return () => {
      pending.current = true
      queueMicrotask(() => {
        if (pending.current) client.destroy()
      })
    }
  }, [client])
}
