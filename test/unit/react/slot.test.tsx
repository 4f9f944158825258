import { render } from '@testing-library/react'
import { createRef, type ReactElement } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { Slot } from '../../../src/react/Slot'

describe('Slot (asChild)', () => {
  it("sets the child's own ref and the slot's", () => {
    const own = createRef<HTMLButtonElement>()
    const forwarded = createRef<HTMLElement>()
    const error = vi.spyOn(console, 'error')
    render(
      <Slot ref={forwarded}>
        <button ref={own}>Go</button>
      </Slot>,
    )
    expect(own.current).toBeInstanceOf(HTMLButtonElement)
    expect(forwarded.current).toBe(own.current)
    // React 19 warns when element.ref is read for an element with a ref: the slot reads its props instead.
    expect(error).not.toHaveBeenCalled()
    error.mockRestore()
  })

  it('reads no ref a child without one does not have, without a warning', () => {
    const forwarded = createRef<HTMLElement>()
    const error = vi.spyOn(console, 'error')
    render(
      <Slot ref={forwarded}>
        <button>Go</button>
      </Slot>,
    )
    expect(forwarded.current).toBeInstanceOf(HTMLButtonElement)
    expect(error).not.toHaveBeenCalled()
    error.mockRestore()
  })

  it("sets the child's own ref when the element holds it, as React 18 makes elements", () => {
    const own = createRef<HTMLButtonElement>()
    const forwarded = createRef<HTMLElement>()
    // React 18 keeps the ref on the element, never in its props.
    const child = { ...<button>Go</button>, ref: own } as ReactElement
    expect('ref' in (child.props as object)).toBe(false)
    render(<Slot ref={forwarded}>{child}</Slot>)
    expect(own.current).toBeInstanceOf(HTMLButtonElement)
    expect(forwarded.current).toBe(own.current)
  })
})
