'use client'
import { createElement, useEffect, useRef, useState, type ReactNode } from 'react'
import { createSessionClient } from '../core/client'
import { warnOnce } from '../core/development'
import type { SessionEventMap, SessionEventName } from '../core/events'
import type { SessionClient, SessionClientOptions } from '../core/types'
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

/** Each event's provider prop. */
const EVENT_PROPS: { readonly [E in SessionEventName]: `on${Capitalize<E>}` & keyof SessionEventProps } = {
  signedIn: 'onSignedIn',
  signedOut: 'onSignedOut',
  warning: 'onWarning',
  renewed: 'onRenewed',
  sessionChanged: 'onSessionChanged',
  tokenRefreshed: 'onTokenRefreshed',
  connectivity: 'onConnectivity',
}
// The keys of a record over SessionEventName: exactly the events.
const EVENTS = Object.keys(EVENT_PROPS) as SessionEventName[]

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
  const given = props.client
  // The latest props, read by the event listeners and by beforeSignOut when they run.
  const latest = useRef(props)
  useIsomorphicLayoutEffect(() => {
    latest.current = props
  })
  const [owned] = useState<SessionClient | null>(() => {
    if (process.env.NODE_ENV !== 'production' && given && (props.beforeSignOut !== undefined || props.beforeSignOutTimeout !== undefined)) {
      warnOnce('SessionProvider: beforeSignOut and beforeSignOutTimeout are ignored with a `client`; pass them to createSessionClient instead.')
    }
    // The client reads only its own options from the props (children and the on… props are not
    // among them); the latest props' beforeSignOut is the one called.
    return given
      ? null
      : createSessionClient({ ...(props as SessionClientOptions), beforeSignOut: props.beforeSignOut && ((info) => latest.current.beforeSignOut?.(info)) })
  })
  const client = given ?? owned!
  // Whether an owned client's destruction is still wanted when its microtask runs.
  const destroying = useRef(false)

  // Listens only to the events that have a prop; a new function for one does not
  // subscribe again (the latest is called): the effect depends on which events
  // have a prop, not on the functions. Before mounting (effects run in order),
  // so the first load's events reach the props.
  const hasProp = EVENTS.map((event) => !!props[EVENT_PROPS[event]])
  useEffect(() => {
    const stops = EVENTS.filter((_, index) => hasProp[index]).map((event) =>
      // The prop of `event` takes its payload; TypeScript cannot pair the two through the union of events.
      client.on(event, (payload) => (latest.current[EVENT_PROPS[event]] as ((payload: unknown) => void) | undefined)?.(payload)),
    )
    return () => stops.forEach((stop) => stop())
  }, [client, ...hasProp])

  useEffect(() => {
    const unmount = client.mount()
    destroying.current = false
    return () => {
      unmount()
      // An owned client is destroyed when the provider really unmounts. StrictMode
      // runs cleanup and setup again synchronously, so destruction waits a
      // microtask and is cancelled when the effect comes back.
      if (!owned) return
      destroying.current = true
      queueMicrotask(() => {
        if (destroying.current) client.destroy()
      })
    }
  }, [client, owned])

  // createElement rather than JSX: one more name from 'react' instead of an import of react/jsx-runtime.
  return createElement(SessionContext.Provider, { value: client }, props.children)
}
