'use client'
import { useEffect, useRef, useState, type ReactNode } from 'react'
import { createSessionClient } from '../core/client'
import type { SessionClient, SessionClientOptions } from '../core/types'
import { SessionContext } from './context'

/** Props of `SessionProvider`: an existing `client`, or the options to create (and own) one. */
export type SessionProviderProps = { children?: ReactNode } & (
  | {
      /** A client created with `createSessionClient`; the app owns it (the provider never destroys it). */
      client: SessionClient
      adapter?: never
    }
  | (SessionClientOptions & { client?: never })
)

/**
 * Gives its children a session client: the `client` passed in, or one
 * created from the other props on first render (later prop changes are
 * ignored) and destroyed when the provider unmounts. Mounts the client in an
 * effect; the client counts mounts, so StrictMode's double effects are safe.
 * On the server nothing is mounted and children see the loading state.
 */
export function SessionProvider(props: SessionProviderProps) {
  const { children, client: given, ...options } = props
  const [owned] = useState<SessionClient | null>(() =>
    given ? null : createSessionClient(options as SessionClientOptions),
  )
  const client = given ?? owned!

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
