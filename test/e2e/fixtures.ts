// Fixtures shared by every e2e flow:
// - `server`: the built reference server, one per test (own data dir, own clock, own stats);
// - `time`: moves virtual time for every page of the context and the server together;
// - after each test, no token may sit in storage, script-readable cookies or the URL,
//   and no page may have thrown an uncaught error.
import { createRequire } from 'node:module'
import { test as base, expect, type BrowserContext, type Page, type Request } from '@playwright/test'
import { DemoServer } from './server'

export { expect }

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js')

/** Every demo user's password (server/demoUsers.ts). */
export const PASSWORD = 'password'

/** In-flight requests of a context, so time only moves once the pages heard back. */
export class NetworkTracker {
  readonly #pending = new Set<Request>()
  #waiters: (() => void)[] = []

  constructor(context: BrowserContext) {
    context.on('request', (request) => this.#pending.add(request))
    const done = (request: Request) => {
      this.#pending.delete(request)
      if (this.#pending.size === 0) for (const wake of this.#waiters.splice(0)) wake()
    }
    context.on('requestfinished', done)
    context.on('requestfailed', done)
  }

  /**
   * Resolves once no request is in flight (or after `guardMs` of real time,
   * for a request that will never settle, e.g. of a page being closed).
   */
  async idle(guardMs = 5_000): Promise<void> {
    if (this.#pending.size === 0) return
    await new Promise<void>((resolve) => {
      const guard = setTimeout(resolve, guardMs)
      this.#waiters.push(() => {
        clearTimeout(guard)
        resolve()
      })
    })
  }
}

/**
 * Virtual time for the pages and the server together. Playwright's clock
 * belongs to the browser context (`page.clock` is `context.clock`): one
 * `runFor` moves the fake clock of every page of the context at once. Time
 * moves in steps (1 s by default): before each step the pages' requests must
 * have settled, then the server's test clock moves, then the pages' clocks run
 * every timer due in the step. Small steps let the tabs exchange messages in
 * between, as they would in real time, so no tab's heartbeat watchdog fires
 * just because another tab's clock has not caught up yet.
 */
export class TestTime {
  constructor(
    private readonly context: BrowserContext,
    /** The server whose test clock moves with the pages' (the reference server, or the OpenID provider). */
    private readonly server: { advanceClock(ms: number): Promise<unknown> },
    private readonly network: NetworkTracker,
    /** How far one step moves time by default (ms). */
    private readonly defaultStep = 1_000,
  ) {}

  /** Time passes with the tabs open: every timer fires in order. */
  async advance(ms: number, { step = this.defaultStep }: { step?: number } = {}): Promise<void> {
    for (let done = 0; done < ms; ) {
      const chunk = Math.min(step, ms - done)
      await this.network.idle()
      await this.server.advanceClock(chunk)
      await this.context.clock.runFor(chunk)
      done += chunk
    }
    await this.network.idle()
  }

  /** Advances step by step until `condition` holds; returns the virtual time it took. */
  async advanceUntil(condition: () => Promise<boolean>, { maxMs, step = this.defaultStep }: { maxMs: number; step?: number }): Promise<number> {
    for (let done = 0; ; done += step) {
      if (await condition()) return done
      if (done >= maxMs) throw new Error(`The condition did not hold within ${maxMs} ms of virtual time.`)
      await this.advance(step, { step })
    }
  }

  /** The laptop lid closes for `ms`: timers due in between fire once, late, on wake-up. */
  async sleep(ms: number): Promise<void> {
    await this.network.idle()
    await this.server.advanceClock(ms)
    await this.context.clock.fastForward(ms)
    await this.network.idle()
  }

