import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createMemoryAdapter } from '../../src/adapters/memory'
import { createSessionClient } from '../../src/core/client'
import { decodeJwt } from '../../src/core/jwt'
import { createVirtualClock } from '../../src/core/virtualClock'
import { MINUTE, SECOND } from './helpers'

/**
 * Random timelines of activity, touches, clock jumps, adapter failures,
 * sign-outs, sign-ins and session switches, checked against the invariants of
 * shared/DESIGN.md after every step.
 */
type Step =
  | { kind: 'advance'; ms: number }
  | { kind: 'jump'; ms: number }
  | { kind: 'input' }
  | { kind: 'touch' }
  | { kind: 'getToken' }
  | { kind: 'network'; mode: 'offline' | 'server-error' | null }
  | { kind: 'signOut' }
  | { kind: 'signIn'; who: 'ada@example.com' | 'grace@example.com' }
  | { kind: 'switch' }

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 3 * MINUTE }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('jump' as const), ms: fc.integer({ min: 0, max: 20 * MINUTE }) }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'input' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'touch' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'getToken' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('network' as const),
      mode: fc.constantFrom('offline' as const, 'server-error' as const, null),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'signOut' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('signIn' as const),
      who: fc.constantFrom('ada@example.com' as const, 'grace@example.com' as const),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'switch' as const }) },
)

const scenario = fc.record({
  inactivityMinutes: fc.integer({ min: 2, max: 10 }),
  maxLifetimeMinutes: fc.option(fc.integer({ min: 3, max: 30 }), { nil: null }),
  idleMinutes: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
  warnSeconds: fc.integer({ min: 0, max: 50 }),
  steps: fc.array(step, { minLength: 1, maxLength: 14 }),
})

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never

/** What a step observed, for the invariants to judge. */
interface Observation {
  step: Step
  now: number
  before: ReturnType<ReturnType<typeof createSessionClient>['getState']>
  after: ReturnType<ReturnType<typeof createSessionClient>['getState']>
  /** Session id of each token served during the step, and the active session when it arrived. */
  tokens: { sid: string; activeId: string | null; status: string }[]
  networkDown: boolean
  warnBefore: number
  /** abandonAt first seen for each session id. */
  abandonAt: Map<string, number | null>
}

async function play(s: Scenario, check: (o: Observation) => void): Promise<void> {
  const clock = createVirtualClock()
  const adapter = createMemoryAdapter({
    clock,
    policy: { inactivityTimeoutMs: s.inactivityMinutes * MINUTE, maxLifetimeMs: s.maxLifetimeMinutes && s.maxLifetimeMinutes * MINUTE },
    signedInAs: 'ada@example.com',
  })
  const warnBefore = s.warnSeconds * SECOND
  const client = createSessionClient({
    adapter,
    clock,
    eventTarget: window,
    idleTimeout: s.idleMinutes && s.idleMinutes * MINUTE,
    warnBefore,
  })
  const unmount = client.mount()
  await clock.advanceAsync(0)
  let networkDown = false
  const abandonAt = new Map<string, number | null>()
  try {
    for (const current of s.steps) {
      const before = client.getState()
      const tokens: Observation['tokens'] = []
      switch (current.kind) {
        case 'advance':
          await clock.advanceAsync(current.ms)
          break
        case 'jump':
          // A sleeping laptop: the wall clock moves, then the next timer tick.
          clock.jump(current.ms)
          await clock.advanceAsync(5 * SECOND)
          break
        case 'input':
          window.dispatchEvent(new Event('keydown'))
          await clock.advanceAsync(0)
          break
        case 'touch':
          await client.touch().catch(() => undefined)
          break
        case 'getToken': {
          const token = await client.getToken({ throwOnError: false })
          const state = client.getState()
          if (token) tokens.push({ sid: decodeJwt(token).sid, activeId: state.session?.id ?? null, status: state.status })
          break
        }
        case 'network':
          networkDown = current.mode !== null
          adapter.fail(current.mode)
          break
        case 'signOut':
          await client.signOut()
          break
        case 'signIn':
          await client.signIn({ identifier: current.who, password: 'password' }).catch(() => undefined)
          break
        case 'switch': {
          const other = client.getState().sessions.find((x) => x.status === 'active' && x.id !== client.getState().session?.id)
          if (other) await client.setActive(other.id).catch(() => undefined)
          break
        }
      }
      const after = client.getState()
      check({ step: current, now: clock.now(), before, after, tokens, networkDown, warnBefore, abandonAt })
      for (const session of after.sessions) if (!abandonAt.has(session.id)) abandonAt.set(session.id, session.abandonAt)
    }
  } finally {
    unmount()
    client.destroy()
  }
}

const RUNS = { numRuns: 1_000 }

/**
 * Timelines that once failed, replayed first on every run. A call the laptop
 * slept through (the jump) once moved every session time by half the sleep.
 */
const FOUND: Scenario[] = [
  {
    inactivityMinutes: 2,
    maxLifetimeMinutes: 3,
    idleMinutes: null,
    warnSeconds: 0,
    steps: [{ kind: 'getToken' }, { kind: 'advance', ms: 45_000 }, { kind: 'getToken' }, { kind: 'jump', ms: 255_001 }, { kind: 'advance', ms: 0 }],
  },
]
const RUNS_AND_FOUND = { ...RUNS, examples: FOUND.map((s) => [s] as [Scenario]) }

describe('over random timelines', () => {
  it('is never signed in at or after the deadline', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, (s) =>
        play(s, ({ after, now }) => {
          if (after.status === 'signed-in') expect(now).toBeLessThan(after.deadline!)
        }),
      ),
      RUNS_AND_FOUND,
    )
  }, 120_000)

  it('shows the warning exactly in [deadline − warnBefore, deadline)', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, (s) =>
        play(s, ({ after, now, warnBefore }) => {
          if (after.status !== 'signed-in') return
          const inWindow = now >= after.deadline! - warnBefore && now < after.deadline!
          expect(after.phase).toBe(inWindow ? 'warning' : 'active')
        }),
      ),
      RUNS_AND_FOUND,
    )
  }, 120_000)

  it('never extends the maximum lifetime', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, (s) =>
        play(s, ({ after, abandonAt }) => {
          for (const session of after.sessions) {
            if (abandonAt.has(session.id)) expect(session.abandonAt).toBe(abandonAt.get(session.id))
          }
          if (after.status === 'signed-in' && after.session!.abandonAt !== null) {
            expect(after.deadline!).toBeLessThanOrEqual(after.session!.abandonAt)
          }
        }),
      ),
      RUNS_AND_FOUND,
    )
  }, 120_000)

  it('serves no token for a session that is not active', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, (s) =>
        play(s, ({ tokens }) => {
          for (const token of tokens) {
            expect(token.status).toBe('signed-in')
            expect(token.sid).toBe(token.activeId)
          }
        }),
      ),
      RUNS_AND_FOUND,
    )
  }, 120_000)

  it('never signs out because of a network failure before the deadline', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, (s) =>
        play(s, ({ step: current, before, after, now, networkDown }) => {
          const lost = before.status === 'signed-in' && after.status === 'signed-out'
          if (!lost || !networkDown || current.kind === 'signOut') return
          expect(now).toBeGreaterThanOrEqual(before.deadline! - 0)
          expect(after.signOutReason).not.toBe('revoked')
        }),
      ),
      RUNS_AND_FOUND,
    )
  }, 120_000)
})
