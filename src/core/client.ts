import { ActivityTracker } from './activity'
import { capabilitiesOf, type AdapterMethod, type SessionAdapter, type TokenResource } from './adapter'
import { checkAuthorization, verificationAgesAt } from './authorization'
import { scheduleAt } from './clock'
import { SessionKitError, isSessionKitError, toSessionKitError } from './errors'
import { isConnectivityError, isSignOutError, judgeFailure } from './failurePolicy'
import { DeadlineTimeline, type DeadlineReason } from './deadline'
import { resolveOptions } from './options'
import type { ClientResource, SessionResource } from './resources'
import { createMountCounter } from './mountCounter'
import { RetryQueue } from './retryQueue'
import { ServerLink } from './serverLink'
import { activeSessionOf, createSessionStore, signOutReasonFor, toClientSession } from './store'
import { TokenCache } from './tokenCache'
import { TouchScheduler } from './touchScheduler'
import type { AuthorizationParams, GetTokenOptions, SessionClient, SessionClientOptions, SignOutReason, User } from './types'
import { parseClientResource, parseSessionResource, parseTokenResponse } from './validate'
import { handleTabMessage } from './tabs/tabNews'
import { TabSync } from './tabs/tabSync'
import type { TabMessage, TokenKey } from './tabs/messages'
import { watchWakeEvents } from './wakeEvents'

/** The previous user object when nothing in it changed: readers of the user do not re-render on every renewal. */
function sameUser(previous: User | null, next: User): User {
  return previous && JSON.stringify(previous) === JSON.stringify(next) ? previous : next
}

/**
 * Creates the session client: the one object that knows the session, its
 * deadline and its tokens, and keeps them right over time, sleep and flaky
 * networks. Framework-free; `sessionkit/react` wraps it.
 */
