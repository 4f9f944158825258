'use client'
import { useId, useRef, useState, type FormEvent } from 'react'
import type { VerificationParams } from '../core/adapter'
import { isSessionKitError, toSessionKitError } from '../core/errors'
import type { SessionClient } from '../core/types'
import type { PendingReverification, VerificationStep } from './reverificationContext'
import type { ReverificationMessages } from './ReverificationDialogMessages'
import { useIsomorphicLayoutEffect } from './useIsomorphicLayoutEffect'

/** What the last attempt got wrong; `attempt` counts failures, so each one is a new node in the alert. */
interface Failure {
  message: string
  attempt: number
}

interface ReverificationFormProps {
  client: SessionClient
  request: PendingReverification
  messages: ReverificationMessages
  titleId: string
  descriptionId: string
}

/**
 * The steps of one request, one field at a time: password, then code (for
 * `multi_factor`). A step that fails keeps the user on it with the reason
 * next to the field; the last one that succeeds completes the request.
 */
export function ReverificationForm({ client, request, messages, titleId, descriptionId }: ReverificationFormProps) {
  const { steps } = request
  const [index, setIndex] = useState(0)
  const [value, setValue] = useState('')
  const [failure, setFailure] = useState<Failure | null>(null)
  const failures = useRef(0)
  const [busy, setBusy] = useState(false)
  const busyRef = useRef(false)
  const fieldRef = useRef<HTMLInputElement | null>(null)
  const cancelRef = useRef<HTMLButtonElement | null>(null)
  const formRef = useRef<HTMLFormElement | null>(null)
  const fieldId = useId()
  const errorId = useId()
  const step: VerificationStep | undefined = steps[index]

  // The field of each next step (or of a request that follows another) gets
  // focus. On opening, the dialog focuses it after showModal(): it must first
  // note where focus was, to give it back.
  useIsomorphicLayoutEffect(() => {
    if (index === 0 && !formRef.current?.closest('dialog')?.open) return
    ;(fieldRef.current ?? cancelRef.current)?.focus()
  }, [index])

  const fail = (message: string) => {
    failures.current += 1
    setFailure({ message, attempt: failures.current })
    fieldRef.current?.focus()
  }

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (!step || busyRef.current) return
    if (value === '') return fail(step === 'password' ? messages.emptyPassword : messages.emptyCode)
    const params: VerificationParams =
      step === 'password' ? { strategy: 'password', password: value } : { strategy: 'totp', code: value.trim() }
    busyRef.current = true
    setBusy(true)
    // The alert empties while the answer is checked, so a repeated message is inserted again and announced again.
    setFailure(null)
    try {
      // The session the action ran under, even if another became active meanwhile (the request then closes).
      await client.verify(params, { sessionId: request.sessionId })
    } catch (caught) {
      const e = toSessionKitError(caught)
      setValue('')
      if (isSessionKitError(e, 'invalid_credentials')) fail(step === 'password' ? messages.wrongPassword : messages.wrongCode)
      else fail(messages.failed(e))
      return
    } finally {
      busyRef.current = false
      setBusy(false)
    }
    if (index + 1 < steps.length) {
      setIndex(index + 1)
      setValue('')
      setFailure(null)
    } else {
      request.complete()
    }
  }

  const description =
    step === undefined ? messages.unavailableDescription : step === 'password' ? messages.passwordDescription : messages.codeDescription

  return (
    <form ref={formRef} className="sk-form" noValidate aria-busy={busy || undefined} onSubmit={(event) => void submit(event)}>
      <h2 id={titleId} className="sk-title">
        {messages.title}
      </h2>
      <p id={descriptionId} className="sk-description">
        {steps.length > 1 ? (
          <>
            <span className="sk-step">{messages.step(index + 1, steps.length)}</span>{' '}
          </>
        ) : null}
        {description}
      </p>
      {step ? (
        <div className="sk-field">
          {/* For password managers: which account this password is for. */}
          <input type="text" name="username" autoComplete="username" value={client.getState().user?.identifier ?? ''} readOnly hidden />
          <label htmlFor={fieldId} className="sk-label">
            {step === 'password' ? messages.passwordLabel : messages.codeLabel}
          </label>
          <input
            ref={fieldRef}
            id={fieldId}
            className="sk-input"
            {...(step === 'password'
              ? { type: 'password', name: 'password', autoComplete: 'current-password' }
              : { type: 'text', name: 'code', autoComplete: 'one-time-code', inputMode: 'numeric' as const, spellCheck: false })}
            value={value}
            onChange={(event) => setValue(event.currentTarget.value)}
            aria-invalid={failure !== null || undefined}
            aria-describedby={failure !== null ? errorId : undefined}
          />
          {/* Always present, so screen readers announce the message when it appears. Keyed by
              attempt: the same text set again would leave the DOM as it was, and nothing would be announced. */}
          <p id={errorId} className="sk-field-error" role="alert">
            {failure ? <span key={failure.attempt}>{failure.message}</span> : null}
          </p>
        </div>
      ) : null}
      <div className="sk-actions">
        <button
          ref={cancelRef}
          type="button"
          className="sk-button"
          data-variant="secondary"
          data-sk-action="cancel"
          onClick={() => request.cancel()}
        >
          {messages.cancel}
        </button>
        {step ? (
          <button type="submit" className="sk-button" data-variant="primary" data-sk-action="verify" aria-disabled={busy || undefined}>
            {messages.submit}
          </button>
        ) : null}
      </div>
    </form>
  )
}
