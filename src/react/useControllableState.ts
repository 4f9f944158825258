'use client'
import { useCallback, useEffect, useRef, useState } from 'react'
import { warnOnce as devWarn } from '../core/development'
import { useIsomorphicLayoutEffect } from './useIsomorphicLayoutEffect'

/** Arguments of `useControllableState`. */
export interface UseControllableStateParams<T> {
  /** The controlled value; `undefined` = uncontrolled. */
  prop: T | undefined
  /** The uncontrolled starting value. */
  defaultProp: T
  /** Called with every change asked for, controlled or not. Default: none. */
  onChange?: (value: T) => void
  /** Names the component and prop in the development warning, e.g. `InactivityWarning` `open`. */
  caller: string
  propName: string
}

/**
 * State that a parent may control (`prop` + `onChange`) or leave to the
 * component (`defaultProp`), Radix-style. Warns in development when a
 * component switches between the two.
 */
export function useControllableState<T>({
  prop,
  defaultProp,
  onChange,
  caller,
  propName,
}: UseControllableStateParams<T>): [T, (next: T) => void] {
  const [uncontrolled, setUncontrolled] = useState(defaultProp)
  const isControlled = prop !== undefined
  const value = isControlled ? prop : uncontrolled

  const wasControlled = useRef(isControlled)
  useEffect(() => {
    if (wasControlled.current !== isControlled) {
      const from = wasControlled.current ? 'controlled' : 'uncontrolled'
      const to = isControlled ? 'controlled' : 'uncontrolled'
      devWarn(
        `${caller} is changing from ${from} to ${to}. Decide between \`${propName}\` (controlled) and \`default${propName[0]!.toUpperCase()}${propName.slice(1)}\` (uncontrolled) for the component's whole life.`,
      )
    }
    wasControlled.current = isControlled
  }, [isControlled, caller, propName])

  // The setter is stable and reads the latest props through refs.
  const latest = useRef({ value, isControlled, onChange })
  useIsomorphicLayoutEffect(() => {
    latest.current = { value, isControlled, onChange }
  })

  const setValue = useCallback((next: T) => {
    const { value: current, isControlled: controlled, onChange: notify } = latest.current
    if (Object.is(next, current)) return
    if (!controlled) {
      setUncontrolled(next)
      // Until React re-renders, later calls in this tick compare against the new value.
      latest.current = { ...latest.current, value: next }
    }
    notify?.(next)
  }, [])

  return [value, setValue]
}
