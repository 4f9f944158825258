import { ActivityTracker } from './activity'
import { capabilitiesOf, requireMethod, type AdapterMethod } from './adapter'
import { authorize } from './authorization'
import { SessionKitError, isSessionKitError } from './errors'
import { DeadlineTimeline } from './deadline'
import { resolveOptions } from './options'
import { deviceCommands } from './devices'
import { impersonationCommands } from './impersonation'
import { SessionEvents } from './events'
import { createMountCounter } from './mountCounter'
import { RetryQueue } from './retryQueue'
import { ServerLink } from './serverLink'
import { Renewals, scheduleTouches } from './renewals'
import { SessionState } from './sessionState'
import { startFromSnapshot } from './snapshot'
import { createSessionStore } from './store'
import { TokenCache } from './tokenCache'
import { tokenSource } from './tokenSource'
import type { AuthorizationParams, GetTokenOptions, SessionClient, SessionClientOptions } from './types'
import { parseClientResource, parseSessionResource } from './validate'
import { tabNewsHandlers } from './tabs/tabBridge'
import { handleTabMessage } from './tabs/tabNews'
import { TabSync } from './tabs/tabSync'
import type { TabMessage } from './tabs/messages'
import { watchWakeEvents } from './wakeEvents'

/**
 * Creates the session client: the one object that knows the session, its
 * deadline and its tokens, and keeps them right over time, sleep and flaky
 * networks. Framework-free; `sessionkit/react` wraps it.
 */
