'use client'
import { useCallback, useEffect, useRef, useState } from 'react'
import { toSessionKitError, type SessionKitError } from '../core/errors'
import type { SessionClient, SessionClientState, UserSession } from '../core/types'
import { useClientFor, type SessionHookOptions } from './context'
import { useIsomorphicLayoutEffect } from './useIsomorphicLayoutEffect'
import { useClientSelector } from './useSessionSelector'

/** What `useUserSessions()` is doing, or last failed to do. */
export type UserSessionsAction =
  /** Reading the list (on mount, after sign-in, or `refresh()`). */
  | { type: 'load' }
  /** Signing one other device out (`revoke(sessionId)`). */
  | { type: 'revoke'; sessionId: string }
  /** Signing every other device out (`revokeOthers()`). */
  | { type: 'revoke-others' }

/** What `useUserSessions()` returns. Every function is stable. */
export interface UseUserSessionsReturn {
  /**
   * Whether the adapter can list and revoke devices (`client.capabilities.devices`).
   * When false nothing loads, `sessions` is `[]` and the actions resolve `false`:
   * hide the UI instead.
   */
  isSupported: boolean
  /** Whether `sessions` holds a list for the signed-in session (or `[]` when signed out). False while the first list loads. */
  isLoaded: boolean
  /**
   * The user's sessions on every device (this one first, as the server lists
   * them), times in client time; undefined until the first list arrived, `[]`
   * when signed out. A revocation's answer replaces it.
   */
  sessions: UserSession[] | undefined
  /** What is on its way, or null. A refresh keeps the old list shown meanwhile. */
  pending: UserSessionsAction | null
  /** The action that failed last, or null; cleared when the next one starts. */
  failed: UserSessionsAction | null
  /** Why `failed` failed (e.g. `network_error`, `session_not_found`), or null. */
  error: SessionKitError | null
  /** Signs one other device out; resolves `true` once the new list is in, `false` on failure (see `error`) or when signed out. Never rejects. */
  revoke: (sessionId: string) => Promise<boolean>
  /** Signs every other device out; resolves like `revoke`. */
  revokeOthers: () => Promise<boolean>
  /** Reads the list again; resolves like `revoke`. */
  refresh: () => Promise<boolean>
}

/** The list, and what happened to it, for one signed-in session. */
interface ListState {
  sessionId: string
  sessions: UserSession[] | undefined
  pending: UserSessionsAction | null
  failed: UserSessionsAction | null
  error: SessionKitError | null
}

/** The active session while signed in; null while loading or signed out (a switch of account changes it, so the list follows). */
const selectSignedInSessionId = (state: SessionClientState): string | null =>
  state.status === 'signed-in' ? (state.session?.id ?? null) : null
const selectIsSignedOut = (state: SessionClientState): boolean => state.status === 'signed-out'

const LOAD: UserSessionsAction = { type: 'load' }
const REVOKE_OTHERS: UserSessionsAction = { type: 'revoke-others' }

const emptyFor = (sessionId: string): ListState => ({ sessionId, sessions: undefined, pending: null, failed: null, error: null })

/**
 * The signed-in user's sessions on every device, to show and sign out:
 * `{ sessions, isLoaded, pending, error, revoke, revokeOthers, refresh }`.
 * Loads when mounted and signed in (again after a switch of account),
 * forgets the list on sign-out, and takes each revocation's answer as the new
 * list. Needs an adapter with devices (`isSupported`); never throws in render.
 */
export function useUserSessions(options?: SessionHookOptions): UseUserSessionsReturn {
  const client = useClientFor('useUserSessions', options)
  const sessionId = useClientSelector(client, selectSignedInSessionId)
  const signedOut = useClientSelector(client, selectIsSignedOut)
  const isSupported = client.capabilities.devices
  const [state, setState] = useState<ListState | null>(null)
  const live = useRef<Live>({ client, sessionId, latest: 0, loadingFor: null })

  useIsomorphicLayoutEffect(() => {
    live.current.client = client
    live.current.sessionId = sessionId
  }, [client, sessionId])

  const run = useCallback(async (action: UserSessionsAction, call: (client: SessionClient) => Promise<UserSession[]>) => {
    const { client: current, sessionId: about } = live.current
    // Nothing to list while signed out, or without the adapter's device methods.
    if (about === null || !current.capabilities.devices) return false
    const request = ++live.current.latest
    if (action.type === 'load') live.current.loadingFor = about
    // A list of another session (before a switch, or of a former sign-in) is never shown.
    const update = (change: (list: ListState) => Partial<ListState>) =>
      setState((previous) => {
        if (live.current.sessionId !== about) return previous
        const list = previous?.sessionId === about ? previous : emptyFor(about)
        return { ...list, ...change(list) }
      })
    update(() => ({ pending: action, failed: null, error: null }))
    try {
      const sessions = await call(current)
      // An older request's answer must not overwrite a newer one's.
      update((list) => (request === live.current.latest ? { sessions, pending: null } : list))
      return true
    } catch (error) {
      const failure = toSessionKitError(error)
      // The server has no such session of this user (ended meanwhile): it is not on the list any more either.
      const gone = action.type === 'revoke' && failure.code === 'session_not_found' ? action.sessionId : null
      update((list) => ({
        sessions: gone === null ? list.sessions : list.sessions?.filter((session) => session.id !== gone),
        pending: request === live.current.latest ? null : list.pending,
        failed: action,
        error: failure,
      }))
      return false
    } finally {
      if (live.current.loadingFor === about && action.type === 'load') live.current.loadingFor = null
    }
  }, [])

  const refresh = useCallback(() => run(LOAD, (c) => c.getUserSessions()), [run])
  const revoke = useCallback(
    (id: string) => run({ type: 'revoke', sessionId: id }, (c) => c.revokeUserSession(id)),
    [run],
  )
  const revokeOthers = useCallback(() => run(REVOKE_OTHERS, (c) => c.revokeOtherUserSessions()), [run])

  useEffect(() => {
    // StrictMode mounts twice: one list request per signed-in session is enough.
    if (!isSupported || sessionId === null || live.current.loadingFor === sessionId) return
    void refresh()
  }, [isSupported, sessionId, refresh])

  if (!isSupported || signedOut) {
    return { isSupported, isLoaded: true, sessions: [], pending: null, failed: null, error: null, revoke, revokeOthers, refresh }
  }
  const list = sessionId !== null && state?.sessionId === sessionId ? state : null
  const sessions = list?.sessions
  return {
    isSupported,
    isLoaded: sessions !== undefined,
    sessions,
    // Signed in and not asked yet (the effect runs after this render): already loading.
    pending: list ? list.pending : sessionId !== null ? LOAD : null,
    failed: list?.failed ?? null,
    error: list?.error ?? null,
    revoke,
    revokeOthers,
    refresh,
  }
}

/** What the stable actions read: the latest client and session, and which request is the newest. */
interface Live {
  client: SessionClient
  sessionId: string | null
  latest: number
  loadingFor: string | null
}
