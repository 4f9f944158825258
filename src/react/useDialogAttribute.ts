'use client'
import { useRef, type RefObject } from 'react'
import { useIsomorphicLayoutEffect } from './useIsomorphicLayoutEffect'

/**
 * Points the enclosing dialog's `attribute` (`aria-labelledby`,
 * `aria-describedby`) at `id` while the element given the returned ref is
 * rendered, so the attribute never names a missing element. The element
 * finds its dialog itself: its ref is attached before this effect runs,
 * unlike the dialog's. An attribute the app set itself is kept.
 */
export function useDialogAttribute<E extends HTMLElement>(attribute: string, id: string): RefObject<E | null> {
  const own = useRef<E | null>(null)
  useIsomorphicLayoutEffect(() => {
    const dialog = own.current?.closest('dialog')
    if (!dialog || dialog.hasAttribute(attribute)) return
    dialog.setAttribute(attribute, id)
    return () => {
      if (dialog.getAttribute(attribute) === id) dialog.removeAttribute(attribute)
    }
  }, [attribute, id])
  return own
}
