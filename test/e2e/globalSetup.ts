// Builds the reference server and the demo app once per run; every test then
// starts the built server (dist-server/server.mjs) serving the built app.
// The OIDC flows (oidc*.spec.ts) serve the app's OIDC build (examples/app/dist-oidc).
import { buildOidcApp } from '../../scripts/demo-oidc.mjs'
import { buildDemo } from '../../scripts/start.mjs'

export default async function globalSetup() {
  if (process.env.SESSIONKIT_E2E_SKIP_BUILD === '1') return
  const started = Date.now()
  await buildDemo()
  const oidcStarted = Date.now()
  await buildOidcApp()
  console.log(`e2e: built the server and the demo app in ${oidcStarted - started} ms, its OIDC build in ${Date.now() - oidcStarted} ms`)
}
