// The pages the browser tests put a dialog on: shared so every test looks at
// the same markup around the warning and the reverification dialog.
import { useState } from 'react'
import { resolveReverification, type ReverificationCheck } from '../../src/core/authorization'
import { SessionKitError } from '../../src/core/errors'
import { InactivityWarning, ReverificationDialog, useAuth, useReverification } from '../../src/react'
import { HOUR, type World } from '../unit/react/harness'

/** A session that outlives any reverification flow: 24 h of inactivity, no maximum. */
export const LONG_POLICY = { inactivityTimeoutMs: 24 * HOUR, maxLifetimeMs: null }

/** A page with something to focus behind the warning. */
export function WarningPage() {
  const auth = useAuth()
  return (
    <main>
      <h1>Invoices</h1>
      <button type="button">Edit document</button>
      <p>{auth.isSignedIn ? 'You are signed in.' : 'You are signed out.'}</p>
      <InactivityWarning />
    </main>
  )
}

/** A page whose action needs a recent proof (`check`), with the dialog that asks for it. */
export function PayoutPage({ world, check }: { world: World; check: ReverificationCheck }) {
  const [outcome, setOutcome] = useState('')
  const payOut = useReverification(async () => {
    if (!world.client.checkAuthorization({ reverification: check })) {
      throw new SessionKitError('reverification_required', 'Verify again.', { status: 403, reverification: resolveReverification(check) })
    }
    return 'Paid out.'
  })
  return (
    <main>
      <h1>Payouts</h1>
      <button type="button" onClick={() => payOut().then(setOutcome, (error: SessionKitError) => setOutcome(error.code))}>
        Pay out
      </button>
      <p>{outcome}</p>
      <ReverificationDialog />
    </main>
  )
}
