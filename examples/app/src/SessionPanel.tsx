import { shallow } from 'zustand/shallow'
import type { SessionClientState } from '../../../src/core/types'
import { formatClock, useSessionExpiry, useSessionSelector } from '../../../src/react'

const selectPanel = (state: SessionClientState) => ({
  status: state.status,
  phase: state.phase,
  deadline: state.deadline,
  reason: state.deadlineReason,
  expireAt: state.session?.expireAt ?? null,
  abandonAt: state.session?.abandonAt ?? null,
  connectivity: state.connectivity,
  // Leadership is part of the state: the panel re-renders when it changes, nothing polls it.
  isLeader: state.isLeader,
  signOutReason: state.signOutReason,
  error: state.error?.message ?? null,
})

const at = (ms: number | null) => (ms === null ? '—' : new Date(ms).toLocaleTimeString())

/** What sessionkit knows about this tab's session, live. */
export function SessionPanel() {
  const panel = useSessionSelector(selectPanel, shallow)

  return (
    <aside className="card panel" aria-labelledby="panel-title">
      <h2 id="panel-title">Session</h2>
      <dl className="facts">
        <dt>Status</dt>
        <dd data-testid="status">{panel.status}</dd>
        <dt>Phase</dt>
        <dd data-testid="phase">{panel.phase}</dd>
        <dt>Deadline</dt>
        <dd data-testid="deadline">
          {at(panel.deadline)}
          <TimeLeft />
        </dd>
        <dt>Reason</dt>
        <dd data-testid="reason">{panel.reason ?? '—'}</dd>
        <dt>expireAt</dt>
        <dd data-testid="expire-at">{at(panel.expireAt)}</dd>
        <dt>abandonAt</dt>
        <dd data-testid="abandon-at">{at(panel.abandonAt)}</dd>
        <dt>Connectivity</dt>
        <dd data-testid="connectivity">{panel.connectivity}</dd>
        <dt>Refreshing tab</dt>
        <dd data-testid="leader">{panel.isLeader ? 'this tab leads' : 'another tab leads'}</dd>
        {panel.signOutReason ? (
          <>
            <dt>Signed out because</dt>
            <dd data-testid="sign-out-reason">{panel.signOutReason}</dd>
          </>
        ) : null}
        {panel.error ? (
          <>
            <dt>Last error</dt>
            <dd data-testid="last-error" className="error-text">
              {panel.error}
            </dd>
          </>
        ) : null}
      </dl>
    </aside>
  )
}

/**
 * " (in m:ss)" while the warning shows, from `useSessionExpiry` (it ticks once a
 * second in the warning phase only, and sets no timer before it): the
 * deadline's time of day above says enough the rest of the time.
 */
function TimeLeft() {
  const { phase, remainingMs } = useSessionExpiry()
  if (phase !== 'warning' || remainingMs === null) return null
  return <> (in {formatClock(remainingMs)})</>
}
