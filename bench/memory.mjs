// Benchmark: does sessionkit let go of memory? In Chromium (bench/pages/memory.tsx),
// with the JS heap read over CDP after forced garbage collection:
// 1. 1,000 mounts and unmounts of a SessionProvider that owns its client,
//    beside a control (a trivial component mounted and unmounted as often);
// 2. one client alive for an hour of virtual time with input and tokens in use.
// Live instances of the client's classes are counted too (CDP
// Runtime.queryObjects): a leaked client keeps its TabSync alive.
import { chromium } from 'playwright'
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs'
import { bundle } from './bundle.mjs'
import { serve } from './server.mjs'
import { waitInPage } from './wait.mjs'
import { fmt, median, table } from './stats.mjs'

const CYCLES = 1_000
const CHUNKS = 4
const WARMUP = 50
const HOUR_MINUTES = 60
const HOUR_STEP = 10
/** After the cycles, wait this long (real time) and measure again: past the client's 5 s timer chunks. */
const SETTLE_MS = 6_000
// Instances counted by prototype. The rest of a client's parts are closures now (no
// prototype to count); every client with cross-tab sync has exactly one TabSync, so
// TabSync counts the live clients.
const CLASSES = ['TabSync', 'BroadcastChannel']

async function site() {
  const code = await bundle('bench/pages/memory.tsx', { external: [] })
  return new Map([
    ['/memory.js', { type: 'text/javascript', body: code }],
    ['/memory.html', { type: 'text/html', body: '<!doctype html><meta charset="utf-8"><title>memory</title><body><script type="module" src="/memory.js"></script></body>' }],
  ])
}

const kB = (bytes) => `${(bytes / 1024).toFixed(1)} kB`
const signedKB = (bytes) => `${bytes >= 0 ? '+' : '−'}${(Math.abs(bytes) / 1024).toFixed(1)} kB`

/** A page with CDP: heap after GC (median of 3, and their spread), live instance counts. */
async function openPage(browser, origin) {
  const context = await browser.newContext()
  const page = await context.newPage()
  const errors = []
  page.on('pageerror', (e) => errors.push(e))
  await page.goto(`${origin}/memory.html`)
  await waitInPage(page, () => Boolean(window.__memory))
  const cdp = await context.newCDPSession(page)
  await cdp.send('HeapProfiler.enable')
  const gc = async () => {
    // Twice: the first pass can leave objects that only a second one frees (weak references, finalizers).
    await cdp.send('HeapProfiler.collectGarbage')
    await cdp.send('HeapProfiler.collectGarbage')
  }
  const heap = async () => {
    const samples = []
    for (let i = 0; i < 3; i++) {
      await gc()
      samples.push((await cdp.send('Runtime.getHeapUsage')).usedSize)
    }
    return { used: median(samples), spread: Math.max(...samples) - Math.min(...samples) }
  }
  const live = async () => {
    const counts = {}
    for (const name of CLASSES) {
      const { result: proto } = await cdp.send('Runtime.evaluate', { expression: `window.__classes.${name}.prototype` })
      const { objects } = await cdp.send('Runtime.queryObjects', { prototypeObjectId: proto.objectId })
      const { result } = await cdp.send('Runtime.callFunctionOn', {
        objectId: objects.objectId,
        functionDeclaration: 'function () { return this.length }',
        returnByValue: true,
      })
      counts[name] = result.value
      await cdp.send('Runtime.releaseObject', { objectId: objects.objectId })
      await cdp.send('Runtime.releaseObject', { objectId: proto.objectId })
    }
    return counts
  }
  /** A heap snapshot summed by node type (object, closure, code, string, …): self sizes and counts. */
  const snapshot = async () => {
    const chunks = []
    const onChunk = (e) => chunks.push(e.chunk)
    cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk)
    try {
      await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
    } finally {
      cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk)
    }
    return summarize(JSON.parse(chunks.join('')))
  }
  return {
    page,
    heap,
    live,
    snapshot,
    check: () => {
      if (errors.length) throw errors[0]
    },
    close: () => context.close(),
  }
}

