// Renders page: how many React commits activity and the warning's countdown
// cause, counted with <Profiler onRender> in React's profiling build (the
// production build with Profiler timing on; bench/renders.mjs aliases
// react-dom/client to react-dom/profiling). Time is virtual: one minute of
// countdown or 100 s of input run in a moment, and every timer the client and
// the countdown arm fires exactly when due.
import { Profiler, type ProfilerOnRenderCallback, type ReactNode } from 'react'
import { createRoot } from 'react-dom/client'
import { createMemoryAdapter } from '../../src/adapters/memory'
import { createSessionClient } from '../../src/core/client'
import { createVirtualClock } from '../../src/core/virtualClock'
import { InactivityWarning, SessionProvider, useAuth, useSession } from '../../src/react'

const SECOND = 1_000
const MINUTE = 60 * SECOND
/** 10 minutes of inactivity (a touch at most every 60 s while active), 12 hours at most. */
const POLICY = { inactivityTimeoutMs: 10 * MINUTE, maxLifetimeMs: 12 * 60 * MINUTE }

/** Commits per Profiler id, updates only (the mount is not counted). */
let commits = new Map<string, number>()
let counting = false
const onRender: ProfilerOnRenderCallback = (id, phase) => {
  if (phase === 'mount') {
    mounts++
    return
  }
  if (counting) commits.set(id, (commits.get(id) ?? 0) + 1)
}
let mounts = 0

function Counted({ id, children }: { id: string; children: ReactNode }) {
  return (
    <Profiler id={id} onRender={onRender}>
      {children}
    </Profiler>
  )
}

function AuthConsumer() {
  const { isLoaded, isSignedIn, userId } = useAuth()
  return <p>{isLoaded ? (isSignedIn ? `Signed in as ${userId}` : 'Signed out') : 'Loading…'}</p>
}

