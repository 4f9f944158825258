import { useId, useState } from 'react'
import { useActor, useSessionClient, useUser } from '../../../src/react'
import { DEMO_USERS } from '../../../server/demoUsers'

function describeError(error: unknown): string {
  const code = (error as { code?: string } | null)?.code
  if (code === 'forbidden') return 'The server does not let this account act as other users.'
  if (code === 'network_error' || code === 'timeout') return 'The server cannot be reached: try again.'
  return error instanceof Error ? error.message : String(error)
}

/**
 * "Act as…" for support staff (a demo user with canImpersonate, such as
 * support@example.com): start a session as another demo user. The server
 * checks the permission; this card only shows where it would be granted.
 * While acting, <ImpersonationBanner /> (App.tsx) says so and stops it.
 */
export function ActAs() {
  const client = useSessionClient()
  const { user } = useUser()
  const { isImpersonating } = useActor()
  const me = DEMO_USERS.find((demo) => demo.id === user?.id)
  const others = DEMO_USERS.filter((demo) => demo.id !== me?.id)
  const [target, setTarget] = useState(others[0]?.id ?? '')
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const headingId = useId()
  const errorId = useId()
  if (!me?.canImpersonate || isImpersonating) return null
  const chosen = others.find((demo) => demo.id === target) ?? others[0]!

  async function start() {
    setPending(true)
    setError(null)
    try {
      await client.startImpersonation(chosen.id)
    } catch (e) {
      setError(describeError(e))
      setPending(false)
    }
  }

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>Act as…</h2>
      <p className="muted">
        Support staff can see the app as a user sees it: a new session of that user whose <code>actor</code> is you, so the
        banner says so and its tokens carry <code>act</code>. Your own session waits underneath.
      </p>
      <label>
        User
        <select value={chosen.id} onChange={(event) => setTarget(event.target.value)} aria-describedby={error ? errorId : undefined}>
          {others.map((demo) => (
            <option key={demo.id} value={demo.id}>
              {demo.firstName} {demo.lastName} ({demo.email})
            </option>
          ))}
        </select>
      </label>
      <div className="actions">
        <button type="button" aria-disabled={pending || undefined} onClick={() => void (pending ? undefined : start())}>
          {pending ? 'Starting…' : `Act as ${chosen.firstName}`}
        </button>
      </div>
      {error ? (
        <p id={errorId} className="error-text" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  )
}
