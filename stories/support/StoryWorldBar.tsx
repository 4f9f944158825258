import { useEffect, useReducer } from 'react'
import { snapshotOf } from './snapshot'
import { SPEEDS, type Speed, type StoryWorld } from './storyWorld'
import './storyWorld.css'

export const speedLabel = (speed: Speed) => (speed === 0 ? 'Pause' : `${speed}×`)

/** Re-renders when the world's time moves, a control changes, or the client's state changes. */
function useWorldVersion(world: StoryWorld): void {
  const [, bump] = useReducer((n: number) => n + 1, 0)
  useEffect(() => {
    const stopWorld = world.subscribe(bump)
    const stopClient = world.client.subscribe(bump)
    return () => {
      stopWorld()
      stopClient()
    }
  }, [world])
}

/**
 * The story's control bar: where the session stands, and buttons to move
 * time, change its speed, break the network or the server, and sign out from
 * "another tab". Input here is not the story user's activity.
 *
 * While a modal warning is open the rest of the page is inert, this bar too:
 * use the "Session" panel of the Storybook UI then (same controls).
 */
/**
 * `storyName` names the bar's landmark ("Story controls: Warning"): a docs page shows several
 * stories inline, and landmarks of one kind need names that tell them apart.
 */
export function StoryWorldBar({ world, storyName }: { world: StoryWorld; storyName?: string }) {
  useWorldVersion(world)
  const { status, connectivity, clock, speed, failure, canJump, signedIn } = snapshotOf(world)

  return (
    <section className="sw-bar" aria-label={storyName ? `Story controls: ${storyName}` : 'Story controls'} data-story-world-controls="">
      <p className="sw-status">
        <span className="sw-label">Session</span>
        <span data-testid="story-world-status">{status}</span>
        <span className="sw-sep" aria-hidden="true">
          ·
        </span>
        <span data-testid="story-world-connectivity">{connectivity}</span>
        <span className="sw-sep" aria-hidden="true">
          ·
        </span>
        <span>clock {clock}</span>
      </p>
      <div className="sw-controls">
        <button type="button" disabled={!canJump} onClick={() => void world.jumpToWarning()}>
          Jump to warning
        </button>
        <button type="button" onClick={() => void world.advance(10_000)}>
          +10 s
        </button>
        <div role="group" aria-label="Speed" className="sw-group">
          {SPEEDS.map((option) => (
            <button key={option} type="button" aria-pressed={speed === option} onClick={() => world.setSpeed(option)}>
              {speedLabel(option)}
            </button>
          ))}
        </div>
        <button
          type="button"
          aria-pressed={failure === 'offline'}
          onClick={() => (failure === 'offline' ? world.goOnline() : world.goOffline())}
        >
          Offline
        </button>
        <button type="button" aria-pressed={failure === 'server-error'} onClick={() => world.setServerError(failure !== 'server-error')}>
          Server 500
        </button>
        <button type="button" disabled={!signedIn} onClick={() => void world.signOutElsewhere()}>
          Sign out in another tab
        </button>
      </div>
    </section>
  )
}
