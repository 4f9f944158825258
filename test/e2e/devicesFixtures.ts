// Several devices against one reference server: each device is a browser
// context of its own (own cookies, own Playwright clock, own User-Agent), like
// two computers of one user. `deviceTime` moves the server's test clock and
// every device's clock together, in steps, the way `TestTime` does for the
// tabs of one context (fixtures.ts). After each test, as for every flow: no
// token in storage, script-readable cookies or the URL, and no uncaught error.
import type { BrowserContext, Page } from '@playwright/test'
import { expect, NetworkTracker, test as base } from './fixtures'
import type { DemoServer } from './server'

/** User-Agents the server labels with bowser: "Firefox 150 on Windows", "Safari 19 on iOS". */
export const USER_AGENTS = {
  windowsFirefox: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:150.0) Gecko/20100101 Firefox/150.0',
  iphoneSafari:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 19_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/19.0 Mobile/15E148 Safari/604.1',
} as const

/** One device: a browser context with one page on the test's server. */
export interface Device {
  readonly name: string
  readonly context: BrowserContext
  readonly page: Page
  readonly network: NetworkTracker
  /** Every session token this device sent in an Authorization header. */
  readonly sentTokens: Set<string>
}

/** Virtual time for the server and every open device together. */
export class DeviceTime {
  constructor(
    private readonly server: DemoServer,
    private readonly devices: readonly Device[],
  ) {}

  async #settled(): Promise<void> {
    await Promise.all(this.devices.map((device) => device.network.idle()))
  }

  /**
   * Time passes on every device: in steps (1 s by default), each after every
   * device's requests settled, the server's clock first, then each device's.
   * `each` runs before every step (a user's input, say).
   */
  async advance(ms: number, { step = 1_000, each }: { step?: number; each?: () => Promise<void> } = {}): Promise<void> {
    for (let done = 0; done < ms; ) {
      const chunk = Math.min(step, ms - done)
      await each?.()
      await this.#settled()
      await this.server.advanceClock(chunk)
      for (const device of this.devices) await device.context.clock.runFor(chunk)
      done += chunk
    }
    await this.#settled()
  }

  /** Advances step by step until `condition` holds; returns the virtual time it took. */
  async advanceUntil(
    condition: () => Promise<boolean>,
    { maxMs, step = 1_000, each }: { maxMs: number; step?: number; each?: () => Promise<void> },
  ): Promise<number> {
    for (let done = 0; ; done += step) {
      if (await condition()) return done
      if (done >= maxMs) throw new Error(`The condition did not hold within ${maxMs} ms of virtual time.`)
      await this.advance(step, { step, each })
    }
  }
}

interface DeviceFixtures {
  /** Every device opened in this test, in order. */
  devices: Device[]
  /** Opens one more device on the test's server (at `/`), its clock installed; closed after the test. */
  openDevice: (name: string, options?: { userAgent?: string }) => Promise<Device>
  /** Moves the server's clock and every device opened so far together. */
  deviceTime: DeviceTime
}

export const test = base.extend<DeviceFixtures>({
  devices: async ({}, use) => {
    await use([])
  },

  openDevice: async ({ browser, server, devices }, use) => {
    const pageErrors: string[] = []
    await use(async (name, { userAgent } = {}) => {
      const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1100, height: 800 }, ...(userAgent ? { userAgent } : {}) })
      // Fake timers, starting at the real time (the server's too), as on every flow.
      await context.clock.install()
      const sentTokens = new Set<string>()
      context.on('request', (request) => {
        const auth = request.headers()['authorization']
        if (auth?.startsWith('Bearer ')) sentTokens.add(auth.slice('Bearer '.length))
      })
      const network = new NetworkTracker(context)
      const page = await context.newPage()
      page.on('pageerror', (error) => pageErrors.push(`${name}: ${error.message}`))
      await page.goto('/')
      const device = { name, context, page, network, sentTokens }
      devices.push(device)
      return device
    })

    // After every flow: tokens live in memory only, on every device.
    for (const { name, page, sentTokens } of devices) {
      if (page.isClosed()) continue
      const places = await page.evaluate(() => {
        const dump = (storage: Storage) =>
          Array.from({ length: storage.length }, (_, i) => `${storage.key(i)}=${storage.getItem(storage.key(i)!)}`).join('\n')
        return { localStorage: dump(localStorage), sessionStorage: dump(sessionStorage), 'document.cookie': document.cookie, URL: location.href }
      })
      for (const [place, text] of Object.entries(places)) {
        expect(text, `${name}: ${place} must not hold anything shaped like a JWT`).not.toContain('eyJ')
        for (const jwt of sentTokens) expect(text.includes(jwt), `${name}: ${place} must not hold a session token`).toBe(false)
      }
    }
    for (const { context } of devices) await context.close()
    expect(pageErrors, 'uncaught errors in the pages').toEqual([])
  },

  deviceTime: async ({ server, devices }, use) => {
    // Reads the list as it stands whenever time moves: devices opened later join in.
    await use(new DeviceTime(server, devices))
  },
})

export { expect }
