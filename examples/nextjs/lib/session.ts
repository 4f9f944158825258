// The signed-in state for a server render, read once per request.
import { headers } from 'next/headers'
import { cache } from 'react'
import { getClientSnapshot, type ClientSnapshot } from 'sessionkit/server'
import { API_ORIGIN } from './config'

/** The user of the snapshot's active session. */
export type SnapshotUser = ClientSnapshot['client']['sessions'][number]['user']

/**
 * GET /v1/client with this request's cookie: the snapshot (signed in, or
 * signed out with other accounts still listed: ask `isSignedIn`), null
 * (signed out) or undefined when the server could not be asked. An outage
 * is not a sign-out: the page then renders its loading state and the
 * browser asks. `cache` shares one answer between the layout and the page.
 */
export const readSnapshot = cache(async (): Promise<ClientSnapshot | null | undefined> => {
  // Outside the try: reading headers is what tells Next that the page renders per request.
  const request = { headers: await headers() }
  try {
    return await getClientSnapshot(request, { baseUrl: API_ORIGIN, timeoutMs: 3_000 })
  } catch (error) {
    console.warn(`sessionkit: no snapshot for this render (${error instanceof Error ? error.message : String(error)})`)
    return undefined
  }
})

/** The active session's user, or null. */
export function activeUser(snapshot: ClientSnapshot): SnapshotUser | null {
  const { sessions, lastActiveSessionId } = snapshot.client
  return sessions.find((session) => session.id === lastActiveSessionId)?.user ?? null
}

/** "Ada Lovelace", or the email when the user has no name. */
export function displayName(user: { firstName: string | null; lastName: string | null; identifier: string }): string {
  return [user.firstName, user.lastName].filter(Boolean).join(' ') || user.identifier
}
