// Benchmark: what a signed-in app asks of its auth server, per 10 minutes of
// API use and per idle hour, for 1, 3 and 10 tabs; sessionkit beside
// next-auth's client with its defaults.
//
// sessionkit runs in Node: the real session client, one per tab, on the
// memory adapter (its call counts are the server requests: each adapter call
// is one request of the sessionkit protocol) with the in-memory tab hub
// (BroadcastChannel and Web Locks with the browser's semantics) and one
// virtual clock, so ten minutes or an hour run in a moment and every timer
// fires when due. next-auth runs for real in Chromium: its SessionProvider in
// one page per tab of one browser context (they share localStorage, which is
// how next-auth tells tabs to refetch), against a loopback server that serves
// /api/auth/session and counts requests, with Playwright's fake clock moving
// each page's timers and Date in step.
import http from 'node:http'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium } from 'playwright'
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs'
import { bundle, NEXT_AUTH_DEFINES } from './bundle.mjs'
import { table } from './stats.mjs'
import { waitInPage } from './wait.mjs'

const SECOND = 1_000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const TAB_COUNTS = [1, 3, 10]
const IDLE_TABS = 3
/** Every tab calls getToken (and gets input) this often. */
const API_EVERY_MS = 5 * SECOND
const API_MINUTES = 10
/** sessionkit's memory adapter answers after this long (virtual), so concurrent calls can share a request. */
const LATENCY_MS = 50
const START = Date.UTC(2026, 0, 5, 9, 0, 0)
/** Tabs open one after the other, this far apart. */
const OPEN_GAP_MS = 2 * SECOND

const POLICIES = [
  { id: 'default', label: 'default policy (7 d inactivity, 7 d max; touch interval 16.8 h)', policy: null },
  {
    id: 'short',
    label: '10-min inactivity timeout (touch interval 60 s)',
    policy: { inactivityTimeoutMs: 10 * MINUTE, maxLifetimeMs: 12 * HOUR },
  },
]

// ---- sessionkit, in Node -----------------------------------------------------

