// A page with one action the "server" refuses until the user verified
// recently, as the reference server's GET /api/sensitive does. Built only
// from the public API.
import { useState, type ReactNode } from 'react'
import { resolveReverification, type ReverificationCheck } from '../../src/core/authorization'
import { SessionKitError } from '../../src/core/errors'
import { useReverification, useSessionClient, type UseReverificationOptions } from '../../src/react'
import { DemoPage } from '../demo/DemoPage'

/** The simulated API: answers like the reference server, with the level in the error's meta. */
export function useSensitiveAction(check: ReverificationCheck) {
  const client = useSessionClient()
  return async (amount: number) => {
    if (!client.checkAuthorization({ reverification: check })) {
      throw new SessionKitError('reverification_required', 'Confirm it is you (verify again) to continue.', {
        status: 403,
        reverification: resolveReverification(check),
      })
    }
    return `Paid out ${amount} €.`
  }
}

/** "Pay out", wrapped in `useReverification`, and what came of it. */
export function PayOut({ check = 'strict', options }: { check?: ReverificationCheck; options?: UseReverificationOptions }) {
  const payOut = useReverification(useSensitiveAction(check), options)
  const [outcome, setOutcome] = useState<string | null>(null)
  return (
    <div className="demo-card">
      <p>Payouts need a recent proof of identity ({typeof check === 'string' ? check : `${check.level}, ${check.afterMinutes} min`}).</p>
      <div>
        <button
          type="button"
          className="demo-button"
          onClick={() =>
            payOut(120).then(setOutcome, (error: SessionKitError) => setOutcome(`Not paid out (${error.code}).`))
          }
        >
          Pay out 120 €
        </button>
      </div>
      <p role="status">{outcome}</p>
    </div>
  )
}

export function SensitivePage({ children }: { children?: ReactNode }) {
  return <DemoPage title="Payouts">{children}</DemoPage>
}
