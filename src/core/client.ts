import { ActivityTracker } from './activity'
import { capabilitiesOf, requireMethod, type AdapterMethod } from './adapter'
import { authorize } from './authorization'
import { SessionKitError, isSessionKitError, toSessionKitError, type SessionKitErrorCode } from './errors'
import { isSignOutError } from './failurePolicy'
import { createDeadlineTimeline } from './deadline'
import { checkLeeway, resolveOptions } from './options'
import { deviceCommands } from './devices'
import { impersonationCommands } from './impersonation'
import { SessionEvents } from './events'
import { createMountCounter } from './mountCounter'
import { createServerLink } from './serverLink'
import { createSessionState, type ClientCall } from './sessionState'
import { createSessionStore } from './store'
import { TokenCache } from './tokenCache'
import { tokenSource } from './tokenSource'
import type { AuthorizationParams, GetTokenOptions, SessionClient, SessionClientOptions } from './types'
import { isName, isString, parseClientResource, parseSessionResource } from './validate'
import { checksSnapshotAgainstTabs, handleTabMessage, type TabNewsHandlers } from './tabs/tabNews'
import { TabSync } from './tabs/tabSync'
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
  const { getState } = store
  const events = new SessionEvents()
  store.subscribe((state, previous) => events.transition(state, previous))
  const activity = new ActivityTracker({ clock, target: options.eventTarget, events: options.activityEvents, throttleMs: options.activityThrottle })

  const link = createServerLink(clock, () => clientState.answered())
  const timeline = createDeadlineTimeline(options, clock.now())
  let loadInFlight: Promise<void> | null = null
  let stopListening: (() => void) | null = null
  let destroyed = false

  const tabs = options.tabTransport
    ? new TabSync({
        transport: options.tabTransport,
        name: `sessionkit:${adapter.key}`,
        clock,
        // Messages arrive only once mounted, after everything below exists.
        onMessage: (message) => handleTabMessage(message, tabNews),
        onLeadershipChange: (isLeader) => clientState.leadershipChanged(isLeader),
      })
    : null
  /** Whether this tab touches the server and refreshes tokens for all. */
  const leads = () => !tabs || tabs.isLeader
  if (tabs) store.patch({ isLeader: false })

  const fetchToken = tokenSource({ tabs, request: link.request, createToken: () => requireMethod(adapter, 'createToken', 'getToken') })
  const tokens = new TokenCache({
    clock,
    serverNow: link.serverNow,
    fetchToken,
    onBackgroundError: (error) => fail(error),
    refreshesInBackground: leads,
    onStored: (key, expiresAt) => events.emit('tokenRefreshed', { ...key, expiresAt: expiresAt - link.skewMs }),
  })

  /** The parts the session state, the news from other tabs and the commands all reach. */
  const parts = { store, link, timeline, tokens, activity, tabs, leads, loading: () => loadInFlight }
  const clientState = createSessionState(options, parts)
  const { fail, activeId, applyClient, reconcile, onInput, signOuts } = clientState

  const capabilities = capabilitiesOf(adapter)

  const destroyedError = () => new SessionKitError('client_destroyed', process.env.NODE_ENV !== 'production' ? 'This session client was destroyed; create a new one.' : 'Client destroyed.')
  const assertAlive = () => {
    if (destroyed) throw destroyedError()
  }

  /** Loads, for nobody who awaits it: its failure is the failure policy's. */
  const loadQuietly = () => void client.load().catch(() => undefined)

  const trustsTabClient = checksSnapshotAgainstTabs(options.initialClient === null, loadQuietly)
  const tabNews: TabNewsHandlers = { ...parts, clientState, leewayInSeconds: options.leewayInSeconds, onInput, trustsTabClient }

  // ---- lifecycle -------------------------------------------------------------

  let snapshotIsStale = options.initialClient !== undefined && clientState.startFrom(options.initialClient)

  function start() {
    const unsubscribe = activity.subscribe((at) => onInput(at, true))
    const unwatch = watchWakeEvents(options.eventTarget, (kind) => clientState.wake(kind, loadQuietly))
    tabs?.start()
    stopListening = () => {
      unsubscribe()
      unwatch()
      tabs?.stop()
    }
    // A fresh snapshot is the state already; only timers were waiting for the browser.
    const reload = getState().status === 'loading' || snapshotIsStale
    snapshotIsStale = false
    // A stale snapshot asks the server first (another tab or device may have renewed the session); while
    // the server cannot answer, the snapshot's deadline applies, as it would offline after a load.
    if (reload) client.load().catch(reconcile)
    else reconcile()
  }

  const stop = () => {
    stopListening?.()
    stopListening = null
  }
  const mount = createMountCounter(start, stop)

  /** Sends `call` and applies the client it answers as this tab's own change, unless a newer answer came first. */
  const applyOwn = async (call: ClientCall) => applyClient(await link.ask(call, parseClientResource), true)
  /**
   * Sends `call` and applies the client it answers (this tab asked for the
   * change). Refusals with one of `ownCodes` (a wrong password, say) belong
   * to the caller, not to the session's state; any other failure goes through
   * the failure policy.
   */
  const applyAnswer = async (call: ClientCall, ...ownCodes: SessionKitErrorCode[]) => {
    try {
      await applyOwn(call)
    } catch (error) {
      throw ownCodes.length > 0 && isSessionKitError(error, ...ownCodes) ? error : fail(error)
    }
  }
  /**
   * The user asked to leave `sessionId` (none: every session): leave here at once, then `tell`
   * the server; one that cannot be told is sent `again` (default: `tell`) until it hears it.
   */
  const leave = async (sessionId: string | undefined, tell: ClientCall | null, again?: ClientCall[]) => {
    if (!sessionId || sessionId === activeId()) clientState.signOut('signed-out')
    else tokens.clear(sessionId)
    if (!tell) return
    try {
      await applyOwn(tell)
    } catch (error) {
      if (!signOuts.failed(again ?? [tell], error)) throw fail(error)
    }
  }
  /**
   * A failure of a request about `sessionId`. The server's definite answer
   * about another session than the active one (switching to a session that
   * ended elsewhere) refreshes the list instead of signing this one out.
   */
  const failAbout = async (sessionId: string | null | undefined, error: unknown) => {
    if (isSignOutError(error) && sessionId && sessionId !== activeId()) {
      await client.load().catch(() => undefined)
      return toSessionKitError(error)
    }
    return fail(error)
  }
  /** The adapter's `method`, checked once the client is alive. */
  const command = <M extends AdapterMethod>(method: M, call: string = method) => {
    assertAlive()
    return requireMethod(adapter, method, call)
  }

  const commandParts = { ...parts, clientState, command, applyAnswer }

  const client: SessionClient = {
    getState,
    getInitialState: store.getInitialState,
    serverNow: link.serverNow,
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
      if (destroyed) return Promise.reject(destroyedError())
      // Sign-outs the server has not heard yet go first: the client it answers no longer has them.
      return (loadInFlight ??= signOuts.settle(() => link.ask(() => adapter.getClient(), parseClientResource))
        .then((answer) => applyClient(answer), (error) => {
          throw fail(error, loadQuietly)
        })
        .finally(() => {
          loadInFlight = null
        }))
    },

    async signIn(params) {
      const signIn = command('signIn')
      await applyAnswer(() => signIn(params), 'invalid_credentials')
    },

    async signInWithRedirect(params = {}) {
      await command('signInWithRedirect')(params)
    },

    async touch() {
      assertAlive()
      await clientState.stay()
    },

    async getToken(tokenOptions: GetTokenOptions = {}) {
      const { sessionId: wanted, skipCache, organizationId } = tokenOptions
      // `??`, not defaults: a JavaScript caller's null means "the default" too.
      const throwOnError = tokenOptions.throwOnError ?? true
      const template = tokenOptions.template ?? null
      const leewayInSeconds = tokenOptions.leewayInSeconds ?? options.leewayInSeconds
      // Bad input is the caller's bug, signed in or not: it rejects even with throwOnError false, and leaves state.error alone.
      if ((template !== null && !isString(template)) || (organizationId != null && !isString(organizationId)) || (wanted != null && !isName(wanted))) {
        throw new SessionKitError('invalid_option', process.env.NODE_ENV !== 'production' ? 'getToken: template must be a template name, organizationId an organization id (null: none), sessionId the id of a signed-in session; leave any out for the default.' : 'Invalid option.')
      }
      checkLeeway(leewayInSeconds)
      let sessionId: string | undefined
      try {
        assertAlive()
        if (!capabilities.tokens) requireMethod(adapter, 'createToken', 'getToken')
        if (getState().status === 'loading') await client.load()
        // Past the deadline before its timer fired (sleep, throttling): is the time up? Still past it once decided, it is (beforeSignOut runs).
        const pastDeadline = () => clock.now() >= (getState().deadline ?? Infinity)
        if (pastDeadline()) await clientState.settleDeadline()
        const state = getState()
        const session = wanted ? state.sessions.find((s) => s.id === wanted && s.status === 'active') : state.session
        if (state.status !== 'signed-in' || !session || pastDeadline()) return null
        sessionId = session.id
        const organization = organizationId === undefined ? session.lastActiveOrganizationId : organizationId
        return await tokens.get({ sessionId, template, organizationId: organization ?? null }, { leewayInSeconds, skipCache })
      } catch (error) {
        // Signed out while the token was on its way: the same as asking when signed out.
        if (!isSessionKitError(error, 'signed_out')) {
          const e = isSessionKitError(error, 'invalid_option', 'client_destroyed', 'not_supported') ? error : await failAbout(sessionId, error)
          if (throwOnError) throw e
        }
        return null
      }
    },

    async setActive(sessionId, activeOptions = {}) {
      const setActiveSession = command('setActiveSession', 'setActive')
      // The old session's tokens go once the server has switched (applyClient): until then it is still the active one.
      try {
        await applyOwn(() => setActiveSession(sessionId, activeOptions))
      } catch (error) {
        throw await failAbout(sessionId, error)
      }
    },

    async signOut({ sessionId } = {}) {
      assertAlive()
      const end = (id: string) => () => adapter.endSession(id, { reason: 'signed-out' })
      const active = activeId()
      // Without endAllSessions (one session per browser), signing out of all is ending the active one.
      const endAll = adapter.endAllSessions ? () => adapter.endAllSessions!() : active ? end(active) : null
      // Sent again, each of them ends by itself: ending all later would end a session signed in meanwhile.
      const eachActive = getState().sessions.filter((s) => s.status === 'active').map((s) => end(s.id))
      await leave(sessionId, sessionId ? end(sessionId) : endAll, sessionId ? undefined : eachActive)
    },

    // `sessionId ?? activeId()` (not a default parameter): null means the active session too.
    async end(sessionId) {
      const id = sessionId ?? activeId()
      if (id) await client.signOut({ sessionId: id })
    },

    async remove(sessionId) {
      const removeSession = command('removeSession', 'remove')
      const id = sessionId ?? activeId()
      if (id) await leave(id, () => removeSession(id))
    },

    async verify(params, verifyOptions = {}) {
      const verifySession = command('verifySession', 'verify')
      const sessionId = verifyOptions.sessionId ?? activeId()
      if (!sessionId) throw new SessionKitError('signed_out', process.env.NODE_ENV !== 'production' ? 'Sign in before verifying: there is no active session.' : 'Not signed in.')
      try {
        clientState.applySession(await link.ask(() => verifySession(sessionId, params), parseSessionResource))
      } catch (error) {
        throw isSessionKitError(error, 'invalid_credentials') ? error : fail(error)
      }
    },

    ...deviceCommands(commandParts),
    ...impersonationCommands(commandParts),

    checkAuthorization(params: AuthorizationParams) {
      return authorize(getState(), params, clock.now())
    },

    destroy() {
      if (destroyed) return
      destroyed = true
      stop()
      clientState.destroy()
      signOuts.clear()
      tokens.destroy()
    },
  }
  return client
}
