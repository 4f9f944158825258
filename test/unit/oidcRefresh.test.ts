// The refresh grant's late answers, against the adapter's own units: a
// provider stand-in whose answer comes after the caller's timeout, which the
// real provider cannot be told to do at a chosen moment.
import { expect, it } from 'vitest'
import { SessionKitError } from '../../src/core/errors'
import { createVirtualClock } from '../../src/core/virtualClock'
import { resolveOidcOptions } from '../../src/adapters/oidc/options'
import type { OidcProvider } from '../../src/adapters/oidc/provider'
import { RedirectState } from '../../src/adapters/oidc/redirect'
import { createRefresh } from '../../src/adapters/oidc/refresh'
import { SessionShare, type HeldSession } from '../../src/adapters/oidc/tokens'

const session = (id: string, now: number): HeldSession => ({
  id,
  generation: 1,
  accessToken: `access-${id}`,
  accessExpiresAt: now + 60_000,
  accessTokenServed: false,
  tokenLifetimeMs: 60_000,
  refreshToken: `refresh-${id}`,
  refreshExpiresAt: null,
  fixedEndAt: null,
  sessionMaxEndAt: null,
  refreshUnanswered: false,
  idToken: null,
  claims: { sub: 'ada' },
  inactivityMs: 30 * 60_000,
  providerIdleMs: null,
  authTimeMs: now,
  createdAt: now,
  lastActiveAt: now,
  updatedAt: now,
})

it("a late invalid_grant for the old session leaves the session signed in since (and the browser's ended flag) alone", async () => {
  localStorage.clear()
  const clock = createVirtualClock(1_000_000)
  const share = new SessionShare('late', null, clock, () => {})
  const redirects = new RedirectState('late')
  let answerLate!: (error: unknown) => void
  const provider = {
    // The grant times out for the caller at once; its answer comes later.
    refresh: (_operation: string, _token: string, _invalidGrant: string, watch: { onTimeout: (error: SessionKitError) => void }) =>
      new Promise((_, reject) => {
        answerLate = reject
        watch.onTimeout(new SessionKitError('timeout', 'The provider did not answer.'))
      }),
    revoke: async () => {},
  } as unknown as OidcProvider
  const options = resolveOidcOptions({ issuer: 'https://id.example', clientId: 'web', redirectUri: `${location.origin}/callback`, clock, tabTransport: null })
  const refresh = createRefresh({ share, provider, redirects, options })
  share.set(session('old', clock.now()))
  await expect(refresh('touchSession', 'old', true, 'access-old')).rejects.toMatchObject({ code: 'timeout' })
  // Meanwhile signed out and in again in another tab, whose new session reached this one.
  share.end('old', true)
  redirects.ended = false
  share.set(session('new', clock.now()))
  answerLate(new SessionKitError('session_not_found', 'The refresh token was refused.'))
  // Lets the late answer's handling run (promise callbacks only: no time passes).
  await clock.advanceAsync(0)
  expect(share.current?.id).toBe('new')
  expect(share.hasEnded('new')).toBe(false)
  expect(redirects.ended).toBe(false)
})
