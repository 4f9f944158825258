import { afterEach, describe, expect, it } from 'vitest'
import { ADA, makeServer, type TestServer } from './helpers'

let server: TestServer | undefined
afterEach(() => server?.close())

// Behind SESSIONKIT_TRUST_PROXY=1 the proxy appends what it saw to X-Forwarded-*; anything before its entry
// came from the client and says nothing.
describe('behind a trusted proxy', () => {
  it('takes the scheme from the last X-Forwarded-Proto entry, the one the proxy added', async () => {
    server = makeServer({ SESSIONKIT_TRUST_PROXY: '1' })
    const signIn = (proto: string) =>
      server!.browser().call('POST', '/v1/client/sign_ins', { body: ADA, headers: { 'x-forwarded-proto': proto } })

    // A client claiming https in front of a proxy that saw plain http gets no __Host- Secure cookie.
    const spoofed = await signIn('https, http')
    expect(spoofed.status).toBe(200)
    expect(spoofed.setCookie).toMatch(/^sessionkit_client=/)
    expect(spoofed.setCookie).not.toContain('Secure')

    const tls = await signIn('http, https')
    expect(tls.setCookie).toMatch(/^__Host-sessionkit_client=.+; Secure$/)
  })

  it('ignores X-Forwarded-Proto without SESSIONKIT_TRUST_PROXY', async () => {
    server = makeServer()
    const res = await server.browser().call('POST', '/v1/client/sign_ins', { body: ADA, headers: { 'x-forwarded-proto': 'https' } })
    expect(res.setCookie).toMatch(/^sessionkit_client=/)
  })
})
