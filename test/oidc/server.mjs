// A real OpenID provider (oidc-provider 9) for tests, demos and Playwright:
// one public client with PKCE and rotating refresh tokens, devInteractions
// sign-in that accepts any login, revocation and RP-initiated logout, plus a
// small /__test/* control API (clock, outage, counters) on the same server.
//
// Run it in a process of its own (provider.mjs spawns it, cli.mjs is one):
// the provider's clock is moved by shifting `Date` in this whole process.
// oidc-provider reads time only through `Date.now()` (tokens, sessions, its
// in-memory store) and its cookie library through `new Date()`; both follow.
import { createServer } from 'node:http'
import { pathToFileURL } from 'node:url'

const SCOPES = ['openid', 'profile', 'email', 'offline_access']

/** @typedef {import('./provider.d.mts').OidcProviderConfig} OidcProviderConfig */
/** @typedef {import('./provider.d.mts').OidcProviderStats} OidcProviderStats */

let clockOffsetMs = 0
let clockShifted = false

/** Replaces `Date` with one whose "now" is the real time plus `clockOffsetMs`. */
function shiftClock() {
  if (clockShifted) return
  clockShifted = true
  const RealDate = Date
  /** @this {unknown} */
  function ShiftedDate(/** @type {unknown[]} */ ...args) {
    const now = RealDate.now() + clockOffsetMs
    // `Date()` called as a function answers a string, as the real one does.
    if (!new.target) return new RealDate(now).toString()
    return Reflect.construct(RealDate, args.length === 0 ? [now] : args, new.target)
  }
  ShiftedDate.prototype = RealDate.prototype
  ShiftedDate.now = () => RealDate.now() + clockOffsetMs
  ShiftedDate.parse = RealDate.parse
  ShiftedDate.UTC = RealDate.UTC
  globalThis.Date = /** @type {DateConstructor} */ (/** @type {unknown} */ (ShiftedDate))
}

/** Claims for whatever login the dev form was given: `ada.lovelace` is Ada Lovelace. */
export function claimsForLogin(/** @type {string} */ login) {
  const [first = login, ...rest] = login.split('@')[0].split(/[.\s_-]+/).filter(Boolean)
  const cap = (/** @type {string} */ word) => word.charAt(0).toUpperCase() + word.slice(1)
  const givenName = cap(first)
  const familyName = rest.length > 0 ? rest.map(cap).join(' ') : 'Tester'
  return {
    sub: login,
    name: `${givenName} ${familyName}`,
    given_name: givenName,
    family_name: familyName,
    email: login.includes('@') ? login : `${login}@example.test`,
    email_verified: true,
  }
}

/**
 * The logout confirmation submits itself: RP-initiated logout needs no click.
 * `logout=yes` ends the whole provider session, as "Yes, sign me out" would.
 */