export function createSessionClient(input: SessionClientOptions): SessionClient {
  const options = resolveOptions(input)
  const { adapter, clock } = options
  const store = createSessionStore()
  const events = new SessionEvents()
  store.subscribe((state, previous) => events.transition(state, previous))
  const retries = new RetryQueue(clock)
  const activity = new ActivityTracker({
    clock,
    target: options.eventTarget,
    events: options.activityEvents,
    throttleMs: options.activityThrottle,
  })

  const link = new ServerLink(clock, () => {
    retries.succeeded()
    // The server answered: whatever failed before is over.
    store.patch({ connectivity: 'online', error: null })
    // A better skew estimate moves every session time already converted with the old one.
    clientState.followSkew()
  })
  const request = link.request.bind(link)
  const timeline = new DeadlineTimeline(options, clock.now())
  let loadInFlight: Promise<void> | null = null
  let stopListening: (() => void) | null = null
  let destroyed = false

  const tabs = options.tabTransport
    ? new TabSync({
        transport: options.tabTransport,
        name: `sessionkit:${adapter.key}`,
        clock,
        onMessage: (message) => onTabMessage(message),
        onLeadershipChange: (isLeader) => store.patch({ isLeader }),
      })
    : null
  /** Whether this tab touches the server and refreshes tokens for all. */
  const leads = () => !tabs || tabs.isLeader
  if (tabs) store.patch({ isLeader: false })

  const touches = scheduleTouches({ clock, store, activity, timeline, touchInterval: options.touchInterval, send: () => renewals.send() })

  const tokens = new TokenCache({
    clock,
    serverNow: () => link.serverNow(),
    fetchToken: (key) => fetchToken(key),
    onBackgroundError: (error) => fail(error),
    refreshesInBackground: leads,
    onStored: (key, expiresAt) => events.emit('tokenRefreshed', { ...key, expiresAt: expiresAt - link.skewMs }),
  })

  const { beforeSignOut, beforeSignOutTimeout } = options
  const clientState = new SessionState({ store, clock, adapter, link, timeline, tokens, retries, touches, tabs, leads, beforeSignOut, beforeSignOutTimeout })
  const renewals = new Renewals({ store, clock, adapter, request, timeline, clientState, touches, activity, tabs, leads })

  const capabilities = capabilitiesOf(adapter)
  const capability = <M extends AdapterMethod>(method: M, call: string) => requireMethod(adapter, method, call)
  const fetchToken = tokenSource({ tabs, request, createToken: () => capability('createToken', 'getToken') })

  const assertAlive = () => {
    if (destroyed) throw new SessionKitError('client_destroyed', 'This session client was destroyed; create a new one.')
  }

  const fail = (error: unknown, retry?: () => void) => clientState.fail(error, retry)
  const failAbout = (sessionId: string | null | undefined, error: unknown) => clientState.failAbout(sessionId, error, () => client.load())
  const leave = clientState.leave.bind(clientState)

  const tabNews = tabNewsHandlers({
    store,
    timeline,
    clientState,
    tokens,
    tabs,
    leads,
    leewayInSeconds: options.leewayInSeconds,
    onInput: (at) => renewals.onInput(at, false),
  })
  // Messages arrive only once mounted, after everything above exists.
  const onTabMessage = (message: TabMessage) => handleTabMessage(message, tabNews)

  // ---- lifecycle -------------------------------------------------------------

  let snapshotIsStale =
    options.initialClient === undefined ? false : startFromSnapshot(options.initialClient, { store, link, clock, timeline, clientState })

  function start() {
    const unsubscribe = activity.subscribe((at) => renewals.onInput(at, true))
    const unwatch = watchWakeEvents(options.eventTarget, (kind) => clientState.wake(kind, () => void client.load().catch(() => undefined)))
    tabs?.start()
    stopListening = () => {
      unsubscribe()
      unwatch()
      tabs?.stop()
    }
    // A fresh snapshot is the state already; only timers were waiting for the browser.
    const reload = store.getState().status === 'loading' || snapshotIsStale
    snapshotIsStale = false
    if (reload) void client.load().catch(() => undefined)
    else clientState.reconcile()
  }
  const mount = createMountCounter(start, () => {
    stopListening?.()
    stopListening = null
  })

  const client: SessionClient = {
    getState: store.getState,
    getInitialState: store.getInitialState,
    serverNow: () => link.serverNow(),
    subscribe: store.subscribe,
    options,
    capabilities,
    on: (event, listener) => events.on(event, listener),

    mount() {
      assertAlive()
      return mount()
    },

    isLeader: leads,

    load() {
      try {
        assertAlive()
      } catch (error) {
        return Promise.reject(error)
      }
      if (loadInFlight) return loadInFlight
      const retry = () => void client.load().catch(() => undefined)
      loadInFlight = request(() => adapter.getClient(), parseClientResource)
        .then((resource) => clientState.applyClient(resource), (error) => {
          throw fail(error, retry)
        })
        .finally(() => {
          loadInFlight = null
        })
      return loadInFlight
    },

    async signIn(params) {
      assertAlive()
      const signIn = capability('signIn', 'signIn')
      try {
        clientState.applyClient(await request(() => signIn(params), parseClientResource), true)
      } catch (error) {
        // A wrong password belongs to the form that sent it, not to the session's state.
        throw isSessionKitError(error, 'invalid_credentials') ? error : fail(error)
      }
    },

    async signInWithRedirect(params = {}) {
      assertAlive()
      await capability('signInWithRedirect', 'signInWithRedirect')(params)
    },

    async touch() {
      assertAlive()
      await renewals.stay()
    },

    async getToken(tokenOptions: GetTokenOptions = {}) {
      const throwOnError = tokenOptions.throwOnError ?? true
      let sessionId: string | undefined
      try {
        assertAlive()
        if (!capabilities.tokens) capability('createToken', 'getToken')
        if (store.getState().status === 'loading') await client.load()
        // The clock may have passed the deadline before its timer fired (sleep, throttling).
        const deadline = store.getState().deadline
        if (deadline !== null && clock.now() >= deadline) clientState.reconcile()
        const state = store.getState()
        const session = tokenOptions.sessionId
          ? state.sessions.find((s) => s.id === tokenOptions.sessionId && s.status === 'active')
          : state.session
        if (state.status !== 'signed-in' || !session) return null
        sessionId = session.id
        const organizationId = tokenOptions.organizationId === undefined ? session.lastActiveOrganizationId : tokenOptions.organizationId
        return await tokens.get(
          { sessionId: session.id, template: tokenOptions.template ?? null, organizationId: organizationId ?? null },
          { leewayInSeconds: tokenOptions.leewayInSeconds ?? options.leewayInSeconds, skipCache: tokenOptions.skipCache },
        )
      } catch (error) {
        // Signed out while the token was on its way: the same as asking when signed out.
        if (isSessionKitError(error, 'signed_out')) return null
        const e = isSessionKitError(error, 'invalid_option', 'client_destroyed', 'not_supported') ? error : await failAbout(sessionId, error)
        if (throwOnError) throw e
        return null
      }
    },

    async setActive(sessionId, activeOptions = {}) {
      assertAlive()
      const setActiveSession = capability('setActiveSession', 'setActive')
      const current = store.getState().session
      // Drop the old session's tokens now, not when the server answers.
      if (current && current.id !== sessionId) tokens.clear(current.id)
      try {
        const resource = await request(() => setActiveSession(sessionId, activeOptions), parseClientResource)
        clientState.applyClient(resource, true)
      } catch (error) {
        throw await failAbout(sessionId, error)
      }
    },

    async signOut(signOutOptions = {}) {
      assertAlive()
      const { sessionId } = signOutOptions
      const active = store.getState().session
      // Without endAllSessions (one session per browser), signing out of all is ending the active one.
      const endAll = adapter.endAllSessions ? () => adapter.endAllSessions!() : active ? () => adapter.endSession(active.id, { reason: 'signed-out' }) : null
      await leave(sessionId, sessionId ? () => adapter.endSession(sessionId, { reason: 'signed-out' }) : endAll)
    },

    async end(sessionId) {
      const id = sessionId ?? store.getState().session?.id
      if (id) await client.signOut({ sessionId: id })
    },

    async remove(sessionId) {
      assertAlive()
      const removeSession = capability('removeSession', 'remove')
      const id = sessionId ?? store.getState().session?.id
      if (id) await leave(id, () => removeSession(id))
    },

    async verify(params, verifyOptions = {}) {
      assertAlive()
      const sessionId = verifyOptions.sessionId ?? store.getState().session?.id
      const verifySession = capability('verifySession', 'verify')
      if (!sessionId) throw new SessionKitError('signed_out', 'Sign in before verifying: there is no active session.')
      try {
        clientState.applySession(await request(() => verifySession(sessionId, params), parseSessionResource))
      } catch (error) {
        throw isSessionKitError(error, 'invalid_credentials') ? error : fail(error)
      }
    },

    ...deviceCommands({ adapter, store, link, clientState, assertAlive }),
    ...impersonationCommands({ adapter, store, link, clientState, assertAlive }),

    checkAuthorization(params: AuthorizationParams) {
      return authorize(store.getState(), params, clock.now())
    },

    destroy() {
      if (destroyed) return
      destroyed = true
      stopListening?.()
      stopListening = null
      clientState.stopTimer()
      touches.cancel()
      retries.clear()
      tokens.destroy()
    },
  }
  return client
}
