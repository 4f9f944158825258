// Keycloak's refresh_expires_in, read against the real oidc-provider's token
// answers: the refresh token's end, exp - now in whole seconds after encoding,
// so a plain refresh answers 1799 for an SSO Session Idle of 1800 now and then;
// near SSO Session Max it is what is left of that maximum, and every answer then
// names the same instant. Only the second is a fixed end (abandonAt).
import '../oidc/realm'
import { describe, expect, it } from 'vitest'
import { createDeadlineTimeline } from '../../src/core/deadline'
import { activeSession, signInThroughProvider } from '../oidc/adapterHarness'
import { useTestProvider } from '../oidc/testProvider'

const t = useTestProvider()

/** What the real provider's token answers carry, plus Keycloak's refresh_expires_in, read at each answer. */
const withRefreshExpiresIn = (seconds: () => number) => async (input: string | URL | Request, init?: RequestInit) => {
  const response = await fetch(input, init)
  if (!String(input instanceof Request ? input.url : input).endsWith('/token') || !response.ok) return response
  const body = { ...(await response.json()), refresh_expires_in: seconds() }
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } })
}
const deadlineOf = (session: { expireAt: number | null; abandonAt: number | null }) =>
  createDeadlineTimeline({ idleTimeout: null, warnBefore: 60_000 }, t.clock.now()).derive(session, t.clock.now()).deadline

describe("given Keycloak's refresh_expires_in", () => {
  it('a one-second rounding dip (1799 for 1800) pins no fixed end: activity keeps moving the deadline', async () => {
    const answers = [1_800, 1_799, 1_800, 1_799, 1_799]
    let answer = 0
    const oidc = t.adapter({ fetch: withRefreshExpiresIn(() => answers[answer++] ?? 1_800) })
    const session = activeSession((await signInThroughProvider(oidc, t.navigation, t.browser)).data)
    for (let touch = 1; touch < answers.length; touch++) {
      await t.advance(60_000)
      const { data: touched } = await oidc.touchSession(session.id)
      expect(touched.abandonAt).toBeNull()
      expect(deadlineOf(touched)).toMatchObject({ reason: 'inactivity', renewable: true })
      expect(touched.expireAt).toBe(t.clock.now() + answers[touch]! * 1_000)
    }
    expect((await oidc.getClient()).data.policy.inactivityTimeoutMs).toBe(1_800_000)
  })

  it('near SSO Session Max (every answer naming the same end, give or take a second) the end is fixed: max-lifetime, activity does not move it', async () => {
    // Scaled to the test provider's lifetimes (its refresh token lasts 2 minutes, its session 15):
    // SSO Session Idle 5 minutes, SSO Session Max 10 minutes after the sign-in.
    const sessionMaxAt = t.clock.now() + 10 * 60_000
    let dip = 0
    // Keycloak's answer: the earlier of idle and what is left of the maximum, now and then a second short.
    const oidc = t.adapter({
      fetch: withRefreshExpiresIn(() => Math.min(300, Math.floor((sessionMaxAt - t.clock.now()) / 1_000)) - (dip++ % 2)),
    })
    const session = activeSession((await signInThroughProvider(oidc, t.navigation, t.browser)).data)
    expect(session.abandonAt).toBeNull()
    for (let touch = 0; touch < 3; touch++) {
      await t.advance(90_000)
      expect((await oidc.touchSession(session.id)).data.abandonAt).toBeNull()
    }
    // 5 minutes 30 s in, 4 minutes 30 s are left of the maximum: less than the idle lifetime.
    await t.advance(60_000)
    const { data: first } = await oidc.touchSession(session.id)
    expect(first.abandonAt).toBeGreaterThanOrEqual(sessionMaxAt - 1_000)
    expect(first.abandonAt).toBeLessThanOrEqual(sessionMaxAt)
    for (let touch = 0; touch < 3; touch++) {
      await t.advance(60_000)
      const { data: touched } = await oidc.touchSession(session.id)
      expect(touched.abandonAt).toBe(first.abandonAt)
      // Not renewable; a dipped answer's refresh token may end the session a second before.
      const deadline = deadlineOf(touched)
      expect(deadline).toMatchObject({ reason: 'max-lifetime', renewable: false })
      expect(deadline!.at).toBeGreaterThanOrEqual(first.abandonAt! - 1_000)
      expect(deadline!.at).toBeLessThanOrEqual(first.abandonAt!)
    }
    expect((await oidc.getClient()).data.policy.inactivityTimeoutMs).toBe(300_000)
  })

  it('an answer back at the full idle lifetime clears a fixed end an earlier answer seemed to set', async () => {
    const answers = [1_800, 45, 1_800]
    let answer = 0
    const oidc = t.adapter({ fetch: withRefreshExpiresIn(() => answers[answer++] ?? 1_800) })
    const session = activeSession((await signInThroughProvider(oidc, t.navigation, t.browser)).data)
    await t.advance(10_000)
    expect((await oidc.touchSession(session.id)).data.abandonAt).toBe(t.clock.now() + 45_000)
    await t.advance(10_000)
    const { data: touched } = await oidc.touchSession(session.id)
    expect(touched.abandonAt).toBeNull()
    expect(deadlineOf(touched)).toEqual({ at: t.clock.now() + 1_800_000, reason: 'inactivity', renewable: true })
  })

  it('a lower value whose end moves with activity (SSO Session Idle lowered at the provider) becomes the idle lifetime, not a fixed end', async () => {
    let refreshExpiresIn = 1_800
    const oidc = t.adapter({ fetch: withRefreshExpiresIn(() => refreshExpiresIn) })
    const session = activeSession((await signInThroughProvider(oidc, t.navigation, t.browser)).data)
    refreshExpiresIn = 900
    await t.advance(60_000)
    // One answer cannot tell a lowered idle lifetime from the maximum 15 minutes away.
    expect((await oidc.touchSession(session.id)).data.abandonAt).toBe(t.clock.now() + 900_000)
    await t.advance(60_000)
    const { data: touched } = await oidc.touchSession(session.id)
    expect(touched.abandonAt).toBeNull()
    expect(deadlineOf(touched)).toEqual({ at: t.clock.now() + 900_000, reason: 'inactivity', renewable: true })
    expect((await oidc.getClient()).data.policy.inactivityTimeoutMs).toBe(900_000)
  })
})
