// Benchmark 1: what always-on activity tracking costs the main thread, in
// real Chromium. Each page is one bundled entry (adding a page is one line in
// PAGES); every page runs the same workloads (pages/harness.js) several
// times, in rotating order, each time in a fresh browser context.
import { readFile } from 'node:fs/promises'
import { chromium } from 'playwright'
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs'
import { bundle } from './bundle.mjs'
import { serve } from './server.mjs'
import { waitInPage } from './wait.mjs'
import { fmt, fmtRange, fmtRatio, median, table } from './stats.mjs'

/** The pages compared. The first is the baseline of every ratio. */
export const PAGES = [
  { id: 'bare', label: 'bare page, no listener', entry: 'bench/pages/bare.js' },
  { id: 'passive', label: 'floor: one passive listener, `Date.now()` only', entry: 'bench/pages/passive.js' },
  { id: 'tracker', label: '`ActivityTracker` (default events, 1 s throttle)', entry: 'bench/pages/tracker.ts' },
  { id: 'react', label: 'React app, no session library (reference for the two below)', entry: 'bench/pages/react.tsx' },
  { id: 'provider', label: 'sessionkit: `SessionProvider` + `InactivityWarning` + `useAuth`', entry: 'bench/pages/provider.tsx' },
  { id: 'idle-timer', label: 'react-idle-timer: `useIdleTimer` (prompt, crossTab)', entry: 'bench/pages/idle-timer.tsx' },
]

/** Diagnostic page: how many DOM events the CDP workload really delivers. Not compared. */
const COUNTING_PAGE = { id: 'counting', entry: 'bench/pages/counting.js' }

const SPAN_MS = 2_000
const CDP_MOVES = 800
const CDP_KEYS = 400

/**
 * The workloads, in the order each trial runs them. `spread`: events paced
 * over SPAN_MS in rAF batches; `tight`: one synchronous loop, `reps` times
 * (median kept); `cdp`: real input through the browser.
 */
export const WORKLOADS = [
  {
    id: 'spread', kind: 'spread', mix: 'mixed', events: 2_000,
    title: '2,000 synthetic events (40 % pointermove, 40 % mousemove, 20 % keydown) over 2 s in requestAnimationFrame batches',
  },
  {
    id: 'pointer', kind: 'spread', mix: 'pointer', events: 2_000,
    title: '2,000 synthetic pointer events only (pointermove + mousemove) over 2 s in requestAnimationFrame batches',
  },
  {
    id: 'tight', kind: 'tight', mix: 'mixed', events: 10_000, reps: 3,
    title: '10,000 synthetic events (same 40/40/20 mix) in one tight loop, median of 3 loops per trial',
  },
  {
    id: 'cdp', kind: 'cdp',
    title: `Real input pipeline: ${CDP_MOVES} CDP mouse moves + ${CDP_KEYS} key-downs over 2 s`,
  },
]

/** The goal from the issue: with steady input, sessionkit as mounted by an app costs about what no listener costs. */
const GOAL_RATIO = 1.05
const GOAL_WORKLOAD = 'spread'

/** Short page names for the notes. */
const SHORT = {
  passive: 'floor listener',
  tracker: 'ActivityTracker',
  react: 'React-only page',
  provider: 'sessionkit provider',
  'idle-timer': 'react-idle-timer',
}

const METRIC_NAMES = { dispatch: 'dispatch time (in-page)', script: 'ScriptDuration', task: 'TaskDuration' }
const metricsOf = (w) => (w.kind === 'cdp' ? ['task', 'script'] : ['dispatch', 'script', 'task'])

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