async function loadSessionkit() {
  const code = await bundle('bench/network-entry.ts', { external: [] })
  const dir = await mkdtemp(path.join(tmpdir(), 'sessionkit-bench-'))
  const file = path.join(dir, 'network-entry.mjs')
  await writeFile(file, code)
  try {
    return await import(pathToFileURL(file).href)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Server requests by kind, from the memory adapter's call counts. */
function requestsOf(calls) {
  const { createToken = 0, touchSession = 0, ...rest } = calls
  const other = Object.values(rest).reduce((n, v) => n + v, 0)
  return { mints: createToken, touches: touchSession, other, total: createToken + touchSession + other, byMethod: { ...calls } }
}
const minus = (a, b) => Object.fromEntries(Object.keys(a).map((k) => [k, a[k] - (b[k] ?? 0)]))

/**
 * Opens `tabs` tabs of one browser (one client each, sharing the backend, the
 * tab hub and the clock); each tab makes one API call as it loads.
 */
async function openBrowser(lib, tabs, policy) {
  const clock = lib.createVirtualClock(START)
  const adapter = lib.createMemoryAdapter({ clock, policy: policy ?? lib.DEFAULT_POLICY, signedInAs: 'ada@example.com', latencyMs: LATENCY_MS })
  adapter.resetCalls()
  const hub = lib.createMemoryTabHub(clock)
  const open = []
  const tokens = []
  for (let i = 0; i < tabs; i++) {
    if (i > 0) await clock.advanceAsync(OPEN_GAP_MS)
    const transport = hub.tab()
    const input = new EventTarget()
    const client = lib.createSessionClient({ adapter, clock, eventTarget: input, crossTab: transport })
    const unmount = client.mount()
    // The page's first API call, as it loads (answered as virtual time moves).
    tokens.push(client.getToken())
    open.push({ client, input, close: () => (unmount(), client.destroy(), transport.close()) })
  }
  await clock.advanceAsync(OPEN_GAP_MS)
  if ((await Promise.all(tokens)).some((t) => typeof t !== 'string')) {
    throw new Error('network: a sessionkit tab is not signed in after opening')
  }
  return { clock, adapter, tabs: open, opening: adapter.calls }
}

/**
 * API use: every tab gets input and calls getToken every 5 s (tabs staggered
 * over the 5 s), and each tab sees one visibility change (a tab switch) per
 * minute, at its own moment in the minute.
 */
async function sessionkitApiUse(lib, tabCount, policy) {
  const { clock, adapter, tabs, opening } = await openBrowser(lib, tabCount, policy)
  const before = adapter.calls
  let calls = 0
  let nulls = 0
  const pending = []
  for (let t = 0; t < API_MINUTES * MINUTE; t += SECOND) {
    tabs.forEach((tab, i) => {
      const apiOffset = Math.floor((i * API_EVERY_MS) / tabCount / SECOND) * SECOND
      if (t % API_EVERY_MS === apiOffset) {
        tab.input.dispatchEvent(new Event(calls % 2 ? 'keydown' : 'pointermove'))
        calls++
        pending.push(tab.client.getToken().then((jwt) => void (jwt === null && nulls++)))
      }
      const switchOffset = Math.floor((i * MINUTE) / tabCount / SECOND) * SECOND
      if (t % MINUTE === switchOffset) {
        tab.input.dispatchEvent(new Event('visibilitychange'))
        tab.input.dispatchEvent(new Event('focus'))
      }
    })
    await clock.advanceAsync(SECOND)
  }
  await Promise.all(pending)
  const result = { opening: requestsOf(opening), steady: requestsOf(minus(adapter.calls, before)), apiCalls: calls, nulls }
  for (const tab of tabs) tab.close()
  return result
}

/** Idle: the app open in `tabCount` tabs after one API call each, then nobody there for an hour. */
async function sessionkitIdle(lib, tabCount, policy) {
  const { clock, adapter, tabs } = await openBrowser(lib, tabCount, policy)
  const before = adapter.calls
  /** Minutes (1-based) in which a token was minted. */
  const mintMinutes = []
  for (let m = 1; m <= 60; m++) {
    const mints = adapter.calls.createToken
    await clock.advanceAsync(MINUTE)
    for (let i = mints; i < adapter.calls.createToken; i++) mintMinutes.push(m)
  }
  const result = { steady: requestsOf(minus(adapter.calls, before)), status: tabs.map((t) => t.client.getState().status), mintMinutes }
  for (const tab of tabs) tab.close()
  return result
}

// ---- next-auth, in Chromium ---------------------------------------------------

/** The loopback server: the page, next-auth's session endpoint and an API route, counting requests. */
function nextAuthServer(files) {
  const counts = new Map()
  let inflight = 0
  let lastRequestAt = 0
  const session = JSON.stringify({
    user: { name: 'Ada Lovelace', email: 'ada@example.com', image: null },
    expires: new Date(START + 30 * 24 * HOUR).toISOString(),
  })
  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://x')
    const file = files.get(pathname)
    if (file) {
      res.writeHead(200, { 'Content-Type': file.type, 'Cache-Control': 'no-store' }).end(file.body)
      return
    }
    inflight++
    lastRequestAt = performance.now()
    const key = `${req.method} ${pathname}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
    req.resume()
    req.on('end', () => {
      const body = pathname === '/api/auth/session' ? session : pathname === '/api/data' ? '{"ok":true}' : '{}'
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(body)
      inflight--
      lastRequestAt = performance.now()
    })
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      resolve({
        origin: `http://127.0.0.1:${server.address().port}`,
        counts: () => Object.fromEntries(counts),
        /** Resolves once no request is in flight and none came for `quietMs` (at most `maxMs`). */
        async settle(quietMs = 40, maxMs = 3_000) {
          const t0 = performance.now()
          await new Promise((r) => setTimeout(r, quietMs))
          while (performance.now() - t0 < maxMs && (inflight > 0 || performance.now() - lastRequestAt < quietMs)) {
            await new Promise((r) => setTimeout(r, 10))
          }
        },
        close: () =>
          new Promise((done) => {
            server.close(() => done())
            server.closeAllConnections()
          }),
      })
    })
  })
}

/** next-auth's requests by kind: session reads (each also renews its session cookie) and everything else to the auth routes. */
function nextAuthRequestsOf(counts) {
  let reads = 0
  let other = 0
  let api = 0
  for (const [key, n] of Object.entries(counts)) {
    if (key === 'GET /api/auth/session') reads += n
    else if (key.includes('/api/auth/')) other += n
    else if (key.includes('/api/data')) api += n
  }
  return { mints: 0, touches: 0, reads, other, total: reads + other, api, byRoute: counts }
}