function SessionConsumer() {
  const { session } = useSession()
  return <p>Session {session?.id} until {session?.expireAt ? new Date(session.expireAt).toISOString() : '—'}</p>
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function world() {
  const clock = createVirtualClock(Date.UTC(2026, 0, 1))
  const adapter = createMemoryAdapter({ clock, policy: POLICY, signedInAs: 'ada@example.com' })
  const client = createSessionClient({ adapter, clock, eventTarget: window })
  let storeChanges = 0
  client.subscribe(() => {
    storeChanges++
  })
  const container = document.createElement('div')
  document.body.append(container)
  const root = createRoot(container)
  /** Moves virtual time and lets React finish what followed (sync commits and passive effects). */
  const advance = async (ms: number) => {
    await clock.advanceAsync(ms)
    await wait(0)
  }
  return {
    clock,
    adapter,
    client,
    root,
    advance,
    storeChanges: () => storeChanges,
    async dispose() {
      root.unmount()
      container.remove()
      client.destroy()
      await wait(0)
    },
  }
}

function start() {
  commits = new Map()
  mounts = 0
  counting = false
}

/** Input as the harness sends it: pointermove, mousemove, keydown (40/40/20), on document. */
function makeEvent(i: number): Event {
  const kind = i % 5
  if (kind === 4) return new KeyboardEvent('keydown', { bubbles: true, key: 'a', code: 'KeyA' })
  if (kind % 2 === 0) return new PointerEvent('pointermove', { bubbles: true, pointerId: 1, pointerType: 'mouse', isPrimary: true, clientX: i % 400, clientY: 10 })
  return new MouseEvent('mousemove', { bubbles: true, clientX: i % 400, clientY: 10 })
}

/**
 * `events` input events spread over `spanMs` of virtual time (in 100 ms
 * steps) with the provider, a closed warning and a useAuth consumer mounted;
 * optionally a useSession consumer too (it re-renders on each renewal, by design).
 */
async function activity({ events = 10_000, spanMs = 100 * SECOND, withUseSession = false } = {}) {
  start()
  const w = world()
  w.root.render(
    <Counted id="root">
      <SessionProvider client={w.client}>
        <Counted id="useAuth">
          <AuthConsumer />
        </Counted>
        {withUseSession ? (
          <Counted id="useSession">
            <SessionConsumer />
          </Counted>
        ) : null}
        <Counted id="warning">
          <InactivityWarning />
        </Counted>
      </SessionProvider>
    </Counted>,
  )
  await w.advance(0)
  if (w.client.getState().status !== 'signed-in') throw new Error('renders: the client did not sign in')
  if (mounts === 0) throw new Error('renders: <Profiler onRender> was never called (not the profiling build?)')
  const storeBefore = w.storeChanges()
  const callsBefore = w.adapter.calls
  commits = new Map()
  counting = true
  const steps = spanMs / 100
  const perStep = events / steps
  let sent = 0
  for (let step = 0; step < steps; step++) {
    for (let i = 0; i < perStep; i++) document.dispatchEvent(makeEvent(sent++))
    await w.advance(100)
  }
  counting = false
  const callsAfter = w.adapter.calls
  const result = {
    events: sent,
    spanMs,
    commits: Object.fromEntries(commits),
    storeChanges: w.storeChanges() - storeBefore,
    touches: callsAfter.touchSession - callsBefore.touchSession,
    phase: w.client.getState().phase,
  }
  await w.dispose()
  return result
}

/**
 * The warning open for its whole minute: from the moment it opens (deadline
 * − warnBefore) to the deadline, in 1 s steps, then the expiry. `composed`:
 * built from parts with a Profiler on each, to see which part commits;
 * otherwise the ready-made `<InactivityWarning />` (countdown + announcer).
 */
async function countdown({ composed = false } = {}) {
  start()
  const w = world()
  const warning = composed ? (
    <InactivityWarning.Root>
      <Counted id="title">
        <InactivityWarning.Title />
      </Counted>
      <Counted id="description">
        {/* Own text: the default description embeds a countdown, which would be counted here too. */}
        <InactivityWarning.Description>You will be signed out soon.</InactivityWarning.Description>
      </Counted>
      <Counted id="countdown">
        <InactivityWarning.Countdown />
      </Counted>
      <Counted id="stay">
        <InactivityWarning.StayButton />
      </Counted>
      <Counted id="sign out">
        <InactivityWarning.SignOutButton />
      </Counted>
    </InactivityWarning.Root>
  ) : (
    <InactivityWarning />
  )
  w.root.render(
    <Counted id="root">
      <SessionProvider client={w.client}>
        <Counted id="useAuth">
          <AuthConsumer />
        </Counted>
        <Counted id="warning">{warning}</Counted>
      </SessionProvider>
    </Counted>,
  )
  await w.advance(0)
  const deadline = w.client.getState().deadline
  if (deadline === null) throw new Error('renders: no deadline')
  const warnBefore = w.client.options.warnBefore
  // Up to the moment the warning opens, and let it open (those commits are counted apart).
  commits = new Map()
  counting = true
  await w.advance(deadline - warnBefore - w.clock.now())
  const opening = Object.fromEntries(commits)
  if (w.client.getState().phase !== 'warning') throw new Error(`renders: expected the warning phase, got ${w.client.getState().phase}`)
  const open = document.querySelector('dialog')?.open ?? false
  commits = new Map()
  counting = true
  const perSecond: number[] = []
  let last = 0
  const total = () => commits.get('root') ?? 0
  // One step short of the deadline: the countdown's minute.
  for (let t = 0; t < warnBefore - SECOND; t += SECOND) {
    await w.advance(SECOND)
    perSecond.push(total() - last)
    last = total()
  }
  const during = Object.fromEntries(commits)
  // The last second: the deadline passes and the warning turns into the signed-out notice.
  commits = new Map()
  await w.advance(SECOND)
  counting = false
  const atExpiry = Object.fromEntries(commits)
  const result = {
    opened: open,
    opening,
    seconds: warnBefore / SECOND,
    during,
    atExpiry,
    maxPerSecond: Math.max(...perSecond),
    statusAfter: w.client.getState().status,
  }
  await w.dispose()
  return result
}

;(window as unknown as { __renders: unknown }).__renders = { activity, countdown }
