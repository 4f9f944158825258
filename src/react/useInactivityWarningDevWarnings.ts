'use client'
import { useEffect, useRef } from 'react'
import { warnOnce } from '../core/development'
import type { SessionClient } from '../core/types'

/**
 * The warning's development warnings: `warnBefore` leaving too little time to
 * respond, and the warning switching between controlled and uncontrolled.
 * Called only in development (the Root calls it behind the literal
 * `process.env.NODE_ENV` condition), so a production bundle drops this module.
 */
export function useInactivityWarningDevWarnings(client: SessionClient, controlled: boolean): void {
  useEffect(() => {
    const { warnBefore } = client.options
    // WCAG 2.2.1 (Timing Adjustable) gives users at least 20 seconds to respond to a warning.
    if (warnBefore < 20_000) {
      warnOnce(`warnBefore is ${warnBefore} ms: WCAG 2.2.1 asks for at least 20 seconds to respond. Set warnBefore to 20000 or more (default 60000).`)
    }
  }, [client])

  const wasControlled = useRef(controlled)
  useEffect(() => {
    if (wasControlled.current !== controlled) {
      const mode = (isControlled: boolean) => (isControlled ? 'controlled' : 'uncontrolled')
      warnOnce(
        `InactivityWarning is changing from ${mode(wasControlled.current)} to ${mode(controlled)}. Decide between \`open\` (controlled) and \`defaultOpen\` (uncontrolled) for the component's whole life.`,
      )
    }
    wasControlled.current = controlled
  }, [controlled])
}