async function openNextAuthTabs(browser, server, tabCount) {
  const context = await browser.newContext()
  // Playwright's clock belongs to the context: one fake time for every page
  // (tab), paused, so only runFor moves it (installed, it would also flow in real time).
  await context.clock.install({ time: START - SECOND })
  await context.clock.pauseAt(START)
  const pages = []
  const errors = []
  for (let i = 0; i < tabCount; i++) {
    if (i > 0) await context.clock.runFor(OPEN_GAP_MS)
    const page = await context.newPage()
    page.on('pageerror', (e) => errors.push(e))
    await page.goto(`${server.origin}/app.html`)
    await waitInPage(page, () => window.__status === 'authenticated')
    await server.settle()
    pages.push(page)
  }
  if (errors.length) throw errors[0]
  return { context, pages, errors }
}

async function nextAuthApiUse(browser, server, files, tabCount) {
  const base = server.counts()
  const { context, pages, errors } = await openNextAuthTabs(browser, server, tabCount)
  const opened = server.counts()
  try {
    // The same schedule as sessionkit's tabs, armed on each page's fake clock,
    // starting one second after the last tab opened.
    const switchTimes = []
    for (const [i, page] of pages.entries()) {
      const schedule = {
        apiEveryMs: API_EVERY_MS,
        apiOffsetMs: SECOND + Math.floor((i * API_EVERY_MS) / tabCount / SECOND) * SECOND,
        switchEveryMs: MINUTE,
        switchOffsetMs: SECOND + Math.floor((i * MINUTE) / tabCount / SECOND) * SECOND,
      }
      await page.evaluate((s) => window.__schedule(s), schedule)
      for (let t = schedule.switchOffsetMs; t < API_MINUTES * MINUTE; t += MINUTE) switchTimes.push(t)
    }
    // Time moves from one tab switch to the next and waits there (in real
    // time) for the requests it causes: next-auth tells the other tabs after
    // its own fetch answers, stamped with the clock of that moment, so the
    // clock must not run ahead meanwhile. API calls fire on the way.
    let now = 0
    for (const t of switchTimes.sort((a, b) => a - b)) {
      await context.clock.runFor(t - now)
      now = t
      await server.settle()
    }
    await context.clock.runFor(API_MINUTES * MINUTE - now)
    await server.settle(100)
    if (errors.length) throw errors[0]
    let apiCalls = 0
    let switches = 0
    for (const page of pages) {
      const done = await page.evaluate(() => window.__done())
      apiCalls += done.apiCalls
      switches += done.switches
    }
    // Counted before the tabs close: closing a page is not part of the scenario.
    return {
      opening: nextAuthRequestsOf(minus(opened, base)),
      steady: nextAuthRequestsOf(minus(server.counts(), opened)),
      switches,
      apiCalls,
    }
  } finally {
    await context.close()
  }
}

async function nextAuthIdle(browser, server, tabCount) {
  const { context, pages, errors } = await openNextAuthTabs(browser, server, tabCount)
  const opened = server.counts()
  try {
    // An hour of the pages' timers, in one-minute steps.
    for (let m = 0; m < 60; m++) await context.clock.runFor(MINUTE)
    await server.settle(100)
    if (errors.length) throw errors[0]
    return { steady: nextAuthRequestsOf(minus(server.counts(), opened)) }
  } finally {
    await context.close()
  }
}

// ---- the part -------------------------------------------------------------------

