'use client'
import {
  Children,
  cloneElement,
  forwardRef,
  useCallback,
  type HTMLAttributes,
  type ReactElement,
  type ReactNode,
  type Ref,
  type RefCallback,
  type SyntheticEvent,
} from 'react'

/**
 * Calls the app's handler first, then the library's, unless the app's called
 * `event.preventDefault()`.
 */
export function composeEventHandlers<E extends SyntheticEvent>(
  appHandler: ((event: E) => void) | undefined,
  ownHandler: (event: E) => void,
): (event: E) => void {
  return (event) => {
    appHandler?.(event)
    if (!event.defaultPrevented) ownHandler(event)
  }
}

/**
 * One ref callback that sets every given ref, stable while the refs are: a
 * new ref callback would detach and re-attach on every render.
 */
export function useComposedRefs<T>(...refs: Array<Ref<T> | undefined>): RefCallback<T> {
  return useCallback((node: T | null) => {
    for (const ref of refs) {
      if (typeof ref === 'function') ref(node)
      else if (ref) ref.current = node
    }
  }, refs)
}

type AnyProps = Record<string, unknown>

function mergeProps(slotProps: AnyProps, childProps: AnyProps): AnyProps {
  const merged: AnyProps = { ...slotProps, ...childProps }
  for (const key in slotProps) {
    const slotValue = slotProps[key]
    const childValue = childProps[key]
    // The child's handler first (composeEventHandlers skips a missing one).
    if (/^on[A-Z]/.test(key) && typeof slotValue === 'function') {
      merged[key] = composeEventHandlers(childValue as never, slotValue as never)
    } else if (slotValue && childValue) {
      if (key === 'className') merged[key] = `${slotValue as string} ${childValue as string}`
      else if (key === 'style') merged[key] = { ...(slotValue as object), ...(childValue as object) }
    }
  }
  return merged
}

/**
 * The child's own ref. React 19 passes it in the props (and warns when
 * `element.ref` is read); React 18 keeps it on the element, and in
 * development puts a getter in the props that warns and gives undefined.
 */
function childRef(child: ReactElement<AnyProps>): Ref<HTMLElement> | undefined {
  const inProps = Object.getOwnPropertyDescriptor(child.props, 'ref')
  return (inProps && !inProps.get ? inProps.value : (child as { ref?: unknown }).ref) as Ref<HTMLElement> | undefined
}

/**
 * `asChild`: renders its only child element with the slot's props merged in
 * (handlers composed, child's first; class names joined; refs composed).
 * `Children.only` throws unless the child is one element.
 */
export const Slot = forwardRef<HTMLElement, HTMLAttributes<HTMLElement> & { children?: ReactNode }>(function Slot(
  { children, ...slotProps },
  forwardedRef,
) {
  const child = Children.only(children) as ReactElement<AnyProps>
  const ref = useComposedRefs(forwardedRef, childRef(child))
  return cloneElement(child, { ...mergeProps(slotProps, child.props), ref })
})
