import type { Clock, TimerHandle } from './clock'
import type { ResolvedOptions } from './options'
import { byUser, type SessionStore } from './store'
import type { BeforeSignOut, BeforeSignOutInfo, SignOutReason } from './types'

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

/** What ending a session reaches (sessionState.ts gives its own parts). */
export interface EndingParts {
  store: SessionStore
  /** Sessions that ended here or in another tab (its news). */
  endedSessions: Set<string>
  /** The session state's: signs out at once (`share`: tells the other tabs). */
  signOut: (reason: SignOutReason | null, share: boolean) => void
  /** The session state's: re-derives deadline and phase (held while `beforeSignOut` runs). */
  reconcile: () => void
}

/**
 * Ending the session for a reason. A deadline or a remote sign-out first awaits the app's `beforeSignOut`, at
 * most `beforeSignOutTimeout`, in every tab: each saves its own work, and another tab's news meanwhile (its
 * deadline, the same one) waits for it, so the tab signs out once. The user's own sign-out never waits.
 */
export function createEnding({ clock, beforeSignOut, beforeSignOutTimeout }: ResolvedOptions, { store, endedSessions, signOut, reconcile }: EndingParts) {
  /** A sign-out waiting for `beforeSignOut`: later reasons to end join it. */
  let ending: Promise<boolean> | null = null
  return {
    /**
     * Ends the session for `reason` (`share`: tells the other tabs). Resolves whether this tab signed it out
     * first: no other tab's sign-out of it came before (that tab told the server, or heard it there).
     */
    end(reason: SignOutReason | null, share = true): Promise<boolean> {
      if (ending) return ending
      const session = store.getState().session
      /** Signs out, unless the session moved on meanwhile (another tab's news). */
      const finish = () => {
        const first = !!session && !endedSessions.has(session.id)
        if (store.getState().session?.id === session?.id) signOut(reason, share)
        // Another session is active now (another tab's news): its deadline, held while the hook ran, is shown.
        else reconcile()
        return first
      }
      if (!beforeSignOut || !session || byUser(reason)) return Promise.resolve(finish())
      // Too late to stay while it runs: the warning (at 0:00) says the session cannot be extended.
      store.patch({ renewable: false })
      const ended: Promise<boolean> = (ending = runBeforeSignOut(beforeSignOut, { reason, sessionId: session.id }, clock, beforeSignOutTimeout).then(() => {
        // Stopped meanwhile (signed out, destroyed): nothing is left to end.
        if (ending !== ended) return false
        ending = null
        return finish()
      }))
      return ended
    },
    /** Whether a sign-out waits for `beforeSignOut`. */
    busy: () => ending !== null,
    /** Forgets the sign-out waiting (signed out, destroyed): its hook's end ends nothing. */
    cancel: () => void (ending = null),
  }
}