export async function run({ log = () => {} } = {}) {
  const lib = await loadSessionkit()
  const sk = { api: {}, idle: {} }
  for (const p of POLICIES) {
    sk.api[p.id] = {}
    for (const n of TAB_COUNTS) {
      const t0 = performance.now()
      sk.api[p.id][n] = await sessionkitApiUse(lib, n, p.policy)
      const s = sk.api[p.id][n].steady
      log(`  network sessionkit ${p.id} ${n} tab(s): ${s.mints} mints, ${s.touches} touches, ${s.other} other per ${API_MINUTES} min (${secs(t0)})`)
    }
    sk.idle[p.id] = await sessionkitIdle(lib, IDLE_TABS, p.policy)
    log(`  network sessionkit ${p.id} idle hour, ${IDLE_TABS} tabs: ${JSON.stringify(sk.idle[p.id].steady.byMethod)}`)
  }

  const code = await bundle('bench/pages/next-auth.tsx', { external: [], define: NEXT_AUTH_DEFINES })
  const files = new Map([
    ['/app.js', { type: 'text/javascript', body: code }],
    ['/app.html', { type: 'text/html', body: '<!doctype html><meta charset="utf-8"><title>next-auth</title><body><script type="module" src="/app.js"></script></body>' }],
  ])
  const server = await nextAuthServer(files)
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs })
  const na = { api: {}, idle: null }
  try {
    for (const n of TAB_COUNTS) {
      const t0 = performance.now()
      na.api[n] = await nextAuthApiUse(browser, server, files, n)
      log(`  network next-auth ${n} tab(s): opening ${na.api[n].opening.total}, ${na.api[n].steady.reads} session reads per ${API_MINUTES} min (${na.api[n].switches} tab switches, ${na.api[n].steady.api} API calls) (${secs(t0)})`)
    }
    na.idle = await nextAuthIdle(browser, server, IDLE_TABS)
    log(`  network next-auth idle hour, ${IDLE_TABS} tabs: ${na.idle.steady.total}`)
  } finally {
    await browser.close()
    await server.close()
  }

  // ---- tables
  const rows = []
  for (const n of TAB_COUNTS) {
    const base = sk.api.default[n].steady.total
    const ratio = (total) => (base > 0 ? `${(total / base).toFixed(2)}×` : '—')
    for (const p of POLICIES) {
      const r = sk.api[p.id][n]
      rows.push([
        String(n),
        `sessionkit, ${p.label}`,
        String(r.steady.mints),
        String(r.steady.touches),
        String(r.steady.other),
        `**${r.steady.total}**`,
        p.id === 'default' ? '1 (baseline)' : ratio(r.steady.total),
        String(r.opening.total),
      ])
    }
    const a = na.api[n]
    rows.push([
      String(n),
      'next-auth 4, defaults (`refetchInterval` 0, `refetchOnWindowFocus` true)',
      '—',
      '—',
      `${a.steady.reads} session reads${a.steady.other ? ` + ${a.steady.other}` : ''}`,
      `**${a.steady.total}**`,
      `**${ratio(a.steady.total)}**`,
      String(a.opening.total),
    ])
  }
  const apiTable = table(
    ['tabs', 'client', 'token mints', 'touches', 'other', `total per ${API_MINUTES} min`, 'vs sessionkit (default policy)', 'when the tabs opened'],
    rows,
    ['r', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
  )
  const idleRows = POLICIES.map((p) => {
    const s = sk.idle[p.id].steady
    return [`sessionkit, ${p.label}`, String(s.mints), String(s.touches), `${s.other}${s.other ? ` (${describe(s.byMethod, ['createToken', 'touchSession'])})` : ''}`, `**${s.total}**`, sk.idle[p.id].status.join(', ')]
  })
  const ni = na.idle.steady
  idleRows.push(['next-auth 4, defaults', '—', '—', `${ni.reads} session reads${ni.other ? ` + ${ni.other}` : ''}`, `**${ni.total}**`, 'signed in'])
  const idleTable = table(['client', 'token mints', 'touches', 'other', 'total per hour', 'tabs at the end'], idleRows, ['l', 'r', 'r', 'l', 'r', 'l'])

  const d1 = sk.api.default[1].steady
  const d10 = sk.api.default[10].steady
  const s10 = sk.api.short[10].steady
  const n1 = na.api[1].steady
  const n10 = na.api[10].steady
  const idleTokens = POLICIES.map((p) => sk.idle[p.id].steady.mints)
  const notes = [
    `With the default policy, sessionkit asks the server ${d1.total} times per ${API_MINUTES} minutes for one tab (${d1.mints} token mints: one 60 s token per ~45 s, refreshed ahead of expiry while in use) and ${d10.total} for ten tabs: ` +
      `one tab leads, mints and touches for all, and shares each token over the channel, so the count hardly depends on the number of tabs. ` +
      `With a 10-minute inactivity timeout it adds one touch per 60 s of activity (${s10.touches} touches for ten tabs). ` +
      `next-auth mints no tokens (an API call carries its session cookie, and none of the ${na.api[10].steady.api} API calls in the 10-tab run reached its auth routes), but every tab switch makes the visible tab read \`/api/auth/session\` (a read that also rolls its session cookie forward, its form of a touch) and, through its localStorage message, makes every other tab read it too: ` +
      `${n1.total} reads for one tab, ${na.api[3].steady.total} for three, ${n10.total} for ten (about ${API_MINUTES} × tabs², ${(n10.total / Math.max(1, d10.total)).toFixed(1)}× sessionkit's total at ten tabs). ` +
      (n1.total < d1.total ? `For a single tab next-auth makes fewer requests (${n1.total} against ${d1.total}): sessionkit's cost there is its short-lived tokens. ` : ''),
    (idleTokens.every((n) => n === 0)
      ? `**Goal met**: an idle app open in ${IDLE_TABS} tabs makes 0 token requests per hour with either policy (tokens are refreshed ahead of expiry only while they are being used).`
      : `**Goal missed by ${Math.max(...idleTokens)}**: an idle app open in ${IDLE_TABS} tabs makes ${idleTokens.join(' / ')} token request(s) in the hour (default / 10-minute policy; goal 0), in minute ${[...new Set(POLICIES.flatMap((p) => sk.idle[p.id].mintMinutes))].join(', ')} only: ` +
        `the one background refresh of the token the tabs used while opening. The leader refreshes a token ahead of expiry if it was used at all since it was minted (here by the tabs that opened after it), so the last token used before the app goes idle is refreshed once more; after that, nothing. ` +
        '') +
      ` With the default policy nothing else is sent. With the 10-minute timeout the session runs out after 10 idle minutes, and the other request is the sign-out: ${describe(sk.idle.short.steady.byMethod, ['createToken'])}, from one tab for all. ` +
      `next-auth with its defaults makes ${ni.total} requests while idle (no timer: \`refetchInterval\` is 0).`,
    `*Method.* sessionkit: the real session client bundled for Node, one client per tab on one memory adapter (answers after ${LATENCY_MS} ms of virtual time), one in-memory tab hub and one virtual clock, so the run takes seconds; ` +
      `each adapter call is one request of the sessionkit protocol (\`createToken\` = POST …/tokens, \`touchSession\` = POST …/touch, \`getClient\` = GET /v1/client, \`endSession\` = POST …/end), and the http adapter adds no request of its own unless one fails. ` +
      `The reference server's test clock was not used: it moves only the server's clock, while the tokens, touches and timers that decide the counts live in the browser, which would then need ten real minutes per row. ` +
      `Tabs open ${OPEN_GAP_MS / SECOND} s apart and each makes one API call as it loads ("when the tabs opened", not in the totals); then for ${API_MINUTES} minutes every tab gets input and calls \`getToken()\` every 5 s (tabs staggered), and each tab has one tab switch (\`visibilitychange\` + \`focus\`) per minute at its own moment. ` +
      `next-auth: its real \`SessionProvider\` (next-auth ${'4.24'}, \`react-dom\` 19) bundled into a page, one page per tab in one Chromium context (shared localStorage, as between real tabs), against a loopback server that serves \`/api/auth/session\` and counts requests; ` +
      `tabs opened one after the other, ${OPEN_GAP_MS / SECOND} s apart (sessionkit's too); the same schedule of input, API calls (a \`fetch\` of \`/api/data\`) and tab switches (the page's \`document.visibilityState\` set to hidden then visible, each with its \`visibilitychange\` event), armed on the pages' own timers, with Playwright's fake clock (one per context, paused) moved from one tab switch to the next and held there while the requests it causes complete. ` +
      `next-auth's tab-to-tab message carries a timestamp in whole seconds and localStorage only fires \`storage\` when the value changes, so the per-second clock matters; tab switches fall in different seconds here. ` +
      `The idle hour: ${IDLE_TABS} tabs open, one API call each, then an hour of their timers with no input and no API call.`,
  ]
  const goals = [
    {
      goal: `idle app, ${IDLE_TABS} tabs, one hour: 0 token requests`,
      measured: `${idleTokens.join(' / ')} (default / 10-minute policy; minute ${[...new Set(POLICIES.flatMap((p) => sk.idle[p.id].mintMinutes))].join(', ') || '—'})`,
      met: idleTokens.every((n) => n === 0),
    },
  ]
  return {
    title: 'Network: requests to the auth server',
    goals,
    markdownTable:
      `#### ${API_MINUTES} minutes of API use: every tab gets input and calls for a token every 5 s, one tab switch per tab per minute\n\n` +
      apiTable +
      `\n\n#### An idle open app: ${IDLE_TABS} tabs, no input, no API call, for one hour\n\n` +
      idleTable,
    notes: notes.join('\n\n'),
    data: { sessionkit: sk, nextAuth: na },
  }
}

const secs = (t0) => `${((performance.now() - t0) / 1000).toFixed(1)} s`

/** "2 × endSession, 1 × getClient" for the counts not in `skip`. */
function describe(byMethod, skip) {
  const parts = Object.entries(byMethod)
    .filter(([k, v]) => v > 0 && !skip.includes(k))
    .map(([k, v]) => `${v} × \`${k}\``)
  return parts.join(', ') || 'none'
}