async function mountCycles(browser, origin, kind, log) {
  const p = await openPage(browser, origin)
  try {
    await p.page.evaluate(([n, k]) => window.__memory.cycles(n, k), [WARMUP, kind])
    const before = await p.heap()
    const liveBefore = await p.live()
    const snapBefore = await p.snapshot()
    const points = [{ cycles: 0, ...before }]
    let ms = 0
    for (let c = 1; c <= CHUNKS; c++) {
      const r = await p.page.evaluate(([n, k]) => window.__memory.cycles(n, k), [CYCLES / CHUNKS, kind])
      ms += r.ms
      points.push({ cycles: (c * CYCLES) / CHUNKS, ...(await p.heap()) })
    }
    const liveAfter = await p.live()
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS))
    const settled = { ...(await p.heap()), live: await p.live(), growth: snapshotGrowth(snapBefore, await p.snapshot()) }
    p.check()
    const after = points.at(-1)
    log(`  memory ${kind}: ${kB(before.used)} → ${kB(after.used)} after ${CYCLES} cycles (${fmt(ms / CYCLES)} ms per cycle); live ${JSON.stringify(liveAfter)}`)
    return { kind, before, after, points, liveBefore, liveAfter, settled, msPerCycle: ms / CYCLES }
  } finally {
    await p.close()
  }
}

async function hourOfUse(browser, origin, log) {
  const p = await openPage(browser, origin)
  try {
    await p.page.evaluate(() => window.__memory.hour.setup())
    // The first minute warms everything up (first token, first touch, JIT).
    const first = await p.page.evaluate(() => window.__memory.hour.advance(1))
    const points = [{ minute: 1, ...(await p.heap()) }]
    const liveStart = await p.live()
    const snapStart = await p.snapshot()
    let last = first
    for (let m = 1; m < HOUR_MINUTES; m += HOUR_STEP) {
      const step = Math.min(HOUR_STEP, HOUR_MINUTES - m)
      last = await p.page.evaluate((n) => window.__memory.hour.advance(n), step)
      points.push({ minute: last.elapsedMinutes, ...(await p.heap()) })
    }
    const liveEnd = await p.live()
    const growth = snapshotGrowth(snapStart, await p.snapshot())
    p.check()
    log(`  memory hour: ${kB(points[0].used)} → ${kB(points.at(-1).used)}; ${last.calls.createToken} mints, ${last.calls.touchSession} touches; ${last.status}`)
    return { points, first, last, liveStart, liveEnd, growth }
  } finally {
    await p.close()
  }
}

/** Sums a heap snapshot by node type, and by constructor name for JS objects. */
function summarize(snap) {
  const fields = snap.snapshot.meta.node_fields
  const types = snap.snapshot.meta.node_types[0]
  const [ti, ni, si] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f))
  const byType = {}
  const byName = {}
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const type = types[snap.nodes[i + ti]]
    const size = snap.nodes[i + si]
    const t = (byType[type] ??= { count: 0, bytes: 0 })
    t.count++
    t.bytes += size
    if (type === 'object' || type === 'closure') {
      const name = `${type}:${snap.strings[snap.nodes[i + ni]]}`
      const n = (byName[name] ??= { count: 0, bytes: 0 })
      n.count++
      n.bytes += size
    }
  }
  return { byType, byName }
}

/** What grew between two snapshots: compiled code apart from everything else (JS objects, closures, strings, arrays, DOM). */
function snapshotGrowth(a, b) {
  const kinds = new Set([...Object.keys(a.byType), ...Object.keys(b.byType)])
  let code = 0
  let data = 0
  for (const kind of kinds) {
    const d = (b.byType[kind]?.bytes ?? 0) - (a.byType[kind]?.bytes ?? 0)
    if (kind === 'code') code += d
    else data += d
  }
  // The node types (and JS constructors) that grew most, code aside.
  const diff = (x, y) =>
    Object.keys(y)
      .map((name) => ({ name, count: y[name].count - (x[name]?.count ?? 0), bytes: y[name].bytes - (x[name]?.bytes ?? 0) }))
      .filter((d) => d.bytes > 1024)
      .sort((p, q) => q.bytes - p.bytes)
  const topTypes = diff(a.byType, b.byType).filter((d) => d.name !== 'code').slice(0, 3)
  const topNames = diff(a.byName, b.byName).slice(0, 3)
  return { code, data, topTypes, topNames }
}

/** Least-squares slope of y over x. */
function slope(xs, ys) {
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length
  const my = ys.reduce((a, b) => a + b, 0) / ys.length
  let num = 0
  let den = 0
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i] - mx) * (ys[i] - my)
    den += (xs[i] - mx) ** 2
  }
  return den === 0 ? 0 : num / den
}

