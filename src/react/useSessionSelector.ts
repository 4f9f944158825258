'use client'
import { useCallback, useEffect, useMemo, useRef, useSyncExternalStore } from 'react'
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
  isEqual: EqualityFn<T> = Object.is,
  options?: SessionHookOptions,
): T {
  const client = useClientFor('useSessionSelector', options)
  return useClientSelector(client, selector, isEqual)
}

interface Rendered<T> {
  hasValue: boolean
  value: T
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
  const rendered = useRef<Rendered<T> | null>(null)
  if (rendered.current === null) rendered.current = { hasValue: false, value: undefined as T }
  const subscribe = useCallback((onChange: () => void) => client.subscribe(onChange), [client])

  const [getSnapshot, getServerSnapshot] = useMemo(() => {
    const inst = rendered.current!
    let memoized = false
    let memoState: SessionClientState
    let memoSelection: T
    const select = (state: SessionClientState): T => {
      if (memoized && Object.is(state, memoState)) return memoSelection
      const next = selector(state)
      memoState = state
      if (memoized && isEqual(memoSelection, next)) return memoSelection
      if (!memoized && inst.hasValue && isEqual(inst.value, next)) {
        memoized = true
        memoSelection = inst.value
        return memoSelection
      }
      memoized = true
      memoSelection = next
      return next
    }
    // The server (and hydration) sees the state the client starts in, so the
    // markup matches whatever the client learns later.
    const initial = client.getInitialState()
    return [() => select(client.getState()), () => select(initial)]
  }, [client, selector, isEqual])

  const value = useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot)
  useEffect(() => {
    rendered.current!.hasValue = true
    rendered.current!.value = value
  }, [value])
  return value
}
