'use client'
import { createContext, forwardRef, useCallback, useContext, useEffect, useId, useMemo, useRef, useState, type HTMLAttributes } from 'react'
import { warnOnce } from '../core/development'
import { SessionKitError } from '../core/errors'
import type { SessionClient, SessionClientState, UserSession } from '../core/types'
import { resolveActiveDevicesMessages, type ActiveDevicesFormat, type ActiveDevicesMessages } from './activeDevicesMessages'
import { useClientFor } from './context'
import { cx } from './cx'
import { useComposedRefs } from './Slot'
import { useIsomorphicLayoutEffect } from './useIsomorphicLayoutEffect'
import { useClientSelector } from './useSessionSelector'
import { useUserSessions, type UseUserSessionsReturn, type UserSessionsAction } from './useUserSessions'

/** Props of `ActiveDevices.Root`: a `<section>` plus session wiring. */
export interface ActiveDevicesRootProps extends HTMLAttributes<HTMLElement> {
  /** Use this client instead of the nearest `SessionProvider`'s. Default: the provider's. */
  client?: SessionClient
  /** Any texts to replace, and `locale`. Default: English. */
  messages?: Partial<ActiveDevicesMessages>
}

/** What the parts of an `ActiveDevices` share. */
export interface ActiveDevicesContextValue {
  devices: UseUserSessionsReturn
  messages: ActiveDevicesMessages
  format: ActiveDevicesFormat
  titleId: string
  /** The section, which takes focus when the focused button leaves with its device. */
  root: { current: HTMLElement | null }
  /**
   * The user's name while someone acts as them (support, in an impersonation session), else null. The
   * list is read-only then: the server refuses every sign-out from an acting session (403 `forbidden`).
   */
  actingAs: string | null
  /** A revocation is on its way: every sign-out button waits (`aria-disabled`). */
  busy: boolean
  /** The last action that went through, and the device it was about, for the announcement. */
  done: { action: UserSessionsAction; session: UserSession | null } | null
  /** The device an action is about, as last listed (it may have left the list since). */
  sessionOf: (action: UserSessionsAction | null) => UserSession | null
  signOut: (session: UserSession) => void
  signOutOthers: () => void
}

const ActiveDevicesContext = createContext<ActiveDevicesContextValue | null>(null)
ActiveDevicesContext.displayName = 'ActiveDevicesContext'

/** The nearest Root's context; throws naming both sides outside one. */
export function useActiveDevicesContext(caller: string): ActiveDevicesContextValue {
  const value = useContext(ActiveDevicesContext)
  if (!value) throw new SessionKitError('missing_provider', process.env.NODE_ENV !== 'production' ? `\`${caller}\` must be used within \`ActiveDevices.Root\`` : 'No ActiveDevices.Root.')
  return value
}

const selectSignedOut = (state: SessionClientState) => state.status === 'signed-out'
/** The active session, or null: a sign-out, another sign-in or a switch of account changes it. */
const selectSessionId = (state: SessionClientState) => state.session?.id ?? null
/** Who is being acted as, by name ("Ada Lovelace", else their identifier), or null: a string, so a touch does not re-render. */
const selectActingAs = ({ session, user }: SessionClientState) => {
  if (!session?.actor || !user) return null
  return [user.firstName, user.lastName].filter(Boolean).join(' ') || user.identifier
}

/** What was said last, for the signed-in session it was said to. */
interface DoneFor {
  sessionId: string | null
  done: NonNullable<ActiveDevicesContextValue['done']>
}

/**
 * The active-devices section: a `<section>` (`tabIndex={-1}`, labelled by its
 * Title) holding the user's sessions on every device, from `useUserSessions`.
 * Renders nothing while signed out, or when the adapter cannot list devices
 * (`client.capabilities.devices`; a development warning says which methods to add).
 * One revocation at a time: while it is on its way the sign-out buttons wait.
 * While someone acts as the user the list is read-only: no sign-out buttons.
 */
