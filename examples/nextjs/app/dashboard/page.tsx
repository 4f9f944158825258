import { redirect } from 'next/navigation'
import { isSignedIn } from 'sessionkit/server'
import { activeUser, displayName, readSnapshot } from '../../lib/session'
import { DashboardClient } from './DashboardClient'

/**
 * A server component: the user's name is in the HTML of the first response.
 * The middleware already sent signed-out visitors away; checking again here
 * keeps the page safe if its matcher ever stops covering it.
 */
export default async function DashboardPage() {
  const snapshot = await readSnapshot()
  // undefined: the server could not be asked, so the page renders its loading state instead.
  if (snapshot !== undefined && !isSignedIn(snapshot)) redirect('/sign-in?next=/dashboard')
  const user = snapshot ? activeUser(snapshot) : null
  return (
    <main>
      <section className="card">
        <h1>{user ? `Welcome, ${displayName(user)}` : 'Dashboard'}</h1>
        <p className="muted">Rendered on the server from getClientSnapshot.</p>
      </section>
      <DashboardClient />
    </main>
  )
}
