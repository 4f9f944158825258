import { useAuth, useSessionClient, useSessionList } from '../../../src/react'

/** Multi-session: every signed-in account on this browser, switch between them, add one. */
export function Accounts({ onAddAccount }: { onAddAccount: () => void }) {
  const client = useSessionClient()
  const { sessionId } = useAuth()
  const { sessions, setActive, canAddAccount } = useSessionList()
  const signedIn = (sessions ?? []).filter((session) => session.status === 'active')

  return (
    <section className="card" aria-labelledby="accounts-title">
      <h2 id="accounts-title">Accounts on this browser</h2>
      <ul className="accounts">
        {signedIn.map((session) => {
          const { firstName, lastName, identifier } = session.publicUserData
          const name = `${firstName ?? ''} ${lastName ?? ''}`.trim() || identifier
          const current = session.id === sessionId
          return (
            <li key={session.id} aria-current={current ? 'true' : undefined}>
              <span>
                <strong>{name}</strong> <span className="muted">{identifier}</span>
                {current ? <span className="badge">current</span> : null}
              </span>
              <span className="actions">
                {current ? null : (
                  <button type="button" className="secondary" onClick={() => void setActive(session.id).catch(() => undefined)}>
                    Switch to {name}
                  </button>
                )}
                <button
                  type="button"
                  className="secondary"
                  onClick={() => void client.signOut({ sessionId: session.id }).catch(() => undefined)}
                >
                  Sign out {name}
                </button>
              </span>
            </li>
          )
        })}
      </ul>
      {/* One session per browser (an OIDC provider, a one-device policy): nothing to add. */}
      {canAddAccount ? (
        <button type="button" onClick={onAddAccount}>
          Add account
        </button>
      ) : null}
    </section>
  )
}
