// The app's own API for TanStack Query stories, as a `fetch` in the page:
// `GET /api/me` answers the token's user after checking, on the story's
// memory backend, that the token is live and its session still active.
// It logs what it saw (status, which token by number), never a token.
import type { MemoryAdapter } from '../../src/adapters/memory'
import { decodeJwt } from '../../src/core/jwt'

/** One request the story API answered. */
export interface ApiRequest {
  /** 1, 2, 3… */
  n: number
  path: string
  status: number
  /** Which token it carried, numbered in the order the API first saw them; null = none. */
  token: number | null
}

export interface StoryApi {
  fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>
  /** The next `times` requests answer 401 whatever their token (a key rotation, a cache gone stale). */
  refuseNext(times?: number): void
  readonly requests: readonly ApiRequest[]
  subscribe(listener: () => void): () => void
}

const NAMES: Record<string, string> = {
  user_ada: 'Ada Lovelace',
  user_grace: 'Grace Hopper',
  user_alan: 'Alan Turing',
}

export function createStoryApi(adapter: MemoryAdapter): StoryApi {
  const tokens = new Map<string, number>()
  const listeners = new Set<() => void>()
  let requests: ApiRequest[] = []
  let refusals = 0

  const answer = (path: string, token: string | null, status: number, body: unknown) => {
    const numbered = token === null ? null : (tokens.get(token) ?? tokens.set(token, tokens.size + 1).get(token)!)
    requests = [...requests, { n: requests.length + 1, path, status, token: numbered }]
    for (const listener of [...listeners]) listener()
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
  }

  return {
    get requests() {
      return requests
    },
    refuseNext(times = 1) {
      refusals = times
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async fetch(input, init) {
      const url = new URL(String(input instanceof Request ? input.url : input), 'https://app.example')
      const header = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)).get('Authorization')
      const token = header?.match(/^Bearer (.+)$/)?.[1] ?? null
      const refused = { errors: [{ code: 'unauthenticated', message: 'The token was refused.' }] }
      if (refusals > 0) {
        refusals--
        return answer(url.pathname, token, 401, refused)
      }
      const claims = token ? decodeJwt(token) : null
      const live =
        claims !== null && claims.exp * 1000 > adapter.serverNow() && adapter.peek(String(claims.sid))?.status === 'active'
      if (!claims || !live) return answer(url.pathname, token, 401, refused)
      const userId = String(claims.sub)
      return answer(url.pathname, token, 200, { userId, name: NAMES[userId] ?? userId })
    },
  }
}
