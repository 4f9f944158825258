// Builds the reference server and the demo app once per run; every test then
// starts the built server (dist-server/server.mjs) serving the built app.
import { buildDemo } from '../../scripts/start.mjs'

export default async function globalSetup() {
  if (process.env.SESSIONKIT_E2E_SKIP_BUILD === '1') return
  const started = Date.now()
  await buildDemo()
  console.log(`e2e: built the server and the demo app in ${Date.now() - started} ms`)
}
