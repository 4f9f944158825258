import { act } from '@testing-library/react'
import { Profiler, type ProfilerOnRenderCallback, type ReactNode } from 'react'
import { beforeEach, describe, expect, it } from 'vitest'
import { InactivityWarning, useAuth, useSession, useSessionSelector } from '../../../src/react'
import { createWorld, renderWithSession, SECOND, userInput, type World } from './harness'

// Every test here renders under <StrictMode> (the harness default) and counts
// commits with <Profiler onRender>, one Profiler per component of interest.

let commits = new Map<string, number>()
const onRender: ProfilerOnRenderCallback = (id) => void commits.set(id, (commits.get(id) ?? 0) + 1)
const count = (id: string) => commits.get(id) ?? 0
const resetCounts = () => {
  commits = new Map()
}
beforeEach(resetCounts)

const Counted = ({ id, children }: { id: string; children: ReactNode }) => (
  <Profiler id={id} onRender={onRender}>
    {children}
  </Profiler>
)

function AuthBadge() {
  const { isLoaded, isSignedIn, userId } = useAuth()
  return <p>{isLoaded ? (isSignedIn ? userId : 'signed out') : 'loading'}</p>
}

function SignedInFlag() {
  const { isSignedIn } = useAuth()
  return <p>{isSignedIn ? 'yes' : 'no'}</p>
}

function SignedInSelector() {
  const signedIn = useSessionSelector((state) => state.status === 'signed-in')
  return <p>{signedIn ? 'yes' : 'no'}</p>
}

function SessionExpiry() {
  const { session } = useSession()
  return <p>{session?.id}</p>
}

function lotsOfInput(times: number) {
  for (let i = 0; i < times; i++) userInput(i % 2 ? 'keydown' : 'pointermove')
}

async function renderPage(world: World) {
  await renderWithSession(
    world,
    <>
      <Counted id="useAuth">
        <AuthBadge />
      </Counted>
      <Counted id="isSignedIn">
        <SignedInFlag />
      </Counted>
      <Counted id="selector">
        <SignedInSelector />
      </Counted>
      <Counted id="useSession">
        <SessionExpiry />
      </Counted>
      <Counted id="closed warning">
        <InactivityWarning />
      </Counted>
    </>,
  )
}

describe('given a signed-in user working in the app', () => {
  it('1,000 activity events cause no commit in useAuth, useSession or a closed warning', async () => {
    const world = createWorld()
    await renderPage(world)
    resetCounts()
    // Right after sign-in the session was just renewed: input within the
    // touch interval (60 s here) reaches no store and no component.
    lotsOfInput(1_000)
    await world.advance(500)
    expect(count('useAuth')).toBe(0)
    expect(count('isSignedIn')).toBe(0)
    expect(count('useSession')).toBe(0)
    expect(count('closed warning')).toBe(0)
  })

  it('a renewal of the session re-renders useSession only, not useAuth or the closed warning', async () => {
    const world = createWorld()
    await renderPage(world)
    // Past the touch interval (a tenth of 10 minutes), input renews the session.
    await world.advance(61 * SECOND)
    resetCounts()
    const deadline = world.client.getState().deadline!
    lotsOfInput(1_000)
    await world.advance(0)
    expect(world.client.getState().deadline).toBeGreaterThan(deadline)
    expect(count('useSession')).toBeGreaterThan(0)
    expect(count('useAuth')).toBe(0)
    expect(count('closed warning')).toBe(0)
  })

  it('a component reading only isSignedIn does not re-render on a token refresh or a touch', async () => {
    const world = createWorld()
    await renderPage(world)
    resetCounts()
    await act(async () => {
      await world.client.getToken({ skipCache: true })
      await world.client.getToken({ skipCache: true })
      await world.client.touch()
    })
    await world.advance(5 * 60 * SECOND) // background token refreshes
    expect(count('isSignedIn')).toBe(0)
    expect(count('selector')).toBe(0)
    expect(count('useAuth')).toBe(0)
  })
})

describe('given an open warning', () => {
  async function openComposedWarning(world: World) {
    await renderWithSession(
      world,
      <Counted id="warning">
        <InactivityWarning.Root>
          <Counted id="title">
            <InactivityWarning.Title />
          </Counted>
          <Counted id="description">
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
      </Counted>,
    )
    await world.advanceToBeforeDeadline(60 * SECOND)
    resetCounts()
  }

  it('re-renders only the countdown, once per second', async () => {
    const world = createWorld()
    await openComposedWarning(world)
    for (let second = 1; second <= 10; second++) {
      await world.advance(SECOND)
      expect(count('countdown')).toBe(second)
    }
    expect(count('title')).toBe(0)
    expect(count('description')).toBe(0)
    expect(count('stay')).toBe(0)
    expect(count('sign out')).toBe(0)
    // Ten commits in all: the countdown's.
    expect(count('warning')).toBe(10)
  })

  it('ignores activity while open: no commit between seconds', async () => {
    const world = createWorld()
    await openComposedWarning(world)
    lotsOfInput(1_000)
    await world.advance(999)
    expect(count('warning')).toBe(0)
  })

  it('commits once per second with the ready-made warning, the announcement included', async () => {
    const world = createWorld()
    await renderWithSession(
      world,
      <Counted id="ready">
        <InactivityWarning />
      </Counted>,
    )
    await world.advanceToBeforeDeadline(60 * SECOND)
    resetCounts()
    // From 1:00 to 0:47: no announcement threshold is crossed.
    for (let second = 1; second <= 13; second++) await world.advance(SECOND)
    expect(count('ready')).toBe(13)
    // 0:45 moves the countdown and the announcement, in one commit.
    await world.advance(2 * SECOND)
    expect(count('ready')).toBe(15)
  })
})
