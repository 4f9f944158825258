// The "Session" panel (manager side; registered in .storybook/manager.ts):
// the story world's control bar again, outside the preview. A modal warning
// makes the whole story inert, its own control bar too; this panel still
// works then, so a viewer can go online or speed up while the warning counts.
// The manager's bundler compiles JSX to React.createElement: React must be in scope.
import React, { useEffect, useState, type CSSProperties, type ReactNode } from 'react'
import { useChannel } from 'storybook/manager-api'
import {
  WORLD_COMMAND_EVENT,
  WORLD_REQUEST_EVENT,
  WORLD_STATE_EVENT,
  type WorldCommand,
  type WorldSnapshot,
} from './channelEvents'

const SPEEDS = [0, 1, 10, 60] as const

const styles = {
  panel: { padding: 12, font: '13px/1.5 system-ui, sans-serif', display: 'grid', gap: 8 },
  row: { display: 'flex', flexWrap: 'wrap', gap: 6, alignItems: 'center' },
  button: { padding: '2px 10px', minHeight: 28, borderRadius: 6, border: '1px solid #8a8d96', background: '#fff', color: '#1a1b1f', cursor: 'pointer' },
  pressed: { background: '#1f3f9e', borderColor: '#1f3f9e', color: '#fff' },
} satisfies Record<string, CSSProperties>

function Button({ pressed, disabled, onClick, children }: { pressed?: boolean; disabled?: boolean; onClick: () => void; children: ReactNode }) {
  return (
    <button
      type="button"
      aria-pressed={pressed}
      disabled={disabled}
      onClick={onClick}
      style={{ ...styles.button, ...(pressed ? styles.pressed : {}), ...(disabled ? { opacity: 0.5, cursor: 'not-allowed' } : {}) }}
    >
      {children}
    </button>
  )
}

/** The panel's content: the world's state and the same controls as the bar, sent over the channel. */
export function SessionPanel() {
  const [world, setWorld] = useState<WorldSnapshot | null>(null)
  const emit = useChannel({ [WORLD_STATE_EVENT]: (snapshot: WorldSnapshot | null) => setWorld(snapshot) })
  // Opening the panel after the story rendered: ask the world to report.
  useEffect(() => emit(WORLD_REQUEST_EVENT), [emit])
  const send = (command: WorldCommand) => emit(WORLD_COMMAND_EVENT, command)

  if (!world) {
    return <div style={styles.panel}>This story has no session world (set <code>parameters.world</code>).</div>
  }
  return (
    <div style={styles.panel}>
      <div style={styles.row}>
        <strong>Session</strong> {world.status} · {world.connectivity} · clock {world.clock}
      </div>
      <div style={styles.row} role="group" aria-label="Time">
        <Button disabled={!world.canJump} onClick={() => send({ type: 'jump-to-warning' })}>
          Jump to warning
        </Button>
        <Button onClick={() => send({ type: 'advance', ms: 10_000 })}>+10 s</Button>
        {SPEEDS.map((speed) => (
          <Button key={speed} pressed={world.speed === speed} onClick={() => send({ type: 'speed', speed })}>
            {speed === 0 ? 'Pause' : `${speed}×`}
          </Button>
        ))}
      </div>
      <div style={styles.row} role="group" aria-label="Failures">
        <Button pressed={world.failure === 'offline'} onClick={() => send({ type: 'offline', on: world.failure !== 'offline' })}>
          Offline
        </Button>
        <Button
          pressed={world.failure === 'server-error'}
          onClick={() => send({ type: 'server-error', on: world.failure !== 'server-error' })}
        >
          Server 500
        </Button>
        <Button disabled={!world.signedIn} onClick={() => send({ type: 'sign-out-elsewhere' })}>
          Sign out in another tab
        </Button>
      </div>
    </div>
  )
}

