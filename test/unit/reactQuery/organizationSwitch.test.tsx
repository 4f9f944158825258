import { keepPreviousData as previousData, useQuery } from '@tanstack/react-query'
import { act, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { decodeJwt } from '../../../src/core/jwt'
import { useAuth } from '../../../src/react'
import {
  createAuthFetch,
  SessionQueryBoundary,
  sessionIdInKey,
  sessionKey,
  useAuthFetch,
  useSessionKey,
  type FetchLike,
} from '../../../src/react-query'
import { createQueryWorld, invoicesOf, renderWithQueries, type QueryWorld } from './harness'

const ACME_INVOICES = invoicesOf('org_acme').join(', ')
const GLOBEX_INVOICES = invoicesOf('org_globex').join(', ')
const ADA_PERSONAL_INVOICES = invoicesOf('user_ada').join(', ')

interface InvoicesAnswer {
  organizationId: string | null
  invoices: string[]
}

/** One render of `OrgInvoices`: the organization the page says is active, and whose invoices it shows. */
interface InvoicesRender {
  active: string | null
  shownOf: string | null
}

/** The organization's invoices (`GET /api/org-invoices`), keyed with `useSessionKey()`; logs every render. */
function OrgInvoices({ fetch, log, keepPreviousData = false }: { fetch: FetchLike; log?: InvoicesRender[]; keepPreviousData?: boolean }) {
  const { isSignedIn, orgId } = useAuth()
  const authFetch = useAuthFetch({ fetch })
  const invoices = useQuery({
    queryKey: ['org-invoices', ...useSessionKey()],
    queryFn: ({ signal }) => authFetch.json<InvoicesAnswer>('/api/org-invoices', { signal }),
    enabled: isSignedIn === true,
    placeholderData: keepPreviousData ? previousData : undefined,
  })
  const active = orgId === null ? 'personal' : (orgId ?? null)
  log?.push({ active, shownOf: invoices.data ? (invoices.data.organizationId ?? 'personal') : null })
  return (
    <p data-testid="invoices">
      active {active ?? 'nobody'}: {invoices.data?.invoices.join(', ') ?? 'nothing yet'}
    </p>
  )
}

/** Lets every fetch, token request and batched notification that is due land. */
async function settle(world: QueryWorld) {
  for (let i = 0; i < 5; i++) await world.advance(0)
}

/** Every text the element showed, from now on, including states React committed and replaced in one go. */
function recordTexts(element: HTMLElement): string[] {
  const texts = [element.textContent ?? '']
  new MutationObserver(() => texts.push(element.textContent ?? '')).observe(element, {
    subtree: true,
    childList: true,
    characterData: true,
  })
  return texts
}

function activeSessionId(world: QueryWorld): string {
  const session = world.client.getState().session
  if (!session) throw new Error('nobody is signed in')
  return session.id
}

/** The organization the token of the fake API's nth request was minted for (null for none). */
function organizationOfRequest(world: QueryWorld, n: number): string | null {
  const jwt = world.api.received[n]?.authorization?.replace(/^Bearer /, '') ?? ''
  return decodeJwt(jwt).org_id ?? null
}

async function renderInvoices(world: QueryWorld, log: InvoicesRender[], keepPreviousData = false) {
  await renderWithQueries(
    world,
    <SessionQueryBoundary>
      <OrgInvoices fetch={world.api.fetch} log={log} keepPreviousData={keepPreviousData} />
    </SessionQueryBoundary>,
  )
  await settle(world)
}

describe('given an organization switch in the same session', () => {
  it.each([
    ['', false],
    [', even with keepPreviousData', true],
  ])('shows the new organization’s data and never the old one’s, not even for one render%s', async (_, keepPreviousData) => {
    const world = createQueryWorld()
    const log: InvoicesRender[] = []
    await renderInvoices(world, log, keepPreviousData)
    expect(screen.getByTestId('invoices')).toHaveTextContent(`active org_acme: ${ACME_INVOICES}`)
    const texts = recordTexts(screen.getByTestId('invoices'))
    const switchedAt = log.length

    await act(() => world.client.setActive(activeSessionId(world), { organizationId: 'org_globex' }))
    await settle(world)

    expect(screen.getByTestId('invoices')).toHaveTextContent(`active org_globex: ${GLOBEX_INVOICES}`)
    const after = log.slice(switchedAt)
    expect(after.length).toBeGreaterThan(0)
    for (const render of after) {
      expect(render.active).toBe('org_globex')
      expect(render.shownOf === null || render.shownOf === 'org_globex').toBe(true)
    }
    expect(texts.slice(1).length).toBeGreaterThan(0)
    expect(texts.slice(1).filter((text) => text.includes('org_acme'))).toEqual([])
  })

  it('cancels a request of the previous organization that was still on its way, and never shows its answer', async () => {
    const world = createQueryWorld()
    world.api.latencyMs = 100
    const log: InvoicesRender[] = []
    await renderInvoices(world, log)
    expect(world.api.received).toHaveLength(1)
    expect(organizationOfRequest(world, 0)).toBe('org_acme')
    const acmeRequest = world.api.fetch.mock.calls[0]?.[1]
    expect(acmeRequest?.signal?.aborted).toBe(false)

    await act(() => world.client.setActive(activeSessionId(world), { organizationId: 'org_globex' }))
    expect(acmeRequest?.signal?.aborted).toBe(true)
    await world.advance(200)
    await settle(world)

    expect(screen.getByTestId('invoices')).toHaveTextContent(`active org_globex: ${GLOBEX_INVOICES}`)
    expect(log.some((render) => render.shownOf === 'org_acme')).toBe(false)
    expect(world.api.received.map((_, n) => organizationOfRequest(world, n))).toEqual(['org_acme', 'org_globex'])
    const cached = world.queryClient.getQueryCache().getAll().map((query) => query.state.data as InvoicesAnswer | undefined)
    expect(cached.map((data) => data?.organizationId)).toEqual(['org_globex'])
  })

  it('switching to the personal account and back shows each one’s data, fetched again each time', async () => {
    const world = createQueryWorld()
    const log: InvoicesRender[] = []
    await renderInvoices(world, log)
    const sessionId = activeSessionId(world)

    const toPersonal = log.length
    await act(() => world.client.setActive(sessionId, { organizationId: null }))
    await settle(world)
    expect(screen.getByTestId('invoices')).toHaveTextContent(`active personal: ${ADA_PERSONAL_INVOICES}`)
    expect(log.slice(toPersonal).every((render) => render.shownOf !== 'org_acme')).toBe(true)

    const backToAcme = log.length
    await act(() => world.client.setActive(sessionId, { organizationId: 'org_acme' }))
    await settle(world)
    expect(screen.getByTestId('invoices')).toHaveTextContent(`active org_acme: ${ACME_INVOICES}`)
    expect(log.slice(backToAcme).every((render) => render.shownOf !== 'personal')).toBe(true)
    expect(world.api.received.map((_, n) => organizationOfRequest(world, n))).toEqual(['org_acme', null, 'org_acme'])
  })

  it('choosing the organization already active drops nothing and fetches nothing', async () => {
    const world = createQueryWorld()
    await renderInvoices(world, [])
    await act(() => world.client.setActive(activeSessionId(world), { organizationId: 'org_acme' }))
    await settle(world)
    expect(screen.getByTestId('invoices')).toHaveTextContent(`active org_acme: ${ACME_INVOICES}`)
    expect(world.api.received).toHaveLength(1)
  })

  it('drops untagged queries and the previous organization’s, keeps other organizations’, other sessions’ and `keep`’s', async () => {
    const world = createQueryWorld({ adapter: { signedInAs: ['grace@example.com', 'ada@example.com'] } })
    await renderWithQueries(world, <SessionQueryBoundary keep={(query) => query.queryKey[0] === 'public'} />)
    const adaId = activeSessionId(world)
    const graceId = world.client.getState().sessions.find((session) => session.id !== adaId)!.id
    const authFetch = createAuthFetch(world.client, { fetch: world.api.fetch })
    const acme = ['org-invoices', ...sessionKey(world.client.getState())]
    // An organization switcher's preview of another organization: pinned to it.
    const globexPreview = ['org-invoices', ...sessionKey(adaId, { organizationId: 'org_globex' })]
    const grace = ['org-invoices', ...sessionKey(graceId)]
    await act(async () => {
      await world.queryClient.prefetchQuery({ queryKey: acme, queryFn: () => authFetch.json('/api/org-invoices') })
      await world.queryClient.prefetchQuery({
        queryKey: globexPreview,
        queryFn: () => authFetch.json('/api/org-invoices', { organizationId: 'org_globex' }),
      })
      await world.queryClient.prefetchQuery({ queryKey: grace, queryFn: () => authFetch.json('/api/org-invoices', { sessionId: graceId }) })
      await world.queryClient.prefetchQuery({ queryKey: ['untagged-invoices'], queryFn: () => authFetch.json('/api/org-invoices') })
      await world.queryClient.prefetchQuery({ queryKey: ['public', 'flags'], queryFn: () => ({ beta: true }) })
    })
    expect(world.queryClient.getQueryData(acme)).toMatchObject({ organizationId: 'org_acme' })

    await act(() => world.client.setActive(adaId, { organizationId: 'org_globex' }))

    expect(world.queryClient.getQueryData(acme)).toBeUndefined()
    expect(world.queryClient.getQueryData(['untagged-invoices'])).toBeUndefined()
    expect(world.queryClient.getQueryData(globexPreview)).toMatchObject({ organizationId: 'org_globex' })
    expect(world.queryClient.getQueryData(grace)).toMatchObject({ invoices: invoicesOf('org_acme') })
    expect(world.queryClient.getQueryData(['public', 'flags'])).toEqual({ beta: true })
    expect(world.queryClient.getQueryData(['org-invoices', ...sessionKey(world.client.getState())])).toMatchObject({
      organizationId: 'org_globex',
    })
  })
})

describe('sessionKey with organizations', () => {
  it('tags a key with the session’s active organization, null for the personal account', async () => {
    const world = createQueryWorld({ adapter: { signedInAs: ['ada@example.com', 'alan@example.com'] } })
    await renderWithQueries(world, null)
    const state = world.client.getState()
    const alan = state.sessions.find((session) => session.user.identifier === 'alan@example.com')!
    expect(sessionKey(state)).toEqual([{ sessionkitSessionId: state.session!.id, sessionkitOrganizationId: state.session!.lastActiveOrganizationId }])
    expect(sessionKey({ session: alan })).toEqual([{ sessionkitSessionId: alan.id, sessionkitOrganizationId: null }])
    expect(sessionKey('sess_1', { organizationId: 'org_acme' })).toEqual([{ sessionkitSessionId: 'sess_1', sessionkitOrganizationId: 'org_acme' }])
    expect(sessionKey('sess_1', { organizationId: null })).toEqual([{ sessionkitSessionId: 'sess_1', sessionkitOrganizationId: null }])
    // The same session in two organizations: two keys, so one organization's data is never served for the other.
    expect(sessionKey('sess_1', { organizationId: 'org_acme' })).not.toEqual(sessionKey('sess_1', { organizationId: null }))
    expect(sessionIdInKey(['invoices', ...sessionKey('sess_1', { organizationId: 'org_acme' })])).toBe('sess_1')
  })
})
