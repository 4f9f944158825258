import './dialogPolyfill'
import { act, cleanup, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { StrictMode, type ReactNode, type SyntheticEvent } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { useModalDialog } from '../../../src/react/useModalDialog'
import { isModal } from './dialogPolyfill'

// jsdom: what the hook decides (focus in and back, Escape, where Tab wraps).
// The browser's own part (top layer, Tab leaving for its UI) is in
// test/browser/dialogKeyboard.test.tsx.

const user = () => userEvent.setup({ delay: null })
afterEach(cleanup)

interface TestDialogProps {
  open: boolean
  onDismiss?: () => void
  onCancel?: (event: SyntheticEvent<HTMLDialogElement>) => void
  contentKey?: unknown
  children?: ReactNode
}

function TestDialog({ open, onDismiss = () => undefined, onCancel, contentKey, children }: TestDialogProps) {
  const { dialogRef, dialogHandlers } = useModalDialog({
    open,
    onDismiss,
    onCancel,
    contentKey,
    initialFocus: (dialog) => dialog.querySelector<HTMLElement>('[data-initial]'),
  })
  return (
    <dialog ref={dialogRef} aria-label="Test dialog" {...dialogHandlers}>
      {open ? (children ?? <ThreeButtons />) : null}
    </dialog>
  )
}

function ThreeButtons() {
  return (
    <>
      <button>First</button>
      <button data-initial>Middle</button>
      <button>Last</button>
    </>
  )
}

function renderPage(props: TestDialogProps) {
  const ui = (next: TestDialogProps) => (
    <StrictMode>
      <button>Edit document</button>
      <TestDialog {...next} />
    </StrictMode>
  )
  const result = render(ui(props))
  return { ...result, rerender: (next: TestDialogProps) => result.rerender(ui(next)) }
}

const dialog = () => screen.getByRole('dialog', { hidden: true }) as HTMLDialogElement
const button = (name: string) => screen.getByRole('button', { name })

describe('given a dialog that opens', () => {
  it('shows it as a modal and focuses the initial element', () => {
    const { rerender } = renderPage({ open: false })
    expect(isModal(dialog())).toBe(false)
    rerender({ open: true })
    expect(isModal(dialog())).toBe(true)
    expect(button('Middle')).toHaveFocus()
  })

  it('returns focus to what was focused before it opened, when it closes', async () => {
    const { rerender } = renderPage({ open: false })
    button('Edit document').focus()
    rerender({ open: true })
    expect(button('Middle')).toHaveFocus()
    rerender({ open: false })
    await act(async () => undefined)
    expect(dialog().open).toBe(false)
    expect(button('Edit document')).toHaveFocus()
  })

  it('focuses the initial element again when its content changes while open', () => {
    const { rerender } = renderPage({ open: true, contentKey: 'warning' })
    button('First').focus()
    rerender({ open: true, contentKey: 'warning' })
    expect(button('First')).toHaveFocus()
    rerender({ open: true, contentKey: 'notice' })
    expect(button('Middle')).toHaveFocus()
  })
})

describe('given an open dialog', () => {
  it('asks the component on Escape and stays open until it says close', async () => {
    const onDismiss = vi.fn()
    const { rerender } = renderPage({ open: true, onDismiss })
    await user().keyboard('{Escape}')
    expect(onDismiss).toHaveBeenCalledOnce()
    expect(dialog().open).toBe(true)
    rerender({ open: false, onDismiss })
    await act(async () => undefined)
    expect(dialog().open).toBe(false)
    // Its own close() is not a dismissal.
    expect(onDismiss).toHaveBeenCalledOnce()
  })

  it("leaves Escape to the app's cancel handler when it calls preventDefault", async () => {
    const onDismiss = vi.fn()
    renderPage({ open: true, onDismiss, onCancel: (event) => event.preventDefault() })
    await user().keyboard('{Escape}')
    expect(onDismiss).not.toHaveBeenCalled()
    expect(dialog().open).toBe(true)
  })

  it('treats the browser closing it on its own as a dismissal', async () => {
    const onDismiss = vi.fn()
    renderPage({ open: true, onDismiss })
    // StrictMode's close-and-show-again on mount fires a late `close` first; it is not the browser's.
    await act(async () => undefined)
    expect(onDismiss).not.toHaveBeenCalled()
    act(() => dialog().close())
    await act(async () => undefined)
    expect(onDismiss).toHaveBeenCalledOnce()
  })

  it('wraps Tab from the last button to the first, and Shift+Tab back', async () => {
    renderPage({ open: true })
    button('Last').focus()
    await user().tab()
    expect(button('First')).toHaveFocus()
    await user().tab({ shift: true })
    expect(button('Last')).toHaveFocus()
  })

  it('leaves Tab between the first and the last to the browser', async () => {
    renderPage({ open: true })
    button('First').focus()
    await user().tab()
    expect(button('Middle')).toHaveFocus()
  })

  it('skips what cannot take focus when finding the first and the last', async () => {
    renderPage({
      open: true,
      children: (
        <>
          <button disabled>Unavailable</button>
          <input type="hidden" name="state" />
          <input aria-label="Code" data-initial />
          <button>Continue</button>
          <button hidden>Hidden</button>
          <span tabIndex={-1}>Not a stop</span>
        </>
      ),
    })
    button('Continue').focus()
    await user().tab()
    expect(screen.getByRole('textbox', { name: 'Code' })).toHaveFocus()
    await user().tab({ shift: true })
    expect(button('Continue')).toHaveFocus()
  })

  it('keeps focus in a dialog with nothing else to go to', async () => {
    renderPage({ open: true, children: <button data-initial>Sign in again</button> })
    expect(button('Sign in again')).toHaveFocus()
    await user().tab()
    expect(button('Sign in again')).toHaveFocus()
    await user().tab({ shift: true })
    expect(button('Sign in again')).toHaveFocus()
  })
})
