import { keepPreviousData as previousData, useQuery } from '@tanstack/react-query'
import { useAuth, useUser } from '../../../src/react'
import { useAuthFetch, useSessionKey, type FetchLike } from '../../../src/react-query'

/** One render of `Profile`: whose session is active, and whose data the query shows. */
export interface ProfileRender {
  active: string | null
  shown: string | null
}

/** Shows the active user and `GET /api/me` fetched for them, keyed with the session; logs every render. */
export function Profile({
  fetch,
  log,
  id = 'profile',
  keepPreviousData = false,
}: {
  fetch: FetchLike
  log?: ProfileRender[]
  id?: string
  /** Show the previous key's data while the new key loads (TanStack's `keepPreviousData`). */
  keepPreviousData?: boolean
}) {
  const { user } = useUser()
  const { isSignedIn } = useAuth()
  const sessionKey = useSessionKey()
  const authFetch = useAuthFetch({ fetch })
  const me = useQuery({
    queryKey: ['me', ...sessionKey],
    queryFn: ({ signal }) => authFetch.json<{ name: string }>('/api/me', { signal }),
    enabled: isSignedIn === true,
    placeholderData: keepPreviousData ? previousData : undefined,
  })
  const active = user ? `${user.firstName} ${user.lastName}` : null
  const shown = me.data?.name ?? null
  log?.push({ active, shown })
  return (
    <p data-testid={id}>
      {active ?? 'Nobody'} sees {shown ?? (me.isError ? `an error: ${me.error.message}` : 'nothing yet')}
    </p>
  )
}

/** The same, with a query key that says nothing about the session (not recommended). */
export function UntaggedProfile({ fetch }: { fetch: FetchLike }) {
  const authFetch = useAuthFetch({ fetch })
  const me = useQuery({
    queryKey: ['untagged-me'],
    queryFn: ({ signal }) => authFetch.json<{ name: string }>('/api/me', { signal }),
  })
  return <p data-testid="untagged">{me.data?.name ?? 'nothing yet'}</p>
}
