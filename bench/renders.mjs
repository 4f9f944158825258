// Benchmark: React commits caused by activity and by the warning's countdown,
// in Chromium, on a virtual clock (bench/pages/renders.tsx). Commits are
// counted with <Profiler onRender> in React's profiling build: the production
// build with the Profiler callbacks kept, so what is counted is what an app
// ships, not the development build's extra work.
import { chromium } from 'playwright'
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs'
import { bundle } from './bundle.mjs'
import { serve } from './server.mjs'
import { waitInPage } from './wait.mjs'
import { fmtRange, median, table } from './stats.mjs'

const RUNS = 3
const EVENTS = 10_000
const SPAN_MS = 100_000
/** Goals of the issue (recorded, not asserted). */
const GOAL_ACTIVITY = 0
const GOAL_COUNTDOWN = 60

/** react-dom's profiling build: `<Profiler onRender>` is a no-op in the plain production build. */
const PROFILING_ALIAS = [{ find: /^react-dom\/client$/, replacement: 'react-dom/profiling' }]

async function site() {
  const code = await bundle('bench/pages/renders.tsx', { external: [], alias: PROFILING_ALIAS })
  return new Map([
    ['/renders.js', { type: 'text/javascript', body: code }],
    ['/renders.html', { type: 'text/html', body: '<!doctype html><meta charset="utf-8"><title>renders</title><body><script type="module" src="/renders.js"></script></body>' }],
  ])
}

const range = (values) => (values.every((v) => v === values[0]) ? String(values[0]) : fmtRange(values, 0))
const count = (obj, id) => obj?.[id] ?? 0

