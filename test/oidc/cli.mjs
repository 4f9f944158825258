#!/usr/bin/env node
// Runs the test OpenID provider until Ctrl-C, for the demo and Playwright:
//
//   node test/oidc/cli.mjs --port 4010 --redirect-uri http://127.0.0.1:5173/callback
//
// Prints `OIDC_READY {"issuer":...}` on one line once it listens (a script can
// wait for it), then the issuer and the test controls for a human.
// Options: --port N (default 0 = free), --client-id ID (default sessionkit-test),
// --redirect-uri URL and --post-logout-redirect-uri URL (repeatable),
// --access-ttl S, --refresh-ttl S, --session-ttl S (seconds).
import { runOidcServer } from './server.mjs'

/** @param {string[]} argv */
function parse(argv) {
  /** @type {import('./provider.d.mts').OidcProviderConfig & { redirectUris: string[], postLogoutRedirectUris: string[], ttlSeconds: Record<string, number> }} */
  const config = { redirectUris: [], postLogoutRedirectUris: [], ttlSeconds: {} }
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]
    const value = argv[++i]
    if (value === undefined) throw new Error(`${flag} needs a value`)
    const seconds = () => {
      const n = Number(value)
      if (!(n > 0)) throw new Error(`${flag} needs a positive number of seconds, got ${value}`)
      return n
    }
    if (flag === '--port') config.port = Number(value)
    else if (flag === '--client-id') config.clientId = value
    else if (flag === '--redirect-uri') config.redirectUris.push(new URL(value).href)
    else if (flag === '--post-logout-redirect-uri') config.postLogoutRedirectUris.push(new URL(value).href)
    else if (flag === '--access-ttl') config.ttlSeconds.accessToken = config.ttlSeconds.idToken = seconds()
    else if (flag === '--refresh-ttl') config.ttlSeconds.refreshToken = seconds()
    else if (flag === '--session-ttl') config.ttlSeconds.session = seconds()
    else throw new Error(`unknown option ${flag}; see the comment at the top of test/oidc/cli.mjs`)
  }
  return {
    ...config,
    redirectUris: config.redirectUris.length > 0 ? config.redirectUris : undefined,
    postLogoutRedirectUris: config.postLogoutRedirectUris.length > 0 ? config.postLogoutRedirectUris : undefined,
  }
}

let config
try {
  config = parse(process.argv.slice(2))
} catch (error) {
  process.stderr.write(`test OIDC provider: ${/** @type {Error} */ (error).message}\n`)
  process.exit(2)
}
const { issuer, clientId, port, close } = await runOidcServer(config)
process.stdout.write(`OIDC_READY ${JSON.stringify({ issuer, clientId, port })}\n`)
process.stdout.write(
  `Test OpenID provider at ${issuer} (client "${clientId}"; any login signs in).\n` +
    `Controls: GET ${issuer}/__test/stats, POST ${issuer}/__test/advance?ms=N, POST ${issuer}/__test/clock?at=MS, POST ${issuer}/__test/down?on=1|0[&mode=503]\n`,
)
const stop = () => void close().then(() => process.exit(0))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
