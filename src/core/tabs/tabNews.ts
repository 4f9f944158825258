import { isSessionKitError } from '../errors'
import { parseClientResource, parseSessionResource } from '../validate'
import { keyOf, type TabMessage, type TabMessageBody } from './messages'
import type { DeadlineReason, DeadlineTimeline } from '../deadline'
import type { ServerLink } from '../serverLink'
import type { SessionState } from '../sessionState'
import type { SessionStore } from '../store'
import type { TokenCache } from '../tokenCache'
import type { TabSync } from './tabSync'
import { activeSessionOf } from '../store'
import type { ClientResource } from '../resources'
import type { SignOutReason } from '../types'

/** Every reason this version knows (a Record: tsc says when one is missing). */
const KNOWN_REASONS: Record<SignOutReason, true> = { 'signed-out': true, inactivity: true, idle: true, 'max-lifetime': true, revoked: true, replaced: true }

/** Whether `reason` is a deadline's. */
const endedAtDeadline = (reason: SignOutReason): reason is DeadlineReason => reason === 'inactivity' || reason === 'idle' || reason === 'max-lifetime'

/**
 * A tab running another version may sign out for a reason this one does not
 * know: this tab still signs out, as the server's doing ("revoked"), and a name
 * such as "constructor" never reads as a reason.
 */
const knownReason = (reason: string): SignOutReason => (Object.hasOwn(KNOWN_REASONS, reason) ? (reason as SignOutReason) : 'revoked')

// The tab bridge: what each kind of news from another tab does to this one.
// TabSync (tabSync.ts) carries the messages and elects the leader; this file
// acts on them, with the client's own parts (no wrapper object around them).

/** The parts of a client that news from other tabs reaches. */
export interface TabNewsHandlers {
  store: SessionStore
  link: ServerLink
  timeline: DeadlineTimeline
  clientState: SessionState
  tokens: TokenCache
  tabs: TabSync | null
  /** Whether this tab touches the server and refreshes tokens for all. */
  leads: () => boolean
  /** The default `leewayInSeconds` of `getToken`. */
  leewayInSeconds: number
  /** Input in another tab (`idleBase`: a hello reply's, no input). */
  onInput: (at: number, local: false, idleBase: boolean) => void
  /** Whether client news from a tab may be applied (see `checksSnapshotAgainstTabs`). */
  trustsTabClient: (client: ClientResource) => boolean
}

/**
 * A page rendered signed out (a null snapshot) has no stamp to order an
 * open tab's news against (stateOrder.ts). So when the first client news from
 * a tab names an active session, neither side is trusted and `reload` asks
 * the server: the open tab may not have noticed yet that its session was
 * revoked, or it signed in after the page was rendered.
 */
export function checksSnapshotAgainstTabs(renderedSignedOut: boolean, reload: () => void) {
  let unchecked = renderedSignedOut
  return (client: ClientResource): boolean => {
    if (!unchecked) return true
    unchecked = false
    if (!activeSessionOf(client, client.sessions)) return true
    reload()
    return false
  }
}

/**
 * Acts on one message from another tab. Resources from other tabs pass the
 * same parsers as the server's answers; malformed ones throw there and are
 * ignored here: a tab running another version, or a corrupted message, must
 * never break this one.
 */
