'use client'
import { useEffect, useMemo, useRef, useSyncExternalStore } from 'react'
import type { SessionClient, SessionClientState } from '../core/types'
import { useClientFor, type SessionHookOptions } from './context'

/** Compares two selections; `true` keeps the previous one (and skips the re-render). */
export type EqualityFn<T> = (a: T, b: T) => boolean

/**
 * The state slice `selector` picks, re-rendering only when it changes by
 * `isEqual` (default `Object.is`; pass `shallow` from `zustand/shallow` for
 * selectors that build objects). Every sessionkit hook is built on it.
 */
export function useSessionSelector<T>(
  selector: (state: SessionClientState) => T,
  isEqual?: EqualityFn<T>,
  options?: SessionHookOptions,
): T {
  return useClientSelector(useClientFor('useSessionSelector', options), selector, isEqual)
}

/**
 * `useSyncExternalStoreWithSelector`, by hand: the last rendered selection is
 * kept, and a new selection equal to it is replaced by it, so inline
 * selectors that build objects do not re-render on every store change.
 */
export function useClientSelector<T>(
  client: SessionClient,
  selector: (state: SessionClientState) => T,
  isEqual: EqualityFn<T> = Object.is,
): T {
  // The last committed selection, boxed (null before the first commit).
  const rendered = useRef<{ value: T } | null>(null)

  const [getSnapshot, getServerSnapshot] = useMemo(() => {
    // The last state selected from and what it gave; a new selector starts from the rendered value.
    let memo: { state: SessionClientState; value: T } | null = null
    const select = (state: SessionClientState): T => {
      if (memo?.state !== state) {
        const next = selector(state)
        const kept = memo ?? rendered.current
        memo = { state, value: kept && isEqual(kept.value, next) ? kept.value : next }
      }
      return memo.value
    }
    // The server (and hydration) sees the state the client starts in, so the
    // markup matches whatever the client learns later.
    const initial = client.getInitialState()
    return [() => select(client.getState()), () => select(initial)]
  }, [client, selector, isEqual])

  // The client's `subscribe` is a stable function of the client (the store's own).
  const value = useSyncExternalStore(client.subscribe, getSnapshot, getServerSnapshot)
  useEffect(() => {
    rendered.current = { value }
  }, [value])
  return value
}