export async function run({ log = () => {} } = {}) {
  const server = await serve(await site())
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs })
  const runs = []
  try {
    for (let r = 0; r < RUNS; r++) {
      const context = await browser.newContext()
      try {
        const page = await context.newPage()
        const errors = []
        page.on('pageerror', (e) => errors.push(e))
        await page.goto(`${server.origin}/renders.html`)
        await waitInPage(page, () => Boolean(window.__renders))
        const out = await page.evaluate(async ([events, spanMs]) => {
          const r = window.__renders
          return {
            activity: await r.activity({ events, spanMs }),
            activityWithSession: await r.activity({ events, spanMs, withUseSession: true }),
            composed: await r.countdown({ composed: true }),
            ready: await r.countdown(),
          }
        }, [EVENTS, SPAN_MS])
        if (errors.length) throw errors[0]
        runs.push(out)
        log(
          `  renders ${r + 1}/${RUNS}: activity ${count(out.activity.commits, 'root')} commits (${out.activity.touches} touches), ` +
            `countdown ${count(out.ready.during, 'root')} + ${count(out.ready.atExpiry, 'root')} at expiry`,
        )
      } finally {
        await context.close()
      }
    }
  } finally {
    await browser.close()
    await server.close()
  }

  const all = (pick) => runs.map(pick)
  const activityRows = [
    ['whole tree (provider, useAuth consumer, closed warning)', range(all((o) => count(o.activity.commits, 'root'))), `${GOAL_ACTIVITY}`],
    ['`useAuth` consumer', range(all((o) => count(o.activity.commits, 'useAuth'))), '0'],
    ['closed `InactivityWarning`', range(all((o) => count(o.activity.commits, 'warning'))), '0'],
    ['*context*: store changes / server touches in the same 100 s', `${range(all((o) => o.activity.storeChanges))} / ${range(all((o) => o.activity.touches))}`, ''],
    ['*variant*: + a `useSession` consumer: its commits (whole tree)', `${range(all((o) => count(o.activityWithSession.commits, 'useSession')))} (${range(all((o) => count(o.activityWithSession.commits, 'root')))})`, 'not a goal'],
  ]
  const countdownRows = [
    ['ready-made `<InactivityWarning />`: commits while it counts down (59 s)', range(all((o) => count(o.ready.during, 'root'))), ''],
    ['… at the deadline (turns into the signed-out notice)', range(all((o) => count(o.ready.atExpiry, 'root'))), ''],
    ['… **the whole minute**', `**${range(all((o) => count(o.ready.during, 'root') + count(o.ready.atExpiry, 'root')))}**`, `≤ ${GOAL_COUNTDOWN}`],
    ['… most commits in any one second', range(all((o) => o.ready.maxPerSecond)), '1'],
    ['… `useAuth` consumer beside it', range(all((o) => count(o.ready.during, 'useAuth'))), '0'],
    ['… commits when the warning opened (not counted above)', range(all((o) => count(o.ready.opening, 'root'))), ''],
    ['composed warning: `Countdown` part (59 s)', range(all((o) => count(o.composed.during, 'countdown'))), '59'],
    ['… `Title`, `Description` (own text), `StayButton`, `SignOutButton`', range(all((o) => ['title', 'description', 'stay', 'sign out'].reduce((n, id) => n + count(o.composed.during, id), 0))), '0'],
    ['… whole tree (59 s)', range(all((o) => count(o.composed.during, 'root'))), ''],
  ]

  const activityTotal = median(all((o) => count(o.activity.commits, 'root')))
  const minute = median(all((o) => count(o.ready.during, 'root') + count(o.ready.atExpiry, 'root')))
  const othersDuring = median(all((o) => ['title', 'description', 'stay', 'sign out', 'useAuth'].reduce((n, id) => n + count(o.composed.during, id), 0)))
  const notes = [
    (activityTotal <= GOAL_ACTIVITY
      ? `**Goal met**: ${EVENTS.toLocaleString('en')} input events over ${SPAN_MS / 1000} s cause ${activityTotal} React commits with the provider, a \`useAuth\` consumer and a closed warning mounted (goal 0),`
      : `**Goal missed**: ${EVENTS.toLocaleString('en')} input events over ${SPAN_MS / 1000} s cause ${activityTotal} React commits with the provider, a \`useAuth\` consumer and a closed warning mounted (goal 0),`) +
      ` although the input did reach the client: the store changed ${range(all((o) => o.activity.storeChanges))} times and the server was touched ${range(all((o) => o.activity.touches))} time(s) (touch interval 60 s), and no selector those components use changed. ` +
      `A \`useSession\` consumer does re-render on each renewal (the session object and \`expireAt\` change), as documented.`,
    (minute <= GOAL_COUNTDOWN
      ? `**Goal met**: the open warning commits ${minute} times in its minute (goal ≤ ${GOAL_COUNTDOWN})`
      : `**Goal missed**: the open warning commits ${minute} times in its minute, ${minute - GOAL_COUNTDOWN} over the ≤ ${GOAL_COUNTDOWN} goal`) +
      `: one per second of countdown (the live-region announcement re-renders in the same commit at its 15 s thresholds, never on its own) and one when it turns into the signed-out notice. ` +
      (othersDuring === 0
        ? `Built from parts, only the \`Countdown\` commits; title, description, buttons and the \`useAuth\` consumer never do.`
        : `Built from parts, other parts committed ${othersDuring} times too: not only the countdown.`),
    `*Method.* Chromium, the page bundled with everything inlined and \`react-dom/client\` aliased to \`react-dom/profiling\` (production React with \`<Profiler onRender>\` active; a Profiler around each component of interest, update commits counted). ` +
      `Time is a virtual clock shared by the memory adapter (10-minute inactivity timeout), the client and the countdown, moved with \`advanceAsync\` (timers fire in order, promises and React settle between them). ` +
      `Input: ${EVENTS.toLocaleString('en')} synthetic events (pointermove, mousemove, keydown 40/40/20) dispatched on \`document\`, 100 per 100 ms of virtual time. ` +
      `Countdown: the warning opens at deadline − \`warnBefore\` (60 s), then time moves in 1 s steps to the deadline. No StrictMode (its double effects are development-only). ` +
      `${RUNS} runs in fresh browser contexts; a range is shown only where runs differed.`,
  ]
  const goals = [
    { goal: `${EVENTS.toLocaleString('en')} activity events: ${GOAL_ACTIVITY} commits (provider, useAuth, closed warning)`, measured: `${activityTotal} commits`, met: activityTotal <= GOAL_ACTIVITY },
    { goal: `one minute of open warning: ≤ ${GOAL_COUNTDOWN} commits, only the countdown`, measured: `${minute} commits; other parts ${othersDuring}`, met: minute <= GOAL_COUNTDOWN && othersDuring === 0 },
  ]
  return {
    title: 'React commits (renders)',
    goals,
    markdownTable:
      `#### ${EVENTS.toLocaleString('en')} activity events over ${SPAN_MS / 1000} s of virtual time, signed in, warning closed\n\n` +
      table(['component (Profiler)', 'update commits', 'goal'], activityRows, ['l', 'r', 'r']) +
      `\n\n#### One minute of the warning open, counting down to the deadline\n\n` +
      table(['what', 'update commits', 'goal / expected'], countdownRows, ['l', 'r', 'r']),
    notes: notes.join('\n\n'),
    data: runs,
  }
}
