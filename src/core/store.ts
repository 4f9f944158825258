import { createStore, type StoreApi } from 'zustand/vanilla'
import { MINUTE_MS } from './clock'
import type { ClientResource, SessionResource, SessionStatus } from './resources'
import type { Session, SessionClientState, SignOutReason, User } from './types'

/** The state before the first answer from the adapter. */
export const INITIAL_STATE: SessionClientState = {
  status: 'loading',
  sessions: [],
  session: null,
  user: null,
  deadline: null,
  deadlineReason: null,
  renewable: false,
  phase: 'active',
  signOutReason: null,
  connectivity: 'online',
  renewal: 'idle',
  error: null,
  policy: null,
  isLeader: true,
}

/** The vanilla store behind a client, with a `patch` that skips no-op updates. */
export interface SessionStore extends StoreApi<SessionClientState> {
  /** Merges `partial`; does nothing (no listener call) when every field is unchanged. */
  patch(partial: Partial<SessionClientState>): void
  /** Makes the current state the initial one (what a server render shows). */
  settleInitialState(): void
}

export const createSessionStore = (): SessionStore => {
  const store = createStore<SessionClientState>()(() => INITIAL_STATE)
  let initial = INITIAL_STATE
  // A client started from a server snapshot renders that on the server and on the first
  // client render alike: the snapshot's state is its initial state.
  const settleInitialState = () => {
    initial = store.getState()
  }
  const patch = (partial: Partial<SessionClientState>) => {
    const state = store.getState()
    for (const key in partial) {
      if (!Object.is(state[key as keyof SessionClientState], partial[key as keyof SessionClientState])) {
        store.setState(partial)
        return
      }
    }
  }
  return Object.assign(store, { patch, settleInitialState, getInitialState: () => initial })
}


/** The server times of a session: what a skew moves. */
const SERVER_TIMES = ['createdAt', 'updatedAt', 'lastActiveAt', 'expireAt', 'abandonAt'] as const

/** `session` with every server time moved `by` ms back (a skew, or a better estimate of it). */
export const shiftSession = <T extends SessionResource | Session>(session: T, by: number): T => {
  const moved = { ...session }
  for (const key of SERVER_TIMES) if (moved[key] !== null) moved[key] -= by
  return moved
}

/**
 * Converts a server session into client time (`skewMs` = server clock −
 * client clock). Verification ages become stamps counted from `serverNow`,
 * when the server produced the answer: applied later (news, a tab's
 * hand-over), they still name the same moment.
 */
export const toClientSession = (resource: SessionResource, skewMs: number, serverNow: number): Session => {
  const ages = resource.factorVerificationAge
  const stamp = (age: number) => (age < 0 ? null : serverNow - skewMs - age * MINUTE_MS)
  return { ...shiftSession(resource, skewMs), factorVerifiedAt: ages && [stamp(ages[0]), stamp(ages[1])] }
}

/** `sessions` with the one of `session`'s id replaced by it. */
export const withSession = <S extends { id: string }>(sessions: readonly S[], session: S): S[] => sessions.map((s) => (s.id === session.id ? session : s))

/** The session a client resource names as active, if it is still active. */
export const activeSessionOf = <S extends { id: string; status: string }>(client: ClientResource, sessions: S[]): S | null => {
  const active = sessions.find((s) => s.id === client.lastActiveSessionId)
  return active && active.status === 'active' ? active : null
}

/** The status a session ends with, by why it ended (anything else: `ended`): the other way round from `SIGN_OUT_REASONS`. */
export const ENDED_STATUS: Partial<Record<SignOutReason, SessionStatus>> = { 'max-lifetime': 'abandoned', inactivity: 'expired', idle: 'expired', replaced: 'replaced' }

/** Whether a session ended by the user's own sign-out (`signed-out`), or was never known (`null`). */
export const byUser = (reason: SignOutReason | null) => reason === null || reason === 'signed-out'

/** The reasons a status names; any other (ended, removed, revoked, replaced elsewhere, gone from the list) is `revoked`. */
const SIGN_OUT_REASONS: Partial<Record<SessionStatus, SignOutReason>> = { expired: 'inactivity', abandoned: 'max-lifetime', replaced: 'replaced' }

/** Why a session that was active is not any more, judged by its new status. */
export const signOutReasonFor = (status: SessionStatus | undefined): SignOutReason => (status && SIGN_OUT_REASONS[status]) ?? 'revoked'

/**
 * Why the active session of `state` is not any more, the client answered at `now`: by its status there, or,
 * gone from the list once its deadline passed here, because it ran out of time (a backend that lists live
 * sessions only forgets it then).
 */
export const endedReasonFor = (ended: Session | null | undefined, { deadline, deadlineReason }: SessionClientState, now: number): SignOutReason =>
  !ended && deadlineReason && now >= (deadline ?? Infinity) ? deadlineReason : signOutReasonFor(ended?.status)

/** The previous user object when nothing in it changed: readers of the user do not re-render on every renewal. */
export const sameUser = (previous: User | null, next: User): User =>
  previous && JSON.stringify(previous) === JSON.stringify(next) ? previous : next
