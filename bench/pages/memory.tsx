// Memory page (bench/memory.mjs drives it over CDP, collecting garbage and
// reading the heap between steps):
// - `cycles(n, kind)`: mounts and unmounts n times either a SessionProvider
//   that owns its client (memory adapter, signed in, system clock, cross-tab
//   on as in any browser) with an InactivityWarning and a useAuth consumer,
//   or, as a control, a trivial component (what React itself keeps or frees).
// - `hour.*`: one client alive for an hour of virtual time, with input every
//   3 s and a getToken every 5 s.
// The classes the client is built from are exposed so the bench can count
// live instances (CDP Runtime.queryObjects): a client that was not let go
// keeps its TokenCache, ActivityTracker and TabSync alive.
import { useEffect, useState } from 'react'
import { createRoot } from 'react-dom/client'
import { createMemoryAdapter } from '../../src/adapters/memory'
import { createSessionClient } from '../../src/core/client'
import { TabSync } from '../../src/core/tabs/tabSync'
import { createVirtualClock, type VirtualClock } from '../../src/core/virtualClock'
import type { SessionClient } from '../../src/core/types'
import { InactivityWarning, SessionProvider, useAuth } from '../../src/react'

const SECOND = 1_000
const MINUTE = 60 * SECOND

function SignedInSignal({ onSignedIn }: { onSignedIn: () => void }) {
  const { isSignedIn } = useAuth()
  useEffect(() => {
    if (isSignedIn) onSignedIn()
  }, [isSignedIn, onSignedIn])
  return <p>{isSignedIn ? 'Signed in' : 'Loading…'}</p>
}

function Control({ onReady }: { onReady: () => void }) {
  const [ready, setReady] = useState(false)
  useEffect(() => {
    setReady(true)
  }, [])
  useEffect(() => {
    if (ready) onReady()
  }, [ready, onReady])
  return <p>{ready ? 'Ready' : 'Loading…'}</p>
}

const macrotask = () => new Promise((resolve) => setTimeout(resolve, 0))

/** One mount until signed in (or ready), then unmount; the owned client is destroyed a microtask later. */
async function cycle(kind: 'provider' | 'control') {
  const container = document.createElement('div')
  document.body.append(container)
  const root = createRoot(container)
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`memory: ${kind} did not get ready in 5 s`)), 5_000)
    const done = () => {
      clearTimeout(timer)
      resolve()
    }
    if (kind === 'control') {
      root.render(<Control onReady={done} />)
    } else {
      const adapter = createMemoryAdapter({ signedInAs: 'ada@example.com' })
      root.render(
        <SessionProvider adapter={adapter}>
          <SignedInSignal onSignedIn={done} />
          <InactivityWarning />
        </SessionProvider>,
      )
    }
  })
  root.unmount()
  container.remove()
  await macrotask()
}

async function cycles(n: number, kind: 'provider' | 'control') {
  const t0 = performance.now()
  for (let i = 0; i < n; i++) await cycle(kind)
  await macrotask()
  return { ms: performance.now() - t0 }
}

// ---- one hour of virtual time ---------------------------------------------

let hourWorld: { clock: VirtualClock; client: SessionClient; adapter: ReturnType<typeof createMemoryAdapter>; elapsed: number; tokens: number; nulls: number } | null = null

function hourSetup() {
  const clock = createVirtualClock(Date.UTC(2026, 0, 5, 9))
  const adapter = createMemoryAdapter({
    clock,
    // Touches every 60 s while active; the session lasts past the hour.
    policy: { inactivityTimeoutMs: 10 * MINUTE, maxLifetimeMs: 12 * 60 * MINUTE },
    signedInAs: 'ada@example.com',
  })
  const client = createSessionClient({ adapter, clock, eventTarget: window })
  const container = document.createElement('div')
  document.body.append(container)
  createRoot(container).render(
    <SessionProvider client={client}>
      <SignedInSignal onSignedIn={() => {}} />
      <InactivityWarning />
    </SessionProvider>,
  )
  hourWorld = { clock, client, adapter, elapsed: 0, tokens: 0, nulls: 0 }
}

/** Moves the hour on by `minutes`: input every 3 s, a getToken every 5 s, time in 1 s steps. */
async function hourAdvance(minutes: number) {
  const w = hourWorld!
  const end = w.elapsed + minutes * MINUTE
  const pending: Promise<void>[] = []
  for (; w.elapsed < end; w.elapsed += SECOND) {
    if (w.elapsed % (3 * SECOND) === 0) document.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, key: 'a' }))
    if (w.elapsed % (5 * SECOND) === 0) {
      w.tokens++
      pending.push(w.client.getToken().then((jwt) => void (jwt === null && w.nulls++)))
    }
    await w.clock.advanceAsync(SECOND)
  }
  await Promise.all(pending)
  return {
    elapsedMinutes: w.elapsed / MINUTE,
    status: w.client.getState().status,
    tokens: w.tokens,
    nulls: w.nulls,
    calls: w.adapter.calls,
    pendingTimers: w.clock.pendingTimers(),
  }
}

Object.assign(window, {
  __memory: { cycles, hour: { setup: hourSetup, advance: hourAdvance } },
  __classes: { TabSync, BroadcastChannel },
})
