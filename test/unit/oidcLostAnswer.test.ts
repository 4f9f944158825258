// A refresh whose answer never came back, against the real provider: the
// provider handled the grant (rotating the refresh token), the browser got a
// network error. The retry can only send the spent token, and the provider's
// reuse detection (oidc-provider has no reuse grace) revokes the grant.
import '../oidc/realm'
import { describe, expect, it } from 'vitest'
import { activeSession, currentPath, landOn, signInThroughProvider } from '../oidc/adapterHarness'
import { useTestProvider } from '../oidc/testProvider'

const t = useTestProvider()

/** The real fetch; once armed, the next /token request reaches the provider and its answer is lost ("Failed to fetch"). */
function losingFetch() {
  const state = { loseNext: false }
  const fetchOption = async (input: string | URL | Request, init?: RequestInit) => {
    const response = await fetch(input, init)
    if (state.loseNext && String(input instanceof Request ? input.url : input).endsWith('/token')) {
      state.loseNext = false
      await response.arrayBuffer()
      throw new TypeError('Failed to fetch')
    }
    return response
  }
  return { state, fetch: fetchOption }
}

describe('given a refresh whose answer was lost after the provider rotated the refresh token', () => {
  it('the caller gets network_error; the refused retry says the answer was lost and what to set at the provider, and the provider session brings the user back without a password', async () => {
    const wire = losingFetch()
    const oidc = t.adapter({ fetch: wire.fetch })
    const session = activeSession((await signInThroughProvider(oidc, t.navigation, t.browser)).data)
    wire.state.loseNext = true
    await expect(oidc.touchSession(session.id)).rejects.toMatchObject({ code: 'network_error' })
    // The retry sends the only refresh token this browser has: the provider sees reuse.
    await expect(oidc.touchSession(session.id)).rejects.toMatchObject({
      code: 'session_not_found',
      message: expect.stringMatching(/answer .*was lost.*reuse.*Reuse Interval.*Refresh Token Max Reuse.*grace period/s),
    })
    expect((await t.provider.stats()).reuseDetections).toBeGreaterThan(0)
    expect((await oidc.getClient()).data.sessions).toEqual([])

    // Not a sign-out the user asked for: a reload signs in silently (prompt=none) from the provider's
    // login cookie, which reuse detection left alone, and the page comes back where it was.
    sessionStorage.clear()
    landOn('/reports')
    const reloaded = t.adapter({ silentSignIn: true })
    const loading = reloaded.getClient()
    await expect.poll(() => t.navigation.departures.length).toBe(2)
    const silent = new URL(t.navigation.last().url)
    expect(silent.searchParams.get('prompt')).toBe('none')
    const landing = await t.browser.open(silent.href)
    expect(landing.redirectedTo).toMatch(/^http:\/\/localhost:3000\/callback\?code=/)
    landOn(landing.redirectedTo!)
    const { data } = await t.adapter({ silentSignIn: true }).getClient()
    expect(activeSession(data).userId).toBe('ada.lovelace')
    expect(currentPath()).toBe('/reports')
    t.clock.advance(10_000)
    await loading
  })

  it('a refresh answered after a lost one clears the mark: a later refusal is the plain revocation again', async () => {
    const wire = losingFetch()
    const oidc = t.adapter({ fetch: wire.fetch })
    const session = activeSession((await signInThroughProvider(oidc, t.navigation, t.browser)).data)
    // Lost before reaching the provider (it was down): nothing was spent, the retry works.
    await t.provider.setDown(true)
    await expect(oidc.touchSession(session.id)).rejects.toMatchObject({ code: 'network_error' })
    await t.provider.setDown(false)
    await expect(oidc.touchSession(session.id)).resolves.toMatchObject({ data: { id: session.id } })
    // Idle past the provider's refresh idle (120 s): the refusal is not about a lost answer.
    await t.advance(121_000)
    const refused = oidc.touchSession(session.id)
    await expect(refused).rejects.toMatchObject({ code: 'session_not_found' })
    await expect(refused).rejects.not.toMatchObject({ message: expect.stringMatching(/was lost/) })
  })
})