function pageHtml(id) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${id}</title></head>
<body style="margin:0;min-height:100vh"><script type="module" src="/page-${id}.js"></script><script type="module" src="/harness.js"></script></body></html>`
}

async function buildSite(pages) {
  const files = new Map()
  const harness = await readFile(new URL('./pages/harness.js', import.meta.url), 'utf8')
  files.set('/harness.js', { type: 'text/javascript', body: harness })
  for (const page of pages) {
    // Everything bundled (no externals): the page holds what an app ships.
    const code = await bundle(page.entry, { external: [] })
    files.set(`/page-${page.id}.js`, { type: 'text/javascript', body: code })
    files.set(`/${page.id}.html`, { type: 'text/html', body: pageHtml(page.id) })
  }
  return files
}

/** Script and task time of the page's renderer main thread so far, in ms of thread CPU time. */
async function metrics(cdp) {
  const { metrics: list } = await cdp.send('Performance.getMetrics')
  const get = (name) => (list.find((m) => m.name === name)?.value ?? NaN) * 1000
  return { script: get('ScriptDuration'), task: get('TaskDuration') }
}

/**
 * Real input through the browser. Pipelined: Chromium aligns mouse moves to
 * animation frames, so awaiting each would take a frame per move; sent ahead,
 * they are coalesced per frame the way a fast mouse's are.
 */
async function cdpInput(cdp) {
  const total = CDP_MOVES + CDP_KEYS
  const every = Math.round(total / CDP_KEYS) // move, move, key
  const pending = []
  const start = performance.now()
  for (let i = 0; i < total; i++) {
    const dueAt = start + (i / total) * SPAN_MS
    while (performance.now() < dueAt) await sleep(1)
    pending.push(
      i % every === every - 1
        ? cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', key: 'a', code: 'KeyA', windowsVirtualKeyCode: 65 })
        : cdp.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x: 10 + (i % 400), y: 10 + ((i >> 3) % 300) }),
    )
  }
  await Promise.all(pending)
  await sleep(50) // lets the last coalesced frame run
}

/** One page through the given workloads in a fresh context: `${workload}.${metric}` → ms, plus facts. */
async function trial(browser, origin, page, workloads) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } })
  try {
    const tab = await context.newPage()
    await tab.goto(`${origin}/${page.id}.html`, { waitUntil: 'load' })
    // Not waitForFunction: it would add Playwright's own listeners to the page (see wait.mjs).
    await waitInPage(tab, () => Boolean(window.__bench && window.__pageInfo))
    const cdp = await context.newCDPSession(tab)
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' })
    const { crossOriginIsolated } = await tab.evaluate(() => window.__bench.info())
    if (!crossOriginIsolated) throw new Error('The bench page is not cross-origin isolated: its timer would be 100 µs coarse.')
    const gc = () => cdp.send('HeapProfiler.collectGarbage')
    await tab.evaluate(() => window.__bench.warmup(500))
    await sleep(50)

    const out = { facts: {} }
    for (const w of workloads) {
      const runs = []
      for (let rep = 0; rep < (w.reps ?? 1); rep++) {
        if (w.kind !== 'cdp') await tab.evaluate(([n, mix]) => window.__bench.prepare(n, mix), [w.events, w.mix])
        await gc()
        const before = await metrics(cdp)
        let result = {}
        if (w.kind === 'spread') result = await tab.evaluate((ms) => window.__bench.spread(ms), SPAN_MS)
        else if (w.kind === 'tight') result = await tab.evaluate(() => window.__bench.tight())
        else await cdpInput(cdp)
        const after = await metrics(cdp)
        runs.push({ dispatch: result.dispatchMs, script: after.script - before.script, task: after.task - before.task })
        if (w.kind === 'spread') out.facts[w.id] = { frames: result.frames, spanMs: result.spanMs }
      }
      for (const m of metricsOf(w)) out[`${w.id}.${m}`] = median(runs.map((x) => x[m]))
    }
    out.info = (await tab.evaluate(() => window.__bench.info())).page
    return out
  } finally {
    await context.close()
  }
}

export async function run({ runs = Number(process.env.BENCH_RUNS) || 7, log = () => {}, pages = PAGES } = {}) {
  const baseline = pages[0]
  const keys = WORKLOADS.flatMap((w) => metricsOf(w).map((m) => `${w.id}.${m}`))
  const site = await buildSite([...pages, COUNTING_PAGE])
  const server = await serve(site)
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs })
  /** samples[pageId][key] = one value per run, in run order (so ratios pair pages within a run). */
  const samples = Object.fromEntries(pages.map((p) => [p.id, Object.fromEntries(keys.map((k) => [k, []]))]))
  const facts = { frames: [], spanMs: [], notified: {}, commits: {} }
  let delivered
  try {
    delivered = (await trial(browser, server.origin, COUNTING_PAGE, WORKLOADS.filter((w) => w.kind === 'cdp'))).info
    for (let r = 0; r < runs; r++) {
      // Rotate, and reverse every other run: no page always goes first or follows the same neighbour.
      let order = pages.map((_, i) => pages[(i + r) % pages.length])
      if (r % 2) order = order.reverse()
      for (const page of order) {
        const out = await trial(browser, server.origin, page, WORKLOADS)
        for (const k of keys) samples[page.id][k].push(out[k])
        for (const f of Object.values(out.facts)) {
          facts.frames.push(f.frames)
          facts.spanMs.push(f.spanMs)
        }
        if (out.info?.notified !== undefined) (facts.notified[page.id] ??= []).push(out.info.notified)
        if (out.info?.commits !== undefined) (facts.commits[page.id] ??= []).push(out.info.commits)
        log(`  activity ${r + 1}/${runs} ${page.id}: ${WORKLOADS.map((w) => `${w.id} ${fmt(out[`${w.id}.${metricsOf(w)[0]}`])}`).join(', ')} ms`)
      }
    }
  } finally {
    await browser.close()
    await server.close()
  }

  const ratios = (pageId, key) => samples[pageId][key].map((v, i) => v / samples[baseline.id][key][i])
  const has = (id) => pages.some((p) => p.id === id)
  const ratioOf = (id, key) => median(ratios(id, key))

  const sections = WORKLOADS.map((w) => {
    const rows = []
    for (const m of metricsOf(w)) {
      const key = `${w.id}.${m}`
      const base = median(samples[baseline.id][key])
      for (const page of pages) {
        const values = samples[page.id][key]
        // A ratio to almost nothing says nothing (little JS runs on the bare page under CDP input).
        const r = page !== baseline && base >= 0.5 ? ratios(page.id, key) : null
        rows.push([
          METRIC_NAMES[m],
          page.label,
          `${fmt(median(values))} ms`,
          fmtRange(values),
          m === 'dispatch' ? `${fmt((median(values) / w.events) * 1000)} µs` : '',
          page === baseline ? '1 (baseline)' : r ? `**${fmtRatio(median(r))}** (${fmtRange(r, 2)})` : '—',
        ])
      }
    }
    const header = ['metric', 'page', 'median', 'min–max', 'per event', 'vs bare: median of per-run ratios (min–max)']
    return `#### ${w.title}\n\n${table(header, rows, ['l', 'l', 'r', 'r', 'r', 'r'])}`
  })

  const paragraphs = []
  const goalKey = `${GOAL_WORKLOAD}.dispatch`
  /** Median of the per-run ratios of page `a` to page `b` on `key`. */
  const pairRatio = (a, b, key) => median(samples[a][key].map((v, i) => v / samples[b][key][i]))
  const others = (key, ids) =>
    ids
      .filter((id) => has(id) && samples[id][key])
      .map((id) => `${SHORT[id]} ${fmtRatio(ratioOf(id, key))}`)
      .join(', ')
  // The goal is the product's: with sessionkit mounted as an app mounts it, input costs what no listener costs.
  const goalPage = has('provider') ? 'provider' : has('tracker') ? 'tracker' : null
  if (goalPage) {
    const goalRatios = ratios(goalPage, goalKey)
    const goal = median(goalRatios)
    const who = goalPage === 'provider' ? "sessionkit's full provider page" : 'the ActivityTracker'
    paragraphs.push(
      (goal <= GOAL_RATIO
        ? `**Goal met**: on the spread workload ${who} costs ${fmtRatio(goal)} the bare page's dispatch time (goal ≤ ${fmtRatio(GOAL_RATIO)}; per run ${fmtRange(goalRatios, 2)}).`
        : `**Goal missed**: on the spread workload ${who} costs ${fmtRatio(goal)} the bare page's dispatch time, ${((goal / GOAL_RATIO - 1) * 100).toFixed(0)} % over the ≤ ${fmtRatio(GOAL_RATIO)} goal (per run ${fmtRange(goalRatios, 2)}).`) +
        ` Beside it in the same runs: ${others(goalKey, ['passive', 'tracker', 'react', 'provider', 'idle-timer'].filter((id) => id !== goalPage))}.` +
        (has('provider') && has('react')
          ? ` Against the React page with no session library (same runs), sessionkit's page costs ${fmtRatio(pairRatio('provider', 'react', goalKey))}: what sessionkit adds to a React app.`
          : '') +
        (has('provider') && has('idle-timer')
          ? ` Head to head, sessionkit's page costs ${fmtRatio(pairRatio('provider', 'idle-timer', goalKey))} react-idle-timer's (median of per-run ratios).`
          : ''),
    )
  }
  if (has('provider') || has('tracker')) {
    paragraphs.push(
      `In the tight loop of 10,000 events: ${others('tight.dispatch', ['passive', 'tracker', 'react', 'provider', 'idle-timer'])} the bare page's dispatch time. ` +
        `With pointer events only (spread): ${others('pointer.dispatch', ['passive', 'tracker', 'react', 'provider', 'idle-timer'])}. ` +
        `Through the real input pipeline (CDP) the renderer's task time is ${others('cdp.task', ['passive', 'tracker', 'react', 'provider', 'idle-timer'])} the bare page's: ` +
        `there most of the time is the browser's own input handling, which no listener design changes. ` +
        (has('react')
          ? `Real input also reaches React's own delegated listeners on its root container (synthetic events sent to \`document\` never do): the React-only page runs ${fmt(median(samples.react['cdp.script']))} ms of script under CDP input, sessionkit's page ${fmt(median(samples.provider?.['cdp.script'] ?? [NaN]))} ms, the ActivityTracker alone ${fmt(median(samples.tracker?.['cdp.script'] ?? [NaN]))} ms. `
          : '') +
        `A listener that stays attached pays per event: the floor listener and react-idle-timer (which listens on \`document\` and throttles inside its handler, 200 ms) grow with the event count, while sessionkit's listeners detach after the first event of each 1 s window. ` +
        `Per-run ratios spread widely on a 2-core machine: read differences under about 10 % as noise.`,
    )
  }
  const notified = Object.entries(facts.notified).map(([id, v]) => `${id} ${fmtRange(v, 0)}`).join(', ')
  paragraphs.push(
    [
      `*Method.* Each page ran ${runs} times in rotating order, each time in a fresh browser context, served from a loopback server with COOP/COEP so that \`performance.now()\` has 5 µs resolution.`,
      `Synthetic events are created before timing and dispatched with \`dispatchEvent\` on \`document\` (the shortest event path, so a listener's share is as large as it gets).`,
      `A spread workload took ${fmt(median(facts.spanMs))} ms in ${fmt(median(facts.frames), 0)} frames (medians).`,
      `"dispatch time" sums \`performance.now()\` around the batches; ScriptDuration and TaskDuration are CDP \`Performance.getMetrics\` deltas in renderer main-thread CPU time (\`threadTicks\`), so they also hold the rAF loop and timers.`,
      `The CDP workload sends ${CDP_MOVES} \`Input.dispatchMouseEvent\` moves and ${CDP_KEYS} \`Input.dispatchKeyEvent\` key-downs, pipelined; Chromium coalesces the moves per frame as it does a real fast mouse's, so the page received ${delivered.pointermove} pointermove, ${delivered.mousemove} mousemove and ${delivered.keydown} keydown events.`,
      notified ? `Subscriber notifications per page load: ${notified}.` : '',
      Object.keys(facts.commits).length
        ? `Commits of the app component per page load, mount and sign-in included: ${Object.entries(facts.commits).map(([id, v]) => `${id} ${fmtRange(v, 0)}`).join(', ')} (without any input: 2 for sessionkit, mount and sign-in; 1 for the others, their mount).`
        : '',
    ].join(' '),
  )

  const goals = goalPage
    ? [
        {
          goal: `${goalPage === 'provider' ? 'sessionkit provider page' : 'ActivityTracker'} ≤ ${fmtRatio(GOAL_RATIO)} bare, spread workload (dispatch time)`,
          measured: `${fmtRatio(ratioOf(goalPage, goalKey))} (per run ${fmtRange(ratios(goalPage, goalKey), 2)})`,
          met: ratioOf(goalPage, goalKey) <= GOAL_RATIO,
        },
      ]
    : []
  return {
    title: 'Activity cost in Chromium',
    goals,
    markdownTable: sections.join('\n\n'),
    notes: paragraphs.join('\n\n'),
    data: { samples, facts, delivered },
  }
}
