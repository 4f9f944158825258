import { onlineManager as tanstackOnlineManager, type OnlineManager } from '@tanstack/react-query'
import type { SessionClient } from '../core/types'

type SetOnline = (online: boolean) => void
type OnlineSetup = (setOnline: SetOnline) => (() => void) | undefined

/** Connections per manager, newest last: the newest one drives the manager. */
const connections = new WeakMap<OnlineManager, OnlineSetup[]>()

/**
 * Makes TanStack Query's `onlineManager` follow the session client: offline
 * when the client cannot reach its server (`connectivity: 'offline'`), online
 * again when it can or when the browser says it is back online. Queries then
 * pause and resume together with the session's own retries. It replaces the
 * manager's window listeners rather than adding to them, and starts no timer:
 * the client already listens to the browser and retries with backoff.
 * `degraded` (5xx) counts as online: the app's API may be fine. Returns a
 * function that gives the manager back its default listeners.
 */
export function connectOnlineManager(client: SessionClient, manager: OnlineManager = tanstackOnlineManager): () => void {
  const setup: OnlineSetup = (setOnline) => {
    setOnline(client.getState().connectivity !== 'offline')
    const unsubscribe = client.subscribe((state, previous) => {
      if (state.connectivity !== previous.connectivity) setOnline(state.connectivity !== 'offline')
    })
    // The client learns of `online` only when a retry succeeds; TanStack may try at once, as it would alone.
    const stopListening = listenToBrowser(setOnline)
    return () => {
      unsubscribe()
      stopListening()
    }
  }
  const stack = connections.get(manager) ?? []
  connections.set(manager, stack)
  stack.push(setup)
  manager.setEventListener(setup)
  let connected = true
  return () => {
    if (!connected) return
    connected = false
    const wasDriving = stack[stack.length - 1] === setup
    stack.splice(stack.indexOf(setup), 1)
    if (!wasDriving) return
    const next = stack[stack.length - 1]
    if (next) return manager.setEventListener(next)
    manager.setEventListener(listenToBrowser)
    // TanStack Query assumes online until told otherwise: do not leave queries paused on our word.
    manager.setOnline(true)
  }
}

/** TanStack Query's default: the window's `online` and `offline` events. */
function listenToBrowser(setOnline: SetOnline): () => void {
  if (typeof window === 'undefined' || typeof window.addEventListener !== 'function') return () => {}
  const onOnline = () => setOnline(true)
  const onOffline = () => setOnline(false)
  window.addEventListener('online', onOnline, false)
  window.addEventListener('offline', onOffline, false)
  return () => {
    window.removeEventListener('online', onOnline, false)
    window.removeEventListener('offline', onOffline, false)
  }
}
