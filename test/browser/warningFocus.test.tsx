import '../../src/react/styles.css'
import { act } from '@testing-library/react'
import { useEffect, useRef, useState } from 'react'
import { describe, expect, it } from 'vitest'
import { page, userEvent } from 'vitest/browser'
import { InactivityWarning, SignedIn, SignedOut } from '../../src/react'
import { createWorld, renderWithSession, SECOND, type World } from '../unit/react/harness'

// Real Chromium: where focus goes when the signed-out notice closes. The
// control that had it before the warning opened belonged to the signed-in
// page, which the sign-out unmounted.

const dialog = () => document.querySelector('dialog')!
const main = () => document.querySelector('main')!

/** The signed-in page's control, gone at sign-out; `signInForm` renders a sign-in form in its place. */
function Page({ signInForm = false }: { signInForm?: boolean }) {
  const [signInRequest, setSignInRequest] = useState(0)
  return (
    <main>
      <h1>Invoices</h1>
      <SignedIn>
        <button type="button">Edit document</button>
      </SignedIn>
      {signInForm && (
        <SignedOut>
          <SignInField request={signInRequest} />
        </SignedOut>
      )}
      <InactivityWarning onSignInAgain={signInForm ? () => setSignInRequest((count) => count + 1) : undefined} />
    </main>
  )
}

/** Takes focus for each sign-in request, once the notice has closed (an effect: after the commit that closes it). */
function SignInField({ request }: { request: number }) {
  const field = useRef<HTMLInputElement>(null)
  useEffect(() => {
    if (request) field.current?.focus()
  }, [request])
  return (
    <label>
      Email
      <input ref={field} type="email" />
    </label>
  )
}

async function showNotice(world: World, ui = <Page />) {
  await renderWithSession(world, ui)
  ;((await page.getByRole('button', { name: 'Edit document' }).element()) as HTMLElement).focus()
  await world.advanceToBeforeDeadline(60 * SECOND)
  await world.advance(60 * SECOND)
  await expect.element(page.getByRole('alertdialog', { name: 'You have been signed out' })).toBeVisible()
}

describe('given the signed-out notice, its page control gone, in Chromium', () => {
  it('moves focus to the main landmark on Escape, not to <body>', async () => {
    const world = createWorld()
    await showNotice(world)
    await userEvent.keyboard('{Escape}')
    await act(async () => undefined)
    expect(dialog().open).toBe(false)
    expect(document.activeElement).toBe(main())
  })

  it('moves focus to the main landmark on Sign in again, focusable only while it holds focus', async () => {
    const world = createWorld()
    await showNotice(world)
    await userEvent.click(page.getByRole('button', { name: 'Sign in again' }))
    await act(async () => undefined)
    expect(dialog().open).toBe(false)
    expect(document.activeElement).toBe(main())
    expect(main()).toHaveAttribute('tabindex', '-1')
    // Tab goes on from the top of the content, and <main> is no stop of its own after.
    await userEvent.keyboard('{Tab}')
    expect(document.activeElement).not.toBe(main())
    expect(main()).not.toHaveAttribute('tabindex')
  })

  it("leaves focus to onSignInAgain's app: a sign-in field focused once the notice has closed keeps it", async () => {
    const world = createWorld()
    await showNotice(world, <Page signInForm />)
    await userEvent.click(page.getByRole('button', { name: 'Sign in again' }))
    await act(async () => undefined)
    expect(dialog().open).toBe(false)
    expect(document.activeElement).toBe(page.getByRole('textbox', { name: 'Email' }).element())
    expect(main()).not.toHaveAttribute('tabindex')
  })

  it('moves focus to a role="main" landmark when the page has no <main>', async () => {
    const world = createWorld()
    await showNotice(
      world,
      <div role="main">
        <h1>Invoices</h1>
        <SignedIn>
          <button type="button">Edit document</button>
        </SignedIn>
        <InactivityWarning />
      </div>,
    )
    await userEvent.keyboard('{Escape}')
    await act(async () => undefined)
    expect(dialog().open).toBe(false)
    expect(document.activeElement).toBe(page.getByRole('main').element())
  })

  it('leaves no tabindex on a main landmark that cannot take focus (hidden)', async () => {
    const world = createWorld()
    await showNotice(
      world,
      <>
        <main hidden>
          <h1>Invoices</h1>
        </main>
        <SignedIn>
          <button type="button">Edit document</button>
        </SignedIn>
        <InactivityWarning />
      </>,
    )
    await userEvent.keyboard('{Escape}')
    await act(async () => undefined)
    expect(dialog().open).toBe(false)
    expect(document.activeElement).toBe(document.body)
    expect(main()).not.toHaveAttribute('tabindex')
  })

  it('still returns focus to the control when it is there', async () => {
    const world = createWorld()
    await renderWithSession(world, <Page />)
    const edit = (await page.getByRole('button', { name: 'Edit document' }).element()) as HTMLElement
    edit.focus()
    await world.advanceToBeforeDeadline(60 * SECOND)
    await userEvent.keyboard('{Escape}')
    await world.advance(0)
    expect(dialog().open).toBe(false)
    expect(document.activeElement).toBe(edit)
    expect(main()).not.toHaveAttribute('tabindex')
  })
})
