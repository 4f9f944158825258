// Where to find Debian's Chromium. Tests never download a browser: they use the
// one named by CHROMIUM_PATH, or the system's /usr/bin/chromium.
import { existsSync } from 'node:fs'

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

/** True when a Chromium binary exists where the tests will look for it. */
export function hasChromium() {
  return existsSync(chromiumPath)
}

/** Launch arguments that work headless, as root, on a machine with no internet. */
export const chromiumArgs = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]
