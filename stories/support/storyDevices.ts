// The user's other devices, for stories: the memory adapter is one browser and
// has no device methods, so this wraps it and adds them over an in-memory list
// of other devices, answering as the reference server's /v1/me/sessions does:
// only signed-in sessions, this browser's first, another id is
// session_not_found, this browser's own id cannot be revoked; an acting session
// (support acting as the user) is not listed and may not sign devices out (403
// forbidden). Each call reads
// the memory server's client first, so simulated failures (offline, server
// errors) apply to it as to every other call; `latencyMs` slows the device calls
// alone, so a story can show them pending without slowing its first load. No React here.
import type { MemoryAdapter } from '../../src/adapters/memory'
import type { AdapterResponse, SessionAdapter, UserSessionResource } from '../../src/core/adapter'
import type { Clock } from '../../src/core/clock'
import { SessionKitError } from '../../src/core/errors'
import type { ClientResource, SessionResource } from '../../src/core/resources'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** Another device the active user is signed in on. Times are how long before the world starts. */
export interface StoryDevice {
  /** Default: `sess_device_<n>`. */
  id?: string
  /** The label the server would parse from its User-Agent, e.g. "Safari 19 on iOS". */
  device: string
  /** Default: null (unknown). */
  ip?: string | null
  /** How long ago it signed in (ms). Default: 1 day. */
  signedInAgo?: number
  /** How long ago it was last used (ms). Default: 1 hour. */
  lastActiveAgo?: number
}

/** The story's devices: this browser's label and the others. */
export interface StoryDevicesOptions {
  /** This browser, as the server labels it. Default: "Chrome 140 on macOS" at 192.0.2.10. */
  thisDevice?: { device: string; ip?: string | null }
  /** The user's other devices. Default: none. */
  others?: readonly StoryDevice[]
  /** How long each device call takes on the world's clock, before it reaches the server. Default 0. */
  latencyMs?: number
}

/** The memory adapter with device methods, and what a story checks. */
export interface StoryDevices {
  /** Give this to the session client: every memory method, plus the device methods. */
  readonly adapter: SessionAdapter
  /** The other devices still signed in (server times). */
  others(): UserSessionResource[]
  /** How often each device method was called, failed calls included. */
  readonly calls: { getUserSessions: number; revokeUserSession: number; revokeOtherUserSessions: number; signOutEverywhere: number }
}

/** Wraps `memory` (on `clock`) with the device methods over the `options.others` list. */
export function withStoryDevices(memory: MemoryAdapter, clock: Clock, options: StoryDevicesOptions = {}): StoryDevices {
  const latencyMs = options.latencyMs ?? 0
  const thisDevice = { device: 'Chrome 140 on macOS', ip: '192.0.2.10', ...options.thisDevice }
  const startedAt = memory.serverNow()
  let others: UserSessionResource[] = (options.others ?? []).map((other, index) => ({
    id: other.id ?? `sess_device_${index + 1}`,
    status: 'active',
    device: other.device,
    ip: other.ip ?? null,
    createdAt: startedAt - (other.signedInAgo ?? DAY),
    lastActiveAt: startedAt - (other.lastActiveAgo ?? HOUR),
    isCurrent: false,
  }))
  const calls = { getUserSessions: 0, revokeUserSession: 0, revokeOtherUserSessions: 0, signOutEverywhere: 0 }

  /** The server's view of this browser: its signed-in session, or 401 as the server answers then. */
  const caller = async (method: keyof typeof calls) => {
    calls[method]++
    if (latencyMs > 0) await new Promise<void>((resolve) => clock.setTimeout(resolve, latencyMs))
    const { data, serverNow } = await memory.getClient()
    const session = data.sessions.find((s) => s.id === data.lastActiveSessionId && s.status === 'active')
    if (!session) {
      throw new SessionKitError('unauthenticated', 'Sign in first: your devices are listed for the signed-in session of this browser.', { status: 401 })
    }
    return { session, serverNow }
  }
  /** This browser first, unless its session is an acting one: that is not one of the user's devices. */
  const listed = (current: SessionResource, serverNow: number): AdapterResponse<UserSessionResource[]> => {
    const thisOne: UserSessionResource[] =
      current.actor === null
        ? [{ id: current.id, status: 'active', ...thisDevice, createdAt: current.createdAt, lastActiveAt: current.lastActiveAt, isCurrent: true }]
        : []
    return { data: [...thisOne, ...others], serverNow }
  }
  /** Support acting as the user may look at the devices, not sign them out: the server answers 403. */
  const refuseWhileActing = (current: SessionResource) => {
    if (current.actor !== null) {
      throw new SessionKitError('forbidden', "You are acting as this user: stop acting first to sign out the user's devices.", { status: 403 })
    }
  }

  const adapter: SessionAdapter = {
    key: memory.key,
    getClient: () => memory.getClient(),
    signIn: (params) => memory.signIn(params),
    touchSession: (id) => memory.touchSession(id),
    createToken: (id, params) => memory.createToken(id, params),
    endSession: (id, params) => memory.endSession(id, params),
    removeSession: (id) => memory.removeSession(id),
    endAllSessions: () => memory.endAllSessions(),
    setActiveSession: (id, params) => memory.setActiveSession(id, params),
    verifySession: (id, params) => memory.verifySession(id, params),
    startImpersonation: (id, userId) => memory.startImpersonation(id, userId),
    stopImpersonation: (id) => memory.stopImpersonation(id),

    async getUserSessions() {
      const { session, serverNow } = await caller('getUserSessions')
      return listed(session, serverNow)
    },
    async revokeUserSession(sessionId) {
      const { session, serverNow } = await caller('revokeUserSession')
      refuseWhileActing(session)
      if (sessionId === session.id) {
        throw new SessionKitError('invalid_request', 'That is the session of this browser: sign out (signOut()) instead of revoking it.', { status: 400 })
      }
      if (!others.some((other) => other.id === sessionId)) {
        throw new SessionKitError('session_not_found', 'You have no such session: refresh the list of your devices.', { status: 404 })
      }
      others = others.filter((other) => other.id !== sessionId)
      return listed(session, serverNow)
    },
    async revokeOtherUserSessions() {
      const { session, serverNow } = await caller('revokeOtherUserSessions')
      refuseWhileActing(session)
      others = []
      return listed(session, serverNow)
    },
    async signOutEverywhere(): Promise<AdapterResponse<ClientResource>> {
      const { session } = await caller('signOutEverywhere')
      refuseWhileActing(session)
      others = []
      return memory.endSession(session.id, { reason: 'signed-out' })
    },
  }
  return { adapter, others: () => others.map((other) => ({ ...other })), calls }
}