  /** Waits (real time, no clock movement) until no request is in flight. */
  settled(): Promise<void> {
    return this.network.idle()
  }
}

interface Fixtures {
  /** Extra environment for this test's server (e.g. a shorter maximum lifetime). */
  serverEnv: Record<string, string>
  server: DemoServer
  time: TestTime
  /** Every session token a page sent in an Authorization header during the test. */
  sentTokens: Set<string>
  network: NetworkTracker
}

export const test = base.extend<Fixtures>({
  serverEnv: [{}, { option: true }],

  server: async ({ serverEnv }, use, testInfo) => {
    const server = new DemoServer(serverEnv)
    await server.start()
    await use(server)
    await server.dispose()
    if (testInfo.status !== testInfo.expectedStatus) {
      await testInfo.attach('server output', { body: server.output.join('\n'), contentType: 'text/plain' })
    }
  },

  baseURL: async ({ server }, use) => {
    await use(server.url)
  },

  sentTokens: async ({}, use) => {
    await use(new Set())
  },

  network: async ({ context }, use) => {
    await use(new NetworkTracker(context))
  },

  context: async ({ context, sentTokens }, use) => {
    // Fake timers in every page of the context, starting at the real time (the server's too).
    await context.clock.install()
    context.on('request', (request) => {
      const auth = request.headers()['authorization']
      if (auth?.startsWith('Bearer ')) sentTokens.add(auth.slice('Bearer '.length))
    })
    const pageErrors: string[] = []
    const watch = (page: Page) => page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`))
    context.pages().forEach(watch)
    context.on('page', watch)

    await use(context)

    // After every flow: tokens live in memory only.
    for (const page of context.pages()) {
      if (page.isClosed() || !page.url().startsWith('http')) continue
      const places = await page.evaluate(() => {
        const dump = (storage: Storage) =>
          Array.from({ length: storage.length }, (_, i) => `${storage.key(i)}=${storage.getItem(storage.key(i)!)}`).join('\n')
        return {
          localStorage: dump(localStorage),
          sessionStorage: dump(sessionStorage),
          'document.cookie': document.cookie,
          URL: location.href,
        }
      })
      for (const [place, text] of Object.entries(places)) {
        expect(text, `${place} must not hold anything shaped like a JWT`).not.toContain('eyJ')
        for (const jwt of sentTokens) expect(text.includes(jwt), `${place} must not hold a session token`).toBe(false)
      }
    }
    expect(pageErrors, 'uncaught errors in the page').toEqual([])
  },

  time: async ({ context, server, network }, use) => {
    await use(new TestTime(context, server, network))
  },
})

// ---- page helpers ---------------------------------------------------------------

/** Signs in through the form and waits until the dashboard shows what /api/me verified. */
export async function signIn(page: Page, email: string, { userId }: { userId?: string } = {}): Promise<void> {
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  if (userId) await expect(page.getByTestId('api-user')).toHaveText(userId)
}

/** The inactivity warning (and signed-out notice) of a page. */
export const warning = (page: Page) => page.getByRole('alertdialog')

/** One of the session panel's fields. */
export const panel = (page: Page, field: 'status' | 'phase' | 'reason' | 'connectivity' | 'leader' | 'last-error' | 'sign-out-reason') =>
  page.getByTestId(field)

interface WireSession {
  id: string
  status: string
  expireAt: number | null
  abandonAt: number | null
}

/** The server's view of this browser's client, read with the page's own cookie. */
export async function readClient(page: Page): Promise<{ sessions: WireSession[]; lastActiveSessionId: string | null }> {
  return page.evaluate(async () => {
    const response = await fetch('/v1/client', { headers: { accept: 'application/json' } })
    return (await response.json()).data
  })
}

/** The server's view of one session. */
export async function serverSession(page: Page, sessionId: string): Promise<WireSession> {
  const client = await readClient(page)
  const session = client.sessions.find((s) => s.id === sessionId)
  if (!session) throw new Error(`The server lists no session ${sessionId}.`)
  return session
}

/** What the server answers when this browser touches the session: `{ status, code }`. */
export async function touchOnServer(page: Page, sessionId: string): Promise<{ status: number; code: string | null }> {
  return page.evaluate(async (id) => {
    const response = await fetch(`/v1/client/sessions/${encodeURIComponent(id)}/touch`, {
      method: 'POST',
      headers: { 'x-sessionkit-client': '1', accept: 'application/json' },
    })
    const body = await response.json()
    return { status: response.status, code: body.errors?.[0]?.code ?? null }
  }, sessionId)
}

/**
 * axe-core's WCAG 2 A/AA rules on the page once its animations have ended (a dialog
 * fading in has, for a moment, too little contrast); returns one line per violation.
 * CSS animations run on real time, not on the test clock.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath })
  return page.evaluate(async () => {
    const finite = document.getAnimations().filter((a) => a.effect?.getComputedTiming().iterations !== Infinity)
    await Promise.all(finite.map((a) => a.finished.catch(() => undefined)))
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)
  })
}
