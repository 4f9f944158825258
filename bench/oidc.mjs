// Benchmark part `oidc`: what sessionkit's OpenID Connect adapter costs an app.
// - Bundle size of `sessionkit/adapters/oidc` (esbuild over the built package,
//   and Vite/rolldown over the sources) beside react-oidc-context + oidc-client-ts
//   (bench/oidcSize.mjs);
// - refresh grants at a real oidc-provider per 10 minutes of API use, 1 and 3
//   tabs, the demo app's OIDC build in Chromium (bench/oidcGrants.mjs).
import { buildOidcApp } from '../scripts/demo-oidc.mjs'
import { measureOidcGrants, OIDC_POLICIES } from './oidcGrants.mjs'
import { measureOidcSizes } from './oidcSize.mjs'
import { table } from './stats.mjs'

const bytes = (n) => `${n.toLocaleString('en')} B`
const kb = (n) => `${(n / 1024).toFixed(2)} kB`

function sizeTable({ rows }) {
  const base = rows.find((r) => r.id === 'react-oidc-context')
  const ratio = (r, how) => (base ? `${(r[how].gzip / base[how].gzip).toFixed(2)}×` : '')
  return table(
    ['entry', 'esbuild over dist: minified', 'min+gzip', 'min+brotli', 'Vite over src: min+gzip', 'gzip vs react-oidc-context (esbuild)'],
    rows.map((r) => [
      r.label,
      bytes(r.esbuild.min),
      `**${bytes(r.esbuild.gzip)}** (${kb(r.esbuild.gzip)})`,
      bytes(r.esbuild.brotli),
      bytes(r.rolldown.gzip),
      r === base ? '1 (baseline)' : ratio(r, 'esbuild'),
    ]),
    ['l', 'r', 'r', 'r', 'r', 'r'],
  )
}

function grantsTable(results) {
  return table(
    ['policy', 'tabs', 'refresh grants / 10 min', 'per tab', 'userinfo calls', 'reuse detections', 'grant errors', 'opening (code + refresh grants)', 'all tabs signed in'],
    results.map((r) => [
      OIDC_POLICIES.find((p) => p.id === r.policy)?.label ?? r.policy,
      String(r.tabs),
      `**${r.refreshGrants}**`,
      (r.refreshGrants / r.tabs).toFixed(1),
      String(r.apiCalls),
      String(r.reuseDetections),
      String(r.grantErrors),
      `${r.opening.codeGrants} + ${r.opening.refreshGrants}`,
      r.signedIn ? 'yes' : '**no**',
    ]),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
  )
}

export async function run({ log = () => {} } = {}) {
  const size = await measureOidcSizes({ log })
  await buildOidcApp()
  const grants = await measureOidcGrants({ log })

  const get = (id) => size.rows.find((r) => r.id === id)
  const adapter = get('adapter')
  const typical = get('typical')
  const rival = get('react-oidc-context')
  const share = size.oauth4webapiShare === null ? '' : ` oauth4webapi is ${(size.oauth4webapiShare * 100).toFixed(0)} % of the adapter's code before minifying.`
  const reuse = grants.reduce((n, r) => n + r.reuseDetections, 0)
  const multi = grants.filter((r) => r.tabs > 1)
  const notes = [
    `\`createOidcAdapter\` alone is ${bytes(adapter.esbuild.gzip)} min+gzip as an app's esbuild takes it from the built package (${bytes(adapter.rolldown.gzip)} through Vite from the sources).${share} ` +
      `With sessionkit's React import it is ${bytes(typical.esbuild.gzip)}, ${(typical.esbuild.gzip / rival.esbuild.gzip).toFixed(2)}× react-oidc-context + oidc-client-ts (${bytes(rival.esbuild.gzip)}), ` +
      `which signs in and refreshes but has no inactivity deadline, warning or cross-tab lock.`,
    `Grants: every refresh grant the provider counted (its own events) while every tab got input and called userinfo every 5 s for 10 virtual minutes. ` +
      `A touch is a refresh grant, at most one per touch interval (a tenth of the inactivity timeout) for all tabs together, and so is every minting of a new access token (60 s tokens, renewed about every 45 s). ` +
      `${multi.map((r) => `${r.tabs} tabs (${r.policy}): ${r.refreshGrants}`).join(', ')} against ${grants.filter((r) => r.tabs === 1).map((r) => `${r.refreshGrants} for 1 tab (${r.policy})`).join(', ')}: one tab refreshes for all under the Web Lock. ` +
      `${reuse === 0 ? 'No reuse detection anywhere' : `**${reuse} reuse detections**`}: rotating refresh tokens never raced.`,
    `*Method.* Sizes: the library built by vite.config.ts into a scratch dir (what \`npm run build\` puts in dist/), then esbuild (bundle, minify, ES2022, NODE_ENV=production, react/react-dom/zustand external); the Vite column uses bench/size.mjs's settings on the sources. ` +
      `Grants: a fresh oidc-provider (test/oidc, public client, PKCE, rotating refresh tokens with reuse detection) and app server per run on 127.0.0.1; Playwright's clock paused in the pages and the provider's clock set with it in 1 s steps, each once the pages' requests settled; clicks are real input (CDP). Tab switches (bench/network.mjs) are not simulated.`,
  ].join('\n\n')
  return {
    title: 'OpenID Connect adapter',
    markdownTable: `${sizeTable(size)}\n\n${grantsTable(grants)}`,
    notes,
    goals: [{ goal: 'rotating refresh tokens across tabs: 0 reuse detections', measured: String(reuse), met: reuse === 0 }],
    data: { size, grants },
  }
}
