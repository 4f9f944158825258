import { QueryClient, QueryClientProvider, notifyManager, timeoutManager, type TimeoutProvider } from '@tanstack/react-query'
import { render, type RenderResult } from '@testing-library/react'
import { StrictMode, type ReactNode } from 'react'
import { afterEach, vi } from 'vitest'
import { decodeJwt } from '../../../src/core/jwt'
import type { VirtualClock } from '../../../src/core/virtualClock'
import { SessionProvider } from '../../../src/react'
import { createWorld, type World } from '../react/harness'

export { SECOND, MINUTE, userInput } from '../react/harness'

// TanStack Query's timers (retry delays, garbage collection) and its batched
// notifications run on the test's virtual clock: no test waits on real time.
let currentClock: VirtualClock | null = null
const intervals = new Map<number, unknown>()
let nextIntervalId = 1_000_000
const onClock = (): VirtualClock => {
  if (!currentClock) throw new Error('No virtual clock: create a QueryWorld first.')
  return currentClock
}
const virtualTimeouts: TimeoutProvider<number> = {
  setTimeout: (callback, delay) => onClock().setTimeout(callback, delay) as number,
  clearTimeout: (id) => {
    if (id !== undefined) currentClock?.clearTimeout(id)
  },
  setInterval(callback, delay) {
    const id = nextIntervalId++
    const arm = () => {
      intervals.set(id, onClock().setTimeout(() => {
        arm()
        callback()
      }, delay))
    }
    arm()
    return id
  },
  clearInterval(id) {
    if (id === undefined) return
    currentClock?.clearTimeout(intervals.get(id))
    intervals.delete(id)
  },
}
timeoutManager.setTimeoutProvider(virtualTimeouts)
notifyManager.setScheduler((callback) => {
  if (currentClock) currentClock.setTimeout(callback, 0)
  else queueMicrotask(callback)
})

const queryClients: QueryClient[] = []
afterEach(() => {
  for (const queryClient of queryClients.splice(0)) queryClient.clear()
})

/** The demo users' display names, as the fake API answers them. */
export const NAMES: Record<string, string> = {
  user_ada: 'Ada Lovelace',
  user_grace: 'Grace Hopper',
  user_alan: 'Alan Turing',
}

/** One request the fake API received. */
export interface ReceivedRequest {
  url: string
  method: string
  authorization: string | null
  body: string
}

/**
 * The app's own API, as a `fetch` test double: `GET /api/me` answers the
 * name of the token's user, `GET /api/org-invoices` the invoices of the
 * token's organization (or of the user, for none), after checking the token
 * is a live one of the memory adapter. `refuse(n)` makes the next n requests answer 401 whatever
 * the token; `latencyMs` delays answers on the virtual clock.
 */
export interface FakeApi {
  fetch: ReturnType<typeof vi.fn<(input: RequestInfo | URL, init?: RequestInit) => Promise<Response>>>
  received: ReceivedRequest[]
  refuse(times: number): void
  latencyMs: number
  /** Runs before each answer (e.g. to revoke the session on the server meanwhile). */
  onRequest: ((request: ReceivedRequest) => void) | null
  /** Answer requests for `path` with this status (and JSON body) instead, `times` times (default: until told otherwise). */
  respond(path: string, status: number, body?: unknown, headers?: Record<string, string>, times?: number): void
}

export function createFakeApi(world: World): FakeApi {
  let refusals = 0
  const overrides = new Map<string, { status: number; body: unknown; headers: Record<string, string>; times: number }>()
  const api: FakeApi = {
    received: [],
    latencyMs: 0,
    onRequest: null,
    refuse(times) {
      refusals = times
    },
    respond(path, status, body = null, headers = {}, times = Infinity) {
      overrides.set(path, { status, body, headers, times })
    },
    fetch: vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input instanceof Request ? input : new URL(String(input), 'https://app.test'), init)
      const received: ReceivedRequest = {
        url: String(input instanceof Request ? input.url : input),
        method: request.method,
        authorization: request.headers.get('Authorization'),
        body: await request.text(),
      }
      api.received.push(received)
      if (api.latencyMs > 0) await new Promise<void>((resolve) => world.clock.setTimeout(resolve, api.latencyMs))
      api.onRequest?.(received)
      const path = new URL(request.url).pathname
      const override = overrides.get(path)
      if (override) {
        if (--override.times <= 0) overrides.delete(path)
        return json(override.status, override.body, override.headers)
      }
      if (refusals > 0) {
        refusals--
        return json(401, { errors: [{ code: 'unauthenticated', message: 'Token refused.' }] })
      }
      const verified = verify(world, received.authorization)
      if (!verified) return json(401, { errors: [{ code: 'unauthenticated', message: 'No valid token.' }] })
      const { userId, organizationId } = verified
      if (path === '/api/org-invoices') return json(200, { organizationId, invoices: invoicesOf(organizationId ?? userId) })
      return json(200, { userId, name: NAMES[userId] ?? userId })
    }),
  }
  return api
}

/** What `GET /api/org-invoices` answers for an organization, or for a user's personal account. */
export function invoicesOf(owner: string): string[] {
  return [`${owner}: invoice 1`, `${owner}: invoice 2`]
}

/** The token's user and organization (its `org_id`, null for none) when it is a live token of a live session; else null. */
function verify(world: World, authorization: string | null): { userId: string; organizationId: string | null } | null {
  const jwt = authorization?.match(/^Bearer (.+)$/)?.[1]
  if (!jwt) return null
  const claims = decodeJwt(jwt)
  if (claims.exp * 1000 <= world.adapter.serverNow()) return null
  const session = world.adapter.peek(String(claims.sid))
  if (session?.status !== 'active') return null
  return { userId: String(claims.sub), organizationId: typeof claims.org_id === 'string' ? claims.org_id : null }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === null ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  })
}

export interface QueryWorld extends World {
  queryClient: QueryClient
  api: FakeApi
}

/** A session world (memory adapter, virtual clock) plus a QueryClient and a fake API. */
export function createQueryWorld(options: Parameters<typeof createWorld>[0] = {}): QueryWorld {
  const world = createWorld(options)
  currentClock = world.clock
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  queryClients.push(queryClient)
  return { ...world, queryClient, api: createFakeApi(world) }
}

/** Renders `ui` inside QueryClientProvider and SessionProvider (StrictMode unless told not to), then lets the first load land. */
export async function renderWithQueries(
  world: QueryWorld,
  ui: ReactNode,
  { strict = true }: { strict?: boolean } = {},
): Promise<RenderResult> {
  const wrap = (children: ReactNode) => {
    const tree = (
      <QueryClientProvider client={world.queryClient}>
        <SessionProvider client={world.client}>{children}</SessionProvider>
      </QueryClientProvider>
    )
    return strict ? <StrictMode>{tree}</StrictMode> : tree
  }
  const result = render(wrap(ui))
  await world.advance(0)
  return { ...result, rerender: (next: ReactNode) => result.rerender(wrap(next)) }
}
