'use client'
import { useRouter } from 'next/navigation'
import type { ReactNode } from 'react'
import { createHttpAdapter } from 'sessionkit/adapters/http'
import { InactivityWarning, SessionProvider } from 'sessionkit/react'
import type { ClientSnapshot } from 'sessionkit/server'

// This origin: the rewrites in next.config.ts pass /v1/* on to the reference server.
const adapter = createHttpAdapter({ baseUrl: '' })

interface ProvidersProps {
  /** From the layout: the snapshot (it may list accounts while signed out), null when there is none, undefined when the server could not say. */
  initialClient: ClientSnapshot | null | undefined
  children: ReactNode
}

export function Providers({ initialClient, children }: ProvidersProps) {
  const router = useRouter()
  return (
    // undefined = no snapshot: the provider starts loading and asks on mount.
    <SessionProvider
      adapter={adapter}
      warnBefore={60_000}
      {...(initialClient === undefined ? {} : { initialClient })}
      // The server components rendered for the session that ended ("Welcome, Ada Lovelace"):
      // render them again, so the page no longer shows the user who is gone.
      onSignedOut={() => router.refresh()}
    >
      {children}
      {/* Outside the pages: it must outlive the session to say why it ended. */}
      <InactivityWarning onSignInAgain={() => router.push('/sign-in')} />
    </SessionProvider>
  )
}
