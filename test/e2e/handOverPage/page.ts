// A page with the OIDC adapter alone, no React, for oidcHandOver.spec.ts:
// the test drives the adapter of each tab by hand (window.sessionkitTab), so
// refresh grants can take turns between tabs far more often than an app does.
import { createOidcAdapter } from '../../../src/adapters/oidc'

interface TabUnderTest {
  /** The session this tab holds once it signed in or heard of it from another tab, else null. */
  sessionId: () => Promise<string | null>
  signIn: () => Promise<void>
  /** Renews the session `count` times, one refresh grant each; answers the error codes met. */
  touch: (sessionId: string, count: number) => Promise<string[]>
  /** The same as `touch`, started and left running; `touching()` answers its error codes once it is done. */
  startTouching: (sessionId: string, count: number) => void
  touching: () => Promise<string[]>
  /** The session the adapter holds now (asking the other tabs when it holds none). */
  currentSessionId: () => Promise<string | null>
}

const config = (await (await fetch('/oidc-config.json')).json()) as { issuer: string; clientId: string }
const adapter = createOidcAdapter({
  issuer: config.issuer,
  clientId: config.clientId,
  redirectUri: `${location.origin}/callback`,
  silentSignIn: false,
  inactivityTimeout: 10 * 60_000,
})
const loaded = adapter.getClient()

let running: Promise<string[]> = Promise.resolve([])

const tab: TabUnderTest = {
  sessionId: async () => (await loaded).data.lastActiveSessionId,
  signIn: () => adapter.signInWithRedirect({ returnTo: '/' }),
  async touch(sessionId, count) {
    const errors: string[] = []
    for (let i = 0; i < count; i++) {
      await adapter.touchSession(sessionId).catch((error: { code?: string }) => errors.push(error.code ?? String(error)))
    }
    return errors
  },
  startTouching(sessionId, count) {
    running = tab.touch(sessionId, count)
  },
  touching: () => running,
  currentSessionId: async () => (await adapter.getClient()).data.lastActiveSessionId,
}
Object.assign(globalThis, { sessionkitTab: tab })
