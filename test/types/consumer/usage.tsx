// A consumer app's code against the PACKED package: scripts/typesCheck.mjs copies this folder next to the
// tarball's contents and type-checks it with tsconfig.nodenext.json and tsconfig.bundler.json. The
// `@ts-expect-error` lines prove the types are real: if a declaration stopped resolving and became `any`,
// they would be unused and fail the check. (The root `npm run typecheck` also checks this file, against src/.)
import { createSessionClient, isSessionKitError, SessionKitError, type SessionClient } from 'sessionkit'
import { SessionProvider, useAuth, type UseAuthReturn } from 'sessionkit/react'
import { createMemoryAdapter, DEMO_PASSWORD } from 'sessionkit/adapters/memory'
import { createHttpAdapter } from 'sessionkit/adapters/http'
import { createAuthFetch, sessionRetry } from 'sessionkit/react-query'
// The README's first line of setup: a consumer without vite/client or Next's `*.css` types must still type-check it.
import 'sessionkit/styles.css'

const adapter = createMemoryAdapter({ signedInAs: 'ada@example.com' })
export const client: SessionClient = createSessionClient({ adapter, warnBefore: 60_000 })

export const token: Promise<string | null> = client.getToken()
export const signIn: Promise<void> = client.signIn({ identifier: 'ada@example.com', password: DEMO_PASSWORD })
export const http = createHttpAdapter({ baseUrl: 'https://api.example.com/' })
export const authFetch = createAuthFetch(client)
export const retry: boolean = sessionRetry(0, new Error('offline'))

// @ts-expect-error createSessionClient needs an adapter
createSessionClient({})
// @ts-expect-error a token is a string or null, never a number
export const wrongToken: Promise<number> = client.getToken()

export function tryToWriteState() {
  const state = client.getState()
  // @ts-expect-error the state is read-only: it changes through the client's commands, and subscribers hear of it
  state.status = 'signed-out'
  // @ts-expect-error the sessions list is the store's own array: sort a copy
  state.sessions.sort()
}

export function describeError(error: unknown): string {
  if (isSessionKitError(error)) return error.code
  return error instanceof SessionKitError ? 'impossible' : String(error)
}

function Greeting() {
  const auth = useAuth()
  if (!auth.isLoaded) return <p>Loading…</p>
  if (!auth.isSignedIn) return <p>Signed out</p>
  const userId: string = auth.userId
  const same: UseAuthReturn = auth
  // @ts-expect-error signed in: the user id is a string, not null
  const noUser: null = auth.userId
  return (
    <p>
      {userId} {String(noUser)} {same.sessionId}
    </p>
  )
}

export function App() {
  return (
    <>
      <SessionProvider client={client}>
        <Greeting />
      </SessionProvider>
      <SessionProvider adapter={adapter} warnBefore={60_000}>
        <Greeting />
      </SessionProvider>
      {/* @ts-expect-error a provider takes a client or an adapter's options, not both */}
      <SessionProvider client={client} adapter={adapter} />
    </>
  )
}
