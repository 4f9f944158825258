import { useQuery } from '@tanstack/react-query'
import { useAuth } from '../../../src/react'
import { useAuthFetch, useSessionKey } from '../../../src/react-query'
import { discoverUserinfoEndpoint } from './oidc'

/** What the provider's userinfo endpoint answers for the access token (openid profile email). */
interface UserInfo {
  sub: string
  name?: string
  email?: string
}

/**
 * The OIDC build's "API call": the provider's own userinfo endpoint, which
 * checks the access token as any resource server would. The reference
 * server's /api/me and its reverification are not part of this build.
 */
export function OidcDashboard({ issuer }: { issuer: string }) {
  const { isSignedIn } = useAuth()
  const authFetch = useAuthFetch()
  const session = useSessionKey()
  const me = useQuery({
    queryKey: ['userinfo', ...session],
    queryFn: async ({ signal }) => authFetch.json<UserInfo>(await discoverUserinfoEndpoint(issuer), { signal }),
    enabled: isSignedIn === true,
  })

  return (
    <section className="card" aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">Dashboard</h1>
      <p className="muted">
        Data from the provider's <code>userinfo</code> endpoint, called with <code>Authorization: Bearer &lt;await getToken()&gt;</code> (the access token).
      </p>
      {me.isPending ? (
        <p role="status">Calling userinfo…</p>
      ) : me.isError ? (
        <p className="error-text" role="alert">
          Could not load your profile: {me.error.message}
        </p>
      ) : (
        <dl className="facts" aria-label="Verified by the provider">
          <dt>API user</dt>
          <dd data-testid="api-user">{me.data.sub}</dd>
          <dt>Name</dt>
          <dd>{me.data.name ?? '—'}</dd>
          <dt>Email</dt>
          <dd>{me.data.email ?? '—'}</dd>
        </dl>
      )}
      <div className="actions">
        <button type="button" onClick={() => void me.refetch()} disabled={me.isFetching}>
          {me.isFetching ? 'Calling…' : 'Call the API again'}
        </button>
      </div>
    </section>
  )
}