async function logoutSource(/** @type {any} */ ctx, /** @type {string} */ form) {
  ctx.type = 'html'
  ctx.body = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Signing out</title></head><body>
${form.replace('</form>', '<input type="hidden" name="logout" value="yes"/><noscript><button type="submit">Sign out</button></noscript></form>')}
<script>document.getElementById('op.logoutForm').submit()</script></body></html>`
}

/**
 * Starts the provider on 127.0.0.1 and answers once it listens.
 * @param {OidcProviderConfig} [config]
 */
export async function runOidcServer(config = {}) {
  shiftClock()
  const { default: Provider, errors } = await import('oidc-provider')
  const clientId = config.clientId ?? 'sessionkit-test'
  const redirectUris = config.redirectUris ?? ['http://localhost:3000/callback']
  const postLogoutRedirectUris = config.postLogoutRedirectUris ?? redirectUris.map((uri) => new URL('/', uri).href)
  const allowedOrigins = new Set([...redirectUris, ...postLogoutRedirectUris].map((uri) => new URL(uri).origin))
  const ttl = { accessToken: 60, idToken: 60, refreshToken: 120, session: 15 * 60, ...config.ttlSeconds }

  /** @type {OidcProviderStats} */
  const stats = {
    authorizationCodeGrants: 0,
    refreshGrants: 0,
    reuseDetections: 0,
    grantErrors: 0,
    grantRevocations: 0,
    revocations: 0,
    endSessions: 0,
  }
  let down = /** @type {false | 'reset' | '503'} */ (false)

  const server = createServer()
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.port ?? 0, '127.0.0.1', () => resolve(undefined))
  })
  const address = /** @type {import('node:net').AddressInfo} */ (server.address())
  const issuer = `http://127.0.0.1:${address.port}`

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: redirectUris,
        post_logout_redirect_uris: postLogoutRedirectUris,
      },
    ],
    scopes: SCOPES,
    // Profile and email claims in the ID token too (as Keycloak and Auth0 send them), not only from userinfo.
    conformIdTokenClaims: false,
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name', 'picture'],
      email: ['email', 'email_verified'],
    },
    // Public clients must use PKCE (S256 is the only method oidc-provider 9 offers).
    pkce: { required: () => true },
    // A refresh token for every code, silent sign-in included: by default
    // oidc-provider issues one only for offline_access asked with prompt=consent.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // Every refresh consumes the token; reusing a consumed one revokes the whole grant.
    rotateRefreshToken: true,
    ttl: {
      AccessToken: ttl.accessToken,
      IdToken: ttl.idToken,
      // Constant: the idle backstop. Rotation gives each new token the full time again.
      RefreshToken: ttl.refreshToken,
      AuthorizationCode: 60,
      Interaction: 10 * 60,
      Grant: ttl.session,
      Session: ttl.session,
    },
    cookies: { keys: ['sessionkit-test-provider-only'] },
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource },
    },
    // First-party client: consent is implied, so the dev login is the only click.
    async loadExistingGrant(ctx) {
      const { oidc } = ctx
      const grantId = oidc.result?.consent?.grantId || oidc.session.grantIdFor(oidc.client.clientId)
      const existing = grantId ? await oidc.provider.Grant.find(grantId) : undefined
      if (existing) return existing
      const grant = new oidc.provider.Grant({ clientId: oidc.client.clientId, accountId: oidc.session.accountId })
      grant.addOIDCScope(SCOPES.join(' '))
      await grant.save()
      return grant
    },
    async findAccount(_ctx, sub) {
      return { accountId: sub, claims: async () => claimsForLogin(sub) }
    },
    clientBasedCORS: (_ctx, origin) => allowedOrigins.has(origin),
  })
  provider.proxy = false

  provider.on('grant.success', (ctx) => {
    const grantType = ctx.oidc.params?.grant_type
    if (grantType === 'authorization_code') stats.authorizationCodeGrants++
    else if (grantType === 'refresh_token') stats.refreshGrants++
  })
  provider.on('grant.error', (_ctx, error) => {
    stats.grantErrors++
    if (error instanceof errors.InvalidGrant && error.error_detail === 'refresh token already used') stats.reuseDetections++
  })
  provider.on('grant.revoked', () => stats.grantRevocations++)
  provider.on('end_session.success', () => stats.endSessions++)
  // RFC 7009 revocation has no success event: count its 200 answers.
  provider.use(async (ctx, next) => {
    await next()
    if (ctx.oidc?.route === 'revocation' && ctx.status === 200) stats.revocations++
  })
  const handle = provider.callback()

  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', issuer)
    if (url.pathname.startsWith('/__test/')) return control(url, req, res)
    if (down === 'reset') return req.socket.destroy()
    if (down === '503') {
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' })
      return res.end(JSON.stringify({ error: 'temporarily_unavailable', error_description: 'the test provider is down' }))
    }
    handle(req, res)
  })

  /** The test controls: only on this harness, only on 127.0.0.1. */
  function control(/** @type {URL} */ url, /** @type {import('node:http').IncomingMessage} */ req, /** @type {import('node:http').ServerResponse} */ res) {
    const send = (/** @type {number} */ status, /** @type {unknown} */ body) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      res.end(JSON.stringify(body))
    }
    const route = `${req.method} ${url.pathname}`
    if (route === 'GET /__test/stats') return send(200, stats)
    if (route === 'GET /__test/now') return send(200, { now: Date.now() })
    if (route === 'POST /__test/advance' || route === 'POST /__test/clock') {
      const value = Number(url.searchParams.get(route.endsWith('advance') ? 'ms' : 'at'))
      if (!Number.isFinite(value) || (route.endsWith('advance') && value < 0)) return send(400, { error: 'pass ms=<0 or more> to advance, at=<epoch ms> to set' })
      if (route.endsWith('advance')) clockOffsetMs += value
      else clockOffsetMs = value - (Date.now() - clockOffsetMs)
      return send(200, { now: Date.now() })
    }
    if (route === 'POST /__test/down') {
      const on = url.searchParams.get('on')
      down = on === '0' || on === 'false' ? false : url.searchParams.get('mode') === '503' ? '503' : 'reset'
      return send(200, { down })
    }
    send(404, { error: `no test control ${route}` })
  }

  return {
    issuer,
    clientId,
    port: address.port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve(undefined))
      }),
  }
}

// As a child process: the config comes as JSON in argv[2]; one READY line on stdout says where it listens.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const config = process.argv[2] ? JSON.parse(process.argv[2]) : {}
  const { issuer, clientId, port, close } = await runOidcServer(config)
  process.stdout.write(`OIDC_READY ${JSON.stringify({ issuer, clientId, port })}\n`)
  const stop = () => void close().then(() => process.exit(0))
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  // The parent holds our stdin: when it dies, so do we (never an orphan server).
  process.stdin.on('end', stop)
  process.stdin.resume()
}
