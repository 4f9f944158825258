import { useMutation } from '@tanstack/react-query'
import { isSessionKitError } from '../../../src'
import { useReverification } from '../../../src/react'
import { HttpError, readJson, useAuthFetch } from '../../../src/react-query'

/** What the reference server's `GET /api/sensitive` answers once the user verified recently. */
interface SensitiveResult {
  ok: boolean
  message: string
  factorVerificationAge: [number, number]
}

/**
 * Step-up reverification: `GET /api/sensitive` answers 403
 * `reverification_required` unless a factor was verified in the last 10
 * minutes. `useReverification` then opens `<ReverificationDialog />` (App.tsx)
 * and, once the user entered their password, calls the API again.
 */
export function SensitiveAction() {
  const authFetch = useAuthFetch()
  // The raw Response, not `authFetch.json`: useReverification recognises a 403 Response
  // with that code (or a SessionKitError), not the HttpError that `.json` throws.
  const callSensitive = useReverification(() => authFetch('/api/sensitive', { headers: { Accept: 'application/json' } }))
  const action = useMutation({
    mutationFn: async () => (await readJson<{ data: SensitiveResult }>(await callSensitive())).data,
  })

  return (
    <div className="sensitive">
      <h2 className="small-heading">Sensitive action</h2>
      <p className="muted">
        <code>GET /api/sensitive</code> needs a password entered in the last 10 minutes; older, it asks again.
      </p>
      <div className="actions">
        {/* aria-disabled, not disabled: focus stays on the button, and the dialog gives it back there. */}
        <button
          type="button"
          aria-disabled={action.isPending || undefined}
          onClick={() => {
            if (!action.isPending) action.mutate()
          }}
        >
          Run sensitive action
        </button>
      </div>
      {/* Always in the page, so screen readers announce each new result. */}
      <p role="status" data-testid="sensitive-result" className={action.isError ? 'error-text' : undefined}>
        {action.isPending
          ? 'Running the sensitive action…'
          : action.isSuccess
            ? `${action.data.message} Password entered ${ago(action.data.factorVerificationAge[0])}.`
            : action.isError
              ? describe(action.error)
              : ''}
      </p>
    </div>
  )
}

const ago = (minutes: number) => (minutes === 0 ? 'less than a minute ago' : `${minutes} min ago`)

function describe(error: Error): string {
  if (isSessionKitError(error, 'reverification_cancelled')) return 'Cancelled: you did not confirm it was you, so the action did not run.'
  if (isSessionKitError(error, 'signed_out')) return 'Not run: the session ended first.'
  // `readJson` throws HttpError outside 200–299, e.g. a second 403 (useReverification asks once, never loops).
  if (error instanceof HttpError && error.code === 'reverification_required') return 'Refused: the server still asks you to confirm it is you.'
  return `The sensitive action failed: ${error.message}`
}