export const handleTabMessage = (message: TabMessage, on: TabNewsHandlers): void => {
  const { timeline, clientState, tabs } = on
  try {
    switch (message.type) {
      case 'hello': {
        // A tab opened: the leader hands it what it applied, each with its stamp, and the last
        // input, so a tab opened during the warning shows the same countdown. The sessions first:
        // the client may name older versions (touches since), which must not expire in the new
        // tab. No client while signed out: it names the ended session active. The other tabs
        // hear it all again and apply nothing new. TabSync asks this of a tab that takes the lead too: a hello may come while nobody leads.
        if (!on.leads()) break
        const at = clientState.stateAt
        // Before all that, the sessions that ended here: a sign-out the server has not heard yet leaves
        // it naming them active, and the new tab's own load must not sign it in with one. (`at` is read by
        // no tab; lastInputAt is a time this tab always has.) One this tab still tells the server is `unheard`:
        // the new tab tells it too, should this one close first.
        const reason = on.store.getState().signOutReason ?? 'signed-out'
        for (const sessionId of clientState.endedSessions) {
          tabs?.post({ type: 'signed-out', at: timeline.lastInputAt, reason, sessionId, ...(clientState.signOuts.waits(sessionId) && { unheard: true }) })
        }
        const { client, sessions } = clientState.order
        for (const { data: session, serverNow, sentAt } of sessions.values()) tabs?.post({ type: 'session', at, sentAt, serverNow, session })
        if (client && on.store.getState().status === 'signed-in') tabs?.post({ type: 'client', at, sentAt: client.sentAt, serverNow: client.serverNow, client: client.data })
        // The last real input first, unmarked: should this tab close before its trailing touch, the new tab
        // that takes over reports it. Then the idle base, marked: maybe only when a tab opened, it is no input
        // to report to the server (at the same time as the input, it is older news there and changes nothing).
        const inputAt = clientState.inputAt()
        if (inputAt > -Infinity) tabs?.post({ type: 'activity', at: inputAt })
        tabs?.post({ type: 'activity', at: timeline.lastInputAt, idleBase: true })
        break
      }
      case 'activity':
        return on.onInput(message.at, false, message.idleBase === true)
      case 'stay':
        timeline.stay(message.at, true)
        return clientState.reconcile()
      // Older news than what this tab knows (reordered, duplicated) changes nothing.
      case 'client': {
        const client = parseClientResource(message.client)
        // A tab of an older version leaves the stamp out: its news is newer when it heard it later than
        // this tab heard its last (then it counts as sent when heard, and produced now).
        const { at, sentAt = at, serverNow = on.link.serverNow() } = message
        const unstamped = message.sentAt === undefined
        if (on.trustsTabClient(client) && (!unstamped || at > clientState.stateAt)) clientState.applyClient({ data: client, sentAt, serverNow, unstamped }, false, true)
        break
      }
      case 'session':
        // Ordered by the session's own stamp; from a tab of an older version, produced now.
        clientState.applySession({ data: parseSessionResource(message.session), sentAt: message.sentAt, serverNow: message.serverNow ?? on.link.serverNow() }, true)
        break
      case 'signed-out': {
        const { sessionId } = message
        const active = on.store.getState().session
        const reason = knownReason(message.reason)
        if (sessionId) clientState.endedSessions.add(sessionId)
        // Told already (heard again: a hello reply, a takeover, a duplicate): a second telling would double the requests.
        if (sessionId && message.unheard === true && endedAtDeadline(reason) && !clientState.signOuts.told.has(sessionId)) clientState.tellEnded(sessionId, reason)
        // A deadline or a remote sign-out seen first by another tab: this tab too lets the app save its work first.
        if (active && (sessionId === null || sessionId === active.id)) void clientState.end(reason, false)
        break
      }
      case 'token':
        // The message is the token resource too: the cache reads its jwt and expiresAt only.
        if (isActive(on, message.sessionId)) on.tokens.set(keyOf(message), message)
        break
      case 'token-request':
        // The leader answers; not awaited: it settles by itself, catching what it throws.
        if (on.leads()) void answerTokenRequest(message, on)
    }
  } catch {
    // Ignored on purpose: see above.
  }
}

/** Whether `sessionId` is an active session in this tab. */
const isActive = (on: TabNewsHandlers, sessionId: string) =>
  on.store.getState().sessions.some((s) => s.id === sessionId && s.status === 'active')

/** A reply to a token request, without the request id it answers. */
type TokenReply<T = Extract<TabMessageBody, { type: 'token' | 'token-ack' | 'token-error' }>> = T extends unknown ? Omit<T, 'requestId'> : never

const answerTokenRequest = async (message: Extract<TabMessage, { type: 'token-request' }>, on: TabNewsHandlers) => {
  const key = keyOf(message)
  const reply = (body: TokenReply) => on.tabs?.post({ ...body, requestId: message.requestId } as TabMessageBody)
  // Before any work: the follower falls back quickly only when no leader says this.
  reply({ type: 'token-ack' })
  // A session that ended here is signed out (the follower must not mint for it); one this tab does not
  // know as active yet (signed in there, news on its way) gets a network error, as does a failed fetch:
  // the follower fetches for itself.
  let code = on.clientState.endedSessions.has(key.sessionId) ? 'signed_out' : 'network_error'
  if (isActive(on, key.sessionId)) {
    try {
      // The token resource's jwt and expiresAt go on the wire with the key. The follower's leeway when it is
      // the longer one: a token the follower cannot use would cost it a fetch of its own.
      const resource = await on.tokens.getResource(key, { leewayInSeconds: Math.max(on.leewayInSeconds, message.leewayInSeconds ?? 0) })
      return reply({ type: 'token', ...key, ...resource })
    } catch (error) {
      if (isSessionKitError(error)) code = error.code
    }
  }
  reply({ type: 'token-error', code })
}
