import { shallow } from 'zustand/shallow'
import type { SessionClientState } from '../../../src/core/types'
import { formatClock, useSessionClient, useSessionSelector } from '../../../src/react'
import { useIsLeader } from './useIsLeader'

const selectPanel = (state: SessionClientState) => ({
  status: state.status,
  phase: state.phase,
  deadline: state.deadline,
  reason: state.deadlineReason,
  expireAt: state.session?.expireAt ?? null,
  abandonAt: state.session?.abandonAt ?? null,
  connectivity: state.connectivity,
  signOutReason: state.signOutReason,
  error: state.error?.message ?? null,
})

const at = (ms: number | null) => (ms === null ? '—' : new Date(ms).toLocaleTimeString())

/** What sessionkit knows about this tab's session, live. */
export function SessionPanel() {
  const client = useSessionClient()
  const panel = useSessionSelector(selectPanel, shallow)
  const leader = useIsLeader(client)
  // Re-rendered at least once a second by useIsLeader, so "in m:ss" stays current.
  const remaining = panel.deadline === null ? null : Math.max(0, panel.deadline - client.options.clock.now())

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
          {remaining === null ? '' : ` (in ${formatClock(remaining)})`}
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
        <dd data-testid="leader">{leader ? 'this tab leads' : 'another tab leads'}</dd>
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
