import type { SessionClientState } from '../../src/core/types'
import type { WorldSnapshot } from './channelEvents'
import { formatElapsed, type StoryWorld } from './storyWorld'

/** One line saying where the session stands, in the words of the docs. */
export function describeSession(state: SessionClientState, now: number): string {
  if (state.status === 'loading') return 'loading'
  if (state.status === 'signed-out') {
    return state.signOutReason && state.signOutReason !== 'signed-out' ? `signed out (${state.signOutReason})` : 'signed out'
  }
  const who = state.user?.firstName ?? state.user?.identifier ?? 'someone'
  const left = state.deadline === null ? 'no deadline' : `${formatElapsed(state.deadline - now)} left (${state.deadlineReason})`
  return `${who} · ${state.phase} · ${left}`
}

/** What the control bar and the "Session" panel show of a world. */
export function snapshotOf(world: StoryWorld): WorldSnapshot {
  const state = world.client.getState()
  const now = world.clock.now()
  return {
    status: describeSession(state, now),
    connectivity: state.connectivity,
    clock: `+${formatElapsed(now - world.startedAt)}`,
    speed: world.speed,
    failure: world.failure,
    canJump: state.status === 'signed-in' && state.deadline !== null && state.phase === 'active',
    signedIn: state.status === 'signed-in',
  }
}
