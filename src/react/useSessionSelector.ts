'use client'
import { useCallback, useRef } from 'react'
import { useStore } from 'zustand'
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
 * zustand's `useStore` on the client (it has the store's `getState`,
 * `getInitialState` and `subscribe`), with a memo: the same state and selector
 * give the last selection, and a new selection equal to it (by `isEqual`) is
 * replaced by it, so inline selectors that build objects do not re-render on
 * every store change. The server (and hydration) sees the state the client
 * starts in, so the markup matches whatever the client learns later.
 */
export function useClientSelector<T>(
  client: SessionClient,
  selector: (state: SessionClientState) => T,
  isEqual: EqualityFn<T> = Object.is,
): T {
  const last = useRef<{ state: SessionClientState; selector: unknown; value: T } | null>(null)
  // Stable while `selector` and `isEqual` are: it becomes zustand's getSnapshot,
  // and a new one each render would have React check the store again after every commit.
  const select = useCallback(
    (state: SessionClientState) => {
      const kept = last.current
      if (kept?.state === state && kept.selector === selector) return kept.value
      const next = selector(state)
      const value = kept && isEqual(kept.value, next) ? kept.value : next
      last.current = { state, selector, value }
      return value
    },
    [selector, isEqual],
  )
  return useStore(client, select)
}
