'use client'
import { useCallback, useEffect, useRef, useState } from 'react'
import { DEV, warnOnce } from '../core/development'
import { useIsomorphicLayoutEffect } from './useIsomorphicLayoutEffect'

/**
 * State that a parent may control (`prop`, `undefined` = uncontrolled, with
 * `onChange`) or leave to the component (starting at `defaultProp`),
 * Radix-style. `onChange` hears every change asked for, controlled or not.
 * The setter is stable and reads the latest props through a ref.
 */
export function useControllableState<T>(
  prop: T | undefined,
  defaultProp: T,
  onChange?: (value: T) => void,
): [T, (next: T) => void] {
  const [uncontrolled, setUncontrolled] = useState(defaultProp)
  const value = prop === undefined ? uncontrolled : prop
  const latest = useRef({ prop, value, onChange })
  useIsomorphicLayoutEffect(() => {
    latest.current = { prop, value, onChange }
  })
  const setValue = useCallback((next: T) => {
    const current = latest.current
    if (Object.is(next, current.value)) return
    if (current.prop === undefined) {
      setUncontrolled(next)
      // Until React re-renders, later calls in this tick compare against the new value.
      current.value = next
    }
    current.onChange?.(next)
  }, [])
  return [value, setValue]
}

/**
 * Development only, so defined only there (a function declaration would stay
 * in a production bundle): warns when a component switches between
 * controlled and uncontrolled, e.g. `InactivityWarning` `open`. Call it as
 * `if (DEV) useWarnOnControlSwitch!(…)`.
 */
export const useWarnOnControlSwitch = DEV
  ? (controlled: boolean, caller: string, propName: string): void => {
      const wasControlled = useRef(controlled)
      useEffect(() => {
        if (wasControlled.current !== controlled) {
          const mode = (isControlled: boolean) => (isControlled ? 'controlled' : 'uncontrolled')
          warnOnce(
            `${caller} is changing from ${mode(wasControlled.current)} to ${mode(controlled)}. Decide between \`${propName}\` (controlled) and \`default${propName[0]!.toUpperCase()}${propName.slice(1)}\` (uncontrolled) for the component's whole life.`,
          )
        }
        wasControlled.current = controlled
      }, [controlled, caller, propName])
    }
  : undefined
