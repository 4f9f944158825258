import { useState, useSyncExternalStore } from 'react'
import { ActiveDevices, useSessionClient } from '../../../src/react'

/**
 * The user's sessions on every device, with a "Sign out" for each: only when
 * the server lists them (the reference server does; an OpenID provider does not).
 */
export function DevicesCard() {
  const { capabilities } = useSessionClient()
  if (!capabilities.devices) return null
  return (
    <div className="card">
      <ActiveDevices />
    </div>
  )
}

// "Sign out everywhere" signs this browser out at once, so the menu holding the
// button is gone before the server answers: a failure is kept here and shown by
// <SignOutEverywhereNotice />, which outlives the session.
let everywhereFailed = false
const listeners = new Set<() => void>()
const setEverywhereFailed = (failed: boolean) => {
  everywhereFailed = failed
  for (const listener of listeners) listener()
}
const subscribe = (listener: () => void) => {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** For the user menu: ends the user's sessions on every device, this one included, when the server can. */
export function SignOutEverywhereButton() {
  const client = useSessionClient()
  const [busy, setBusy] = useState(false)
  if (!client.capabilities.signOutEverywhere) return null
  const signOutEverywhere = () => {
    setBusy(true)
    setEverywhereFailed(false)
    client
      .signOutEverywhere()
      .catch(() => setEverywhereFailed(true))
      .finally(() => setBusy(false))
  }
  return (
    <button type="button" className="secondary" aria-disabled={busy || undefined} onClick={busy ? undefined : signOutEverywhere}>
      Sign out everywhere
    </button>
  )
}

/** Signed out here, but the other devices could not be: say so, since they are still signed in. */
export function SignOutEverywhereNotice() {
  const failed = useSyncExternalStore(subscribe, () => everywhereFailed, () => false)
  if (!failed) return null
  return (
    <p className="notice" role="alert">
      You are signed out here, but the server could not be reached to sign out your other devices. Sign in and try again.{' '}
      <button type="button" className="secondary" onClick={() => setEverywhereFailed(false)}>
        Dismiss
      </button>
    </p>
  )
}
