import type { Clock, TimerHandle } from './clock'
import type { BeforeSignOut, BeforeSignOutInfo } from './types'

/** Waits for `work` (its failure included), never longer than `timeoutMs` on `clock`. */
export async function awaitAtMost(work: Promise<unknown>, clock: Clock, timeoutMs: number): Promise<void> {
  // Set at once: a promise's executor runs synchronously.
  let timer: TimerHandle
  const timeUp = new Promise<void>((resolve) => {
    timer = clock.setTimeout(resolve, timeoutMs)
  })
  try {
    await Promise.race([work, timeUp])
  } finally {
    clock.clearTimeout(timer)
  }
}

/**
 * Runs the app's `beforeSignOut`, never longer than `timeoutMs`: the sign-out
 * is never held back past it, and an error in the hook is reported (in
 * development) and changes nothing.
 */
export async function runBeforeSignOut(hook: BeforeSignOut, info: BeforeSignOutInfo, clock: Clock, timeoutMs: number): Promise<void> {
  const work = Promise.resolve().then(() => hook(info))
  await awaitAtMost(work, clock, timeoutMs).catch((error) => {
    if (process.env.NODE_ENV !== 'production') console.error('[sessionkit] beforeSignOut threw; signing out anyway.', error)
  })
}