export function createSessionClient(input: SessionClientOptions): SessionClient {
  const options = resolveOptions(input)
  const { adapter, clock } = options
  const store = createSessionStore()
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
  })
  const request = link.request.bind(link)
  const timeline = new DeadlineTimeline(options, clock.now())
  let loadInFlight: Promise<void> | null = null
  let cancelPhaseTimer: (() => void) | null = null
  let stopListening: (() => void) | null = null
  let destroyed = false
  /** When the newest server state this tab applied was current (own answers and other tabs' news). */
  let stateAt = -Infinity
  /** The latest client resource, in server time, to hand to a tab that opens. */
  let lastClientResource: ClientResource | null = null
  /** Sessions that ended: news about them from a slower tab never brings them back. */
  const endedSessions = new Set<string>()

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

  const touches = new TouchScheduler({
    clock,
    // Default: a tenth of the server's inactivity timeout, at least 5 s.
    interval: () => {
      if (options.touchInterval !== null) return options.touchInterval
      const inactivity = store.getState().policy?.inactivityTimeoutMs
      return inactivity ? Math.max(5_000, inactivity / 10) : null
    },
    lastActivityAt: () => Math.max(activity.lastActivityAt, timeline.remoteInputAt),
    mayRenew: () => store.getState().status === 'signed-in' && store.getState().phase === 'active',
    send: () => sendTouch(),
  })

  const tokens = new TokenCache({
    clock,
    serverNow: () => link.serverNow(),
    fetchToken: (sessionId, params) => fetchToken({ sessionId, template: params.template ?? null, organizationId: params.organizationId }),
    onBackgroundError: (error) => fail(error),
    refreshesInBackground: leads,
  })

  /** A follower asks the leading tab first; the leader (or a tab alone) asks the server and shares. */
  async function fetchToken(key: TokenKey): Promise<TokenResource> {
    const createToken = capability('createToken', 'getToken')
    if (tabs && !tabs.isLeader) {
      try {
        return await tabs.requestToken(key)
      } catch {
        // No leader answered in time (frozen, closing): fetch it ourselves.
      }
    }
    const params = { organizationId: key.organizationId, ...(key.template === null ? {} : { template: key.template }) }
    const token = await request(() => createToken(key.sessionId, params), parseTokenResponse)
    tabs?.post({ type: 'token', requestId: null, ...key, ...token })
    return token
  }

  const capabilities = capabilitiesOf(adapter)
  /** The adapter's optional method, or `not_supported` naming the method to add. */
  function capability<M extends AdapterMethod>(method: M, call: string): NonNullable<SessionAdapter[M]> {
    const fn = adapter[method]
    if (typeof fn !== 'function') {
      throw new SessionKitError('not_supported', `${call}() needs an adapter with ${method}(); this adapter (${adapter.key}) has none: add ${method} to it, or do not call ${call}.`)
    }
    return fn.bind(adapter) as NonNullable<SessionAdapter[M]>
  }

  const assertAlive = () => {
    if (destroyed) throw new SessionKitError('client_destroyed', 'This session client was destroyed; create a new one.')
  }

  /** Acts on a failure as the failure policy (failurePolicy.ts) judges it. */
  function fail(error: unknown, retry?: () => void): SessionKitError {
    const e = toSessionKitError(error)
    const state = store.getState()
    const verdict = judgeFailure(e, state.session, clock.now())
    if (verdict.action === 'sign-out') {
      if (state.status === 'signed-in') signOutLocally(verdict.reason)
      else if (state.status === 'loading') signOutLocally(null)
    } else if (verdict.action === 'retry') {
      store.patch({ connectivity: verdict.connectivity, error: e })
      if (retry) retries.schedule(retry, e.retryAfterMs)
    } else {
      store.patch({ error: e })
    }
    return e
  }

  /**
   * A failure of a request about `sessionId`. The server's definite answer
   * about another session than the active one (switching to a session that
   * ended elsewhere) refreshes the list instead of signing this one out.
   */
  async function failAbout(sessionId: string | null | undefined, error: unknown): Promise<SessionKitError> {
    if (isSignOutError(error) && sessionId && sessionId !== store.getState().session?.id) {
      await client.load().catch(() => undefined)
      return toSessionKitError(error)
    }
    return fail(error)
  }

  /** Ends the local session at once: tokens dropped, timers stopped, state signed out. */
  function signOutLocally(reason: SignOutReason | null, share = true) {
    const { session, sessions } = store.getState()
    if (session) {
      endedSessions.add(session.id)
      if (share && reason) tabs?.post({ type: 'signed-out', at: clock.now(), reason, sessionId: session.id })
    }
    tokens.clear()
    retries.clear()
    touches.cancel()
    cancelPhaseTimer?.()
    cancelPhaseTimer = null
    const endedStatus = reason === 'max-lifetime' ? 'abandoned' : reason === 'inactivity' || reason === 'idle' ? 'expired' : 'ended'
    store.patch({
      status: 'signed-out',
      session: null,
      user: null,
      sessions: session ? sessions.map((s) => (s.id === session.id ? { ...s, status: endedStatus } : s)) : sessions,
      deadline: null,
      deadlineReason: null,
      renewable: false,
      renewal: 'idle',
      phase: reason === null || reason === 'signed-out' ? 'active' : 'expired',
      signOutReason: reason,
    })
  }

  /** Replaces what we know of the client with the server's answer. */
  function applyClient(resource: ClientResource, ownAction = false, fromTab = false) {
    const previous = store.getState()
    const now = clock.now()
    stateAt = Math.max(stateAt, now)
    lastClientResource = resource
    if (!fromTab) tabs?.post({ type: 'client', at: now, client: resource })
    const sessions = resource.sessions
      .map((s) => toClientSession(s, link.skewMs, now))
      .map((s) => (endedSessions.has(s.id) && s.status === 'active' ? { ...s, status: 'ended' as const } : s))
    const active = activeSessionOf(resource, sessions)
    if (previous.session && previous.session.id !== active?.id) tokens.clear(previous.session.id)
    if (!active) {
      store.patch({ sessions, policy: resource.policy })
      if (previous.status !== 'signed-out') {
        const before = previous.session && sessions.find((s) => s.id === previous.session?.id)
        signOutLocally(previous.session && !ownAction ? signOutReasonFor(before?.status) : ownAction ? 'signed-out' : null, !fromTab)
      }
      return
    }
    if (previous.session?.id !== active.id) {
      timeline.restart(now)
      touches.reset(active.lastActiveAt)
    }
    store.patch({
      status: 'signed-in',
      sessions,
      session: active,
      user: sameUser(previous.user, active.user),
      policy: resource.policy,
      signOutReason: null,
      error: null,
    })
    reconcile()
  }

  /** Updates one session after a touch or a verification. */
  function applySession(resource: SessionResource, fromTab = false) {
    if (endedSessions.has(resource.id)) return
    stateAt = Math.max(stateAt, clock.now())
    if (!fromTab) tabs?.post({ type: 'session', at: clock.now(), session: resource })
    const session = toClientSession(resource, link.skewMs, clock.now())
    const state = store.getState()
    const sessions = state.sessions.map((s) => (s.id === session.id ? session : s))
    if (state.session?.id !== session.id) return store.patch({ sessions })
    if (session.status !== 'active') return signOutLocally(signOutReasonFor(session.status), !fromTab)
    store.patch({ sessions, session, user: sameUser(state.user, session.user) })
    reconcile()
  }

  /**
   * Re-derives deadline and phase from the clock, and arms a timer for the
   * next change. Called on every event that could matter, so a late timer or a
   * sleeping laptop can never leave a stale phase behind.
   */
  function reconcile() {
    cancelPhaseTimer?.()
    cancelPhaseTimer = null
    const state = store.getState()
    if (state.status !== 'signed-in' || !state.session) return
    const { deadline, phase, nextChangeAt } = timeline.derive(state.session, clock.now())
    if (phase === 'expired' && deadline) return expire(deadline.reason)
    store.patch({
      deadline: deadline?.at ?? null,
      deadlineReason: deadline?.reason ?? null,
      renewable: deadline?.renewable ?? false,
      phase,
    })
    if (nextChangeAt !== null) cancelPhaseTimer = scheduleAt(clock, nextChangeAt, reconcile)
  }

  /** The deadline passed: sign out here, and tell the server (best effort). */
  function expire(reason: DeadlineReason) {
    const sessionId = store.getState().session?.id
    signOutLocally(reason)
    // The server may already consider it over, or be unreachable: either is fine.
    if (sessionId) adapter.endSession(sessionId, { reason }).catch(() => undefined)
  }

  // ---- activity and touches --------------------------------------------------

  /**
   * Input in this tab (at most once per throttle window) or another: it moves
   * the idle deadline and, in the leading tab, touches the server. While the
   * warning shows, only an explicit "Stay signed in" renews.
   */
  function onInput(at: number, local: boolean) {
    if (local) tabs?.post({ type: 'activity', at })
    const { status, phase } = store.getState()
    const renewing = status === 'signed-in' && phase === 'active'
    if (local) {
      if (timeline.input(at, renewing)) reconcile()
    } else {
      // Older news than this tab has: nothing to do.
      if (!timeline.remoteInput(at, renewing)) return
      if (renewing) reconcile()
    }
    if (renewing && leads()) touches.onActivity()
  }

  function sendTouch(): Promise<void> {
    const sessionId = store.getState().session?.id
    if (!sessionId) return Promise.resolve()
    return request(() => adapter.touchSession(sessionId), parseSessionResource).then(
      (session) => {
        applySession(session)
        // The server confirmed the new deadline: only now is "Stay signed in" done.
        store.patch({ renewal: 'idle' })
      },
      (error) => {
        const e = fail(error, retryTouch)
        const { renewal } = store.getState()
        if (renewal !== 'idle') store.patch({ renewal: isConnectivityError(e) ? 'retrying' : 'idle' })
        throw e
      },
    )
  }
  const retryTouch = () => void touches.now().catch(() => undefined)

  const isActive = (sessionId: string) =>
    store.getState().sessions.some((s) => s.id === sessionId && s.status === 'active')
  const tokenParams = (key: TokenKey) => ({ template: key.template ?? undefined, organizationId: key.organizationId })

  function onTabMessage(message: TabMessage) {
    handleTabMessage(message, {
      leads,
      post: (body) => tabs?.post(body),
      snapshot: () => lastClientResource && { at: stateAt, client: lastClientResource },
      stateAt: () => stateAt,
      lastInputAt: () => timeline.lastInputAt,
      activity: (at) => onInput(at, false),
      stay(at) {
        timeline.stay(at, true)
        reconcile()
      },
      client: (raw) => applyClient(parseClientResource(raw), false, true),
      session: (raw) => applySession(parseSessionResource(raw), true),
      signedOut(reason, sessionId) {
        if (sessionId) endedSessions.add(sessionId)
        const active = store.getState().session
        if (active && (sessionId === null || sessionId === active.id)) signOutLocally(reason, false)
      },
      isActive,
      storeToken: (key, token) => tokens.set(key.sessionId, tokenParams(key), token),
      getToken: (key) => tokens.getResource(key.sessionId, { ...tokenParams(key), leewayInSeconds: options.leewayInSeconds }),
    })
  }

  // ---- lifecycle -------------------------------------------------------------

  function start() {
    const unsubscribe = activity.subscribe((at) => onInput(at, true))
    const unwatch = watchWakeEvents(options.eventTarget, (kind) => {
      if (kind === 'offline') return store.patch({ connectivity: 'offline' })
      reconcile()
      if (retries.size > 0) return retries.flush()
      // Back online with nothing waiting to be retried: ask the server once,
      // so connectivity (and anything that changed meanwhile) is known again.
      if (kind === 'online' && store.getState().connectivity !== 'online') void client.load().catch(() => undefined)
    })
    tabs?.start()
    stopListening = () => {
      unsubscribe()
      unwatch()
      tabs?.stop()
    }
    if (store.getState().status === 'loading') void client.load().catch(() => undefined)
  }
  const mount = createMountCounter(start, () => {
    stopListening?.()
    stopListening = null
  })

  const client: SessionClient = {
    getState: store.getState,
    getInitialState: store.getInitialState,
    subscribe: store.subscribe,
    options,
    capabilities,

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
        .then((resource) => applyClient(resource), (error) => {
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
        applyClient(await request(() => signIn(params), parseClientResource), true)
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
      if (store.getState().status !== 'signed-in') return
      // "Stay signed in": the user is here now, whatever the server says next.
      const now = clock.now()
      timeline.stay(now)
      activity.record()
      tabs?.post({ type: 'stay', at: now })
      store.patch({ renewal: 'pending' })
      reconcile()
      await touches.now()
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
        if (deadline !== null && clock.now() >= deadline) reconcile()
        const state = store.getState()
        const session = tokenOptions.sessionId
          ? state.sessions.find((s) => s.id === tokenOptions.sessionId && s.status === 'active')
          : state.session
        if (state.status !== 'signed-in' || !session) return null
        sessionId = session.id
        const leewayInSeconds = tokenOptions.leewayInSeconds ?? options.leewayInSeconds
        if (typeof leewayInSeconds !== 'number' || !(leewayInSeconds >= 0)) {
          throw new SessionKitError('invalid_option', `leewayInSeconds must be a number of seconds, 0 or more; got ${String(leewayInSeconds)}.`)
        }
        return await tokens.get(session.id, {
          template: tokenOptions.template,
          organizationId: tokenOptions.organizationId === undefined ? session.lastActiveOrganizationId : tokenOptions.organizationId,
          leewayInSeconds,
          skipCache: tokenOptions.skipCache,
        })
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
        applyClient(resource, true)
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
      // The user asked to leave: leave now, even if the server cannot be told.
      if (!sessionId || sessionId === active?.id) signOutLocally('signed-out')
      else tokens.clear(sessionId)
      try {
        if (!sessionId && !endAll) return
        const resource = await request(
          () => (sessionId ? adapter.endSession(sessionId, { reason: 'signed-out' }) : endAll!()),
          parseClientResource,
        )
        applyClient(resource, true)
      } catch (error) {
        if (!isConnectivityError(error) && !isSignOutError(error)) throw fail(error)
      }
    },

    async end(sessionId) {
      const id = sessionId ?? store.getState().session?.id
      if (id) await client.signOut({ sessionId: id })
    },

    async remove(sessionId) {
      assertAlive()
      const removeSession = capability('removeSession', 'remove')
      const id = sessionId ?? store.getState().session?.id
      if (!id) return
      if (id === store.getState().session?.id) signOutLocally('signed-out')
      else tokens.clear(id)
      try {
        applyClient(await request(() => removeSession(id), parseClientResource), true)
      } catch (error) {
        if (!isConnectivityError(error) && !isSignOutError(error)) throw fail(error)
      }
    },

    async verify(params, verifyOptions = {}) {
      assertAlive()
      const sessionId = verifyOptions.sessionId ?? store.getState().session?.id
      const verifySession = capability('verifySession', 'verify')
      if (!sessionId) throw new SessionKitError('signed_out', 'Sign in before verifying: there is no active session.')
      try {
        applySession(await request(() => verifySession(sessionId, params), parseSessionResource))
      } catch (error) {
        throw isSessionKitError(error, 'invalid_credentials') ? error : fail(error)
      }
    },

    checkAuthorization(params: AuthorizationParams) {
      const { status, session, user } = store.getState()
      if (status !== 'signed-in' || !session || !user) return false
      return checkAuthorization(
        {
          lastActiveOrganizationId: session.lastActiveOrganizationId,
          factorVerificationAge: verificationAgesAt(session.factorVerifiedAt, clock.now()),
          organizationMemberships: user.organizationMemberships,
        },
        params,
      )
    },

    destroy() {
      if (destroyed) return
      destroyed = true
      stopListening?.()
      stopListening = null
      cancelPhaseTimer?.()
      touches.cancel()
      retries.clear()
      tokens.destroy()
    },
  }
  return client
}
