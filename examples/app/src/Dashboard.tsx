import { useQuery } from '@tanstack/react-query'
import { useAuth, useSessionClient } from '../../../src/react'
import { useAuthFetch, useSessionKey } from '../../../src/react-query'
import { SensitiveAction } from './SensitiveAction'

/** What the reference server's `GET /api/me` answers after verifying the token. */
interface Me {
  userId: string
  sessionId: string
  orgId: string | null
  claims: { sub: string; sid: string; iat?: number; exp?: number; org_role?: string }
}

/** A token time (server clock, seconds) shown in this browser's time, as the Session panel shows its times. */
const time = (seconds: number | undefined, skewMs: number) =>
  seconds === undefined ? '—' : new Date(seconds * 1000 - skewMs).toLocaleTimeString()

/** The app's own API, called with the session token through TanStack Query. */
export function Dashboard() {
  const { isSignedIn } = useAuth()
  const client = useSessionClient()
  // Sends `Authorization: Bearer <token>`; on a 401 it gets a fresh token and tries once
  // more, then lets sessionkit ask the session server whether the session is over.
  const authFetch = useAuthFetch()
  // Tags the key with the active session and organization: a switch changes the key, sign-out drops the data.
  const session = useSessionKey()
  const me = useQuery({
    queryKey: ['me', ...session],
    // `.json` rejects with HttpError (status, code) outside 200–299.
    queryFn: async ({ signal }) => (await authFetch.json<{ data: Me }>('/api/me', { signal })).data,
    enabled: isSignedIn === true,
  })

  return (
    <section className="card" aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">Dashboard</h1>
      <p className="muted">
        Data from <code>GET /api/me</code>, called with <code>Authorization: Bearer &lt;await getToken()&gt;</code>.
      </p>
      {me.isPending ? (
        <p role="status">Calling /api/me…</p>
      ) : me.isError ? (
        <p className="error-text" role="alert">
          Could not load your profile: {me.error.message}
        </p>
      ) : (
        <dl className="facts" aria-label="Verified by the API">
          <dt>API user</dt>
          <dd data-testid="api-user">{me.data.userId}</dd>
          <dt>Session</dt>
          <dd>{me.data.sessionId}</dd>
          <dt>Organization</dt>
          <dd>{me.data.orgId ?? 'none'}{me.data.claims.org_role ? ` (${me.data.claims.org_role})` : ''}</dd>
          <dt>Token issued</dt>
          <dd>{time(me.data.claims.iat, client.serverNow() - Date.now())}</dd>
          <dt>Token expires</dt>
          <dd>{time(me.data.claims.exp, client.serverNow() - Date.now())}</dd>
        </dl>
      )}
      <div className="actions">
        <button type="button" onClick={() => void me.refetch()} disabled={me.isFetching}>
          {me.isFetching ? 'Calling…' : 'Call the API again'}
        </button>
      </div>
      <SensitiveAction />
    </section>
  )
}
