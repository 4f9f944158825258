import { SessionProvider, InactivityWarning, useAuth } from 'sessionkit/react'
import { createMemoryAdapter } from 'sessionkit/adapters/memory'
import 'sessionkit/styles.css'

const adapter = createMemoryAdapter({ signedInAs: 'ada@example.com' })

export function App() {
  return (
    <SessionProvider adapter={adapter} warnBefore={60_000}>
      <InactivityWarning />
      <Dashboard />
    </SessionProvider>
  )
}

function Dashboard() {
  const { isLoaded, isSignedIn, userId } = useAuth()
  if (!isLoaded) return null
  return <p>{isSignedIn ? `Signed in as ${userId}` : 'Signed out'}</p>
}