export const ActiveDevicesRoot = forwardRef<HTMLElement, ActiveDevicesRootProps>(function ActiveDevicesRoot(
  { client: given, messages: overrides, className, children, ...props },
  forwardedRef,
) {
  const client = useClientFor('ActiveDevices', { client: given })
  const devices = useUserSessions({ client })
  const signedOut = useClientSelector(client, selectSignedOut)
  const sessionId = useClientSelector(client, selectSessionId)
  const actingAs = useClientSelector(client, selectActingAs)
  const titleId = useId()
  const root = useRef<HTMLElement | null>(null)
  const ref = useComposedRefs(forwardedRef, root)
  const [doneFor, setDoneFor] = useState<DoneFor | null>(null)
  // One user's announcement is never read to the next user of this browser (after a sign-out, another sign-in or a switch).
  const done = doneFor?.sessionId === sessionId ? doneFor.done : null
  const { sessions, pending, revoke, revokeOthers } = devices
  const busy = pending !== null && pending.type !== 'load'
  // Read when an action's answer comes back: was it asked for the session still signed in?
  const currentSessionId = useRef(sessionId)
  useIsomorphicLayoutEffect(() => {
    currentSessionId.current = sessionId
  }, [sessionId])

  // Devices leave the list when signed out; their names are still needed to say so. Per session: another user's are not.
  const known = useRef({ sessionId, devices: new Map<string, UserSession>() })
  if (known.current.sessionId !== sessionId) known.current = { sessionId, devices: new Map() }
  for (const session of sessions ?? []) known.current.devices.set(session.id, session)
  const sessionOf = useCallback(
    (action: UserSessionsAction | null) => (action?.type === 'revoke' ? (known.current.devices.get(action.sessionId) ?? null) : null),
    [],
  )

  /** Says `done` once `request` went through, unless the signed-in session changed meanwhile (its answer was thrown away). */
  const announce = useCallback((request: Promise<boolean>, done: DoneFor['done']) => {
    const askedFor = currentSessionId.current
    setDoneFor(null)
    void request.then((ok) => {
      if (ok && currentSessionId.current === askedFor) setDoneFor({ sessionId: askedFor, done })
    })
  }, [])
  const signOut = useCallback(
    (session: UserSession) => {
      if (!busy) announce(revoke(session.id), { action: { type: 'revoke', sessionId: session.id }, session })
    },
    [busy, revoke, announce],
  )
  const signOutOthers = useCallback(() => {
    if (!busy) announce(revokeOthers(), { action: { type: 'revoke-others' }, session: null })
  }, [busy, revokeOthers, announce])

  useEffect(() => {
    if (process.env.NODE_ENV !== 'production' && !devices.isSupported) {
      warnOnce(
        `ActiveDevices renders nothing: this adapter (${client.options.adapter.key}) cannot list devices. Add getUserSessions, revokeUserSession and revokeOtherUserSessions to it, or check client.capabilities.devices before rendering.`,
      )
    }
  }, [devices.isSupported, client])

  // Times are relative to the client's clock (virtual in tests), read when the list renders.
  const { messages, format } = useMemo(() => resolveActiveDevicesMessages(overrides, client.options.clock.now()), [overrides, client, sessions])
  const value = useMemo<ActiveDevicesContextValue>(
    () => ({ devices, messages, format, titleId, root, actingAs, busy, done, sessionOf, signOut, signOutOthers }),
    [devices, messages, format, titleId, actingAs, busy, done, sessionOf, signOut, signOutOthers],
  )
  if (!devices.isSupported || signedOut) return null
  return (
    <ActiveDevicesContext.Provider value={value}>
      {/* No aria-busy: it would hold back the status announcements inside. */}
      <section tabIndex={-1} data-sk-devices="" data-pending={pending?.type} className={cx('sk-devices', className)} {...props} ref={ref}>
        {children}
      </section>
    </ActiveDevicesContext.Provider>
  )
})