export async function run({ log = () => {} } = {}) {
  const server = await serve(await site())
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs })
  let control
  let provider
  let hour
  try {
    control = await mountCycles(browser, server.origin, 'control', log)
    provider = await mountCycles(browser, server.origin, 'provider', log)
    hour = await hourOfUse(browser, server.origin, log)
  } finally {
    await browser.close()
    await server.close()
  }

  const growth = (r) => r.after.used - r.before.used
  const settledGrowth = (r) => r.settled.used - r.before.used
  const perCycle = (r) => growth(r) / CYCLES
  const cycleRow = (label, r) => [
    label,
    kB(r.before.used),
    r.points
      .slice(1)
      .map((p) => signedKB(p.used - r.before.used))
      .join(', '),
    `**${signedKB(growth(r))}** (${fmt(perCycle(r))} B per cycle)`,
    `**${signedKB(settledGrowth(r))}**`,
    `${signedKB(r.settled.growth.data)} / ${signedKB(r.settled.growth.code)}`,
    `${fmt(r.msPerCycle)} ms`,
  ]
  const cyclesTable = table(
    [
      'mounted and unmounted',
      `heap before (after ${WARMUP} warm-up cycles)`,
      `growth after ${CYCLES / CHUNKS}, ${CYCLES / 2}, ${(3 * CYCLES) / 4}, ${CYCLES}`,
      `growth after ${CYCLES}`,
      `${SETTLE_MS / 1000} s later`,
      'of which data / compiled code (snapshot diff)',
      'time per cycle',
    ],
    [cycleRow('control: a trivial component', control), cycleRow('`SessionProvider` owning its client (memory adapter, signed in) + `InactivityWarning` + `useAuth`', provider)],
    ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
  )
  const liveRow = (label, counts) => [label, ...CLASSES.map((c) => String(counts[c]))]
  const liveTable = table(
    ['live instances (after GC)', ...CLASSES.map((c) => `\`${c}\``)],
    [
      liveRow('before the provider cycles', provider.liveBefore),
      liveRow(`right after ${CYCLES} provider cycles`, provider.liveAfter),
      liveRow(`${SETTLE_MS / 1000} s later`, provider.settled.live),
    ],
    ['l', ...CLASSES.map(() => 'r')],
  )
  const hp = hour.points
  const hourSlope = slope(
    hp.map((p) => p.minute),
    hp.map((p) => p.used),
  )
  const lateSlope = slope(
    hp.slice(1).map((p) => p.minute),
    hp.slice(1).map((p) => p.used),
  )
  const hourGrowth = hp.at(-1).used - hp[0].used
  const hourTable = table(
    ['minute (virtual)', ...hp.map((p) => String(p.minute))],
    [
      ['heap after GC', ...hp.map((p) => kB(p.used))],
      ['vs minute 1', ...hp.map((p) => signedKB(p.used - hp[0].used))],
    ],
    ['l', ...hp.map(() => 'r')],
  )

  // A leak keeps objects: live client instances, or data (not compiled code) growing beyond the control's.
  const DATA_MARGIN = 64 * 1024
  const leakedClients = provider.settled.live.TabSync - provider.liveBefore.TabSync
  const extraData = provider.settled.growth.data - control.settled.growth.data
  const list = (xs) => xs.map((x) => `\`${x.name}\` ${signedKB(x.bytes)} (${x.count >= 0 ? '+' : ''}${x.count} nodes)`).join(', ')
  // `native` nodes are V8's and Blink's own structures; `object:`/`closure:` names are JS constructors and functions.
  const names = (g) =>
    `${list(g.topTypes) || 'no node type grew by more than 1 kB'}; ` +
    (g.topNames.length ? `JS objects: ${list(g.topNames)}` : 'no JS object or closure type grew by more than 1 kB')
  const cycleVerdict =
    leakedClients > 0 || extraData > DATA_MARGIN
      ? `**Growth beyond noise**: ${SETTLE_MS / 1000} s after ${CYCLES} mounts and unmounts the heap is ${signedKB(settledGrowth(provider))} from the start against ${signedKB(settledGrowth(control))} for the control; ` +
        `data (everything but compiled code) grew ${signedKB(provider.settled.growth.data)} (control ${signedKB(control.settled.growth.data)}), and ${provider.settled.live.TabSync} \`TabSync\` instances (one per client) are alive (before: ${provider.liveBefore.TabSync}). Largest growth: ${names(provider.settled.growth)}.`
      : `**No growth beyond noise**: no client outlived its provider (${provider.liveAfter.TabSync} live \`TabSync\` and ${provider.liveAfter.BroadcastChannel} \`BroadcastChannel\` right after the ${CYCLES} cycles), and ${SETTLE_MS / 1000} s later the heap is ${signedKB(settledGrowth(provider))} from the start against ${signedKB(settledGrowth(control))} for the control: ` +
        `by heap snapshot, data (everything but compiled code) changed ${signedKB(provider.settled.growth.data)} (control ${signedKB(control.settled.growth.data)}; largest: ${names(provider.settled.growth)}) and compiled code ${signedKB(provider.settled.growth.code)}. ` +
        `Right after the cycles the heap was ${signedKB(growth(provider))} (${fmt(perCycle(provider))} B per cycle, control ${signedKB(growth(control))}): the difference is released within seconds, with no sessionkit object still alive, so it is not held by the client.`
  const hourData = hour.growth.data
  const hourVerdict =
    hourData > DATA_MARGIN
      ? `**Growth beyond noise** over the hour: the heap grew ${signedKB(hourGrowth)} from minute 1 to ${HOUR_MINUTES}, ${signedKB(hourData)} of it data (not compiled code). Largest growth: ${names(hour.growth)}.`
      : `**No growth beyond noise** in data over the hour: the heap grew ${signedKB(hourGrowth)} from minute 1 to ${HOUR_MINUTES} (${signedKB(lateSlope * 60)} per hour after minute ${hp[1]?.minute ?? 1}, by least squares), ` +
        `but by heap snapshot ${signedKB(hour.growth.code)} of it is compiled code (V8 optimizing more of the client as it runs) and data changed ${signedKB(hourData)} (largest: ${names(hour.growth)}).`
  const notes = [
    cycleVerdict,
    hourVerdict +
      ` In that hour the client stayed ${hour.last.status}, served ${hour.last.tokens} \`getToken()\` calls (${hour.last.nulls} null) from ${hour.last.calls.createToken} token mints, touched the server ${hour.last.calls.touchSession} times, and had ${hour.last.pendingTimers} timers pending at the end; ` +
      `live \`TabSync\`/\`BroadcastChannel\` instances: ${hour.liveEnd.TabSync}/${hour.liveEnd.BroadcastChannel}. The heap also holds the memory adapter (the in-page stand-in for the server).`,
    `*Method.* Chromium, one fresh browser context per scenario; the page bundled with everything inlined (production React). ` +
      `Heap = CDP \`Runtime.getHeapUsage\` \`usedSize\` after two \`HeapProfiler.collectGarbage\` passes, read 3 times (median; the reads agreed to the byte, so the comparison with the control is the noise floor). ` +
      `A cycle creates a root, renders the provider (its own client on a new memory adapter, system clock, cross-tab on: BroadcastChannel and Web Locks), waits until \`useAuth\` reports signed in, unmounts, removes the container and yields a task (the provider destroys its client a microtask after unmount). ` +
      `${WARMUP} warm-up cycles come first; the control does the same with a component that renders twice. ` +
      `"data / compiled code" splits the growth between two heap snapshots (CDP \`HeapProfiler.takeHeapSnapshot\`, summed by node type) into V8 code objects and everything else. ` +
      `Live instances: CDP \`Runtime.queryObjects\` on each class's prototype. ` +
      `The hour: one client on a virtual clock (10-minute inactivity timeout, so touches every 60 s), mounted with the warning and a \`useAuth\` consumer, a key-down every 3 s and a \`getToken()\` every 5 s, time moved in 1 s steps; heap read after minute 1 and every ${HOUR_STEP} minutes, snapshots at minute 1 and ${HOUR_MINUTES}.`,
  ]
  const cyclesLeak = leakedClients > 0 || extraData > DATA_MARGIN
  const goals = [
    { goal: `${CYCLES.toLocaleString('en')} mounts/unmounts: no growth beyond noise`, measured: `${signedKB(settledGrowth(provider))} settled (control ${signedKB(settledGrowth(control))}); data ${signedKB(provider.settled.growth.data)}; ${provider.settled.live.TabSync} live clients`, met: !cyclesLeak },
    { goal: 'one hour of use: no growth beyond noise', measured: `${signedKB(hourGrowth)} (data ${signedKB(hourData)}, code ${signedKB(hour.growth.code)})`, met: hourData <= DATA_MARGIN },
  ]
  return {
    title: 'Memory',
    goals,
    markdownTable:
      `#### ${CYCLES.toLocaleString('en')} mounts and unmounts\n\n${cyclesTable}\n\n${liveTable}\n\n` +
      `#### One hour of virtual time: client alive, input every 3 s, getToken every 5 s\n\n${hourTable}`,
    notes: notes.join('\n\n'),
    data: { control, provider, hour },
  }
}
