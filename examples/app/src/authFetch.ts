/**
 * Calls the app's own API with the session token. A small stand-in until
 * `sessionkit/react-query` exists: ask `getToken()` right before each call
 * (it serves the cached token while it is fresh), never store the token.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export async function authFetch<T>(
  getToken: () => Promise<string | null>,
  path: string,
  init: RequestInit = {},
): Promise<T> {
  const token = await getToken()
  if (!token) throw new ApiError(401, 'signed_out', 'You are signed out: there is no token to send.')
  const headers = new Headers(init.headers)
  headers.set('Authorization', `Bearer ${token}`)
  headers.set('Accept', 'application/json')
  const response = await fetch(path, { ...init, headers })
  const body = (await response.json().catch(() => null)) as
    | { data?: T; errors?: { code?: string; message?: string }[] }
    | null
  if (!response.ok) {
    const first = body?.errors?.[0]
    throw new ApiError(response.status, first?.code ?? null, first?.message ?? `${path} answered ${response.status}.`)
  }
  if (!body || !('data' in body)) throw new ApiError(response.status, null, `${path} answered something that is not JSON data.`)
  return body.data as T
}
