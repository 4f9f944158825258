// The failure policy decides what one failed request means for the session:
// only the server's definite answer signs out, a missing server is retried,
// and a sign-in that came back without a session is a definite "nobody is
// signed in" (not a session ending).
import { describe, expect, it } from 'vitest'
import { SessionKitError, type SessionKitErrorCode } from '../../src/core/errors'
import { judgeFailure } from '../../src/core/failurePolicy'

const NOW = Date.UTC(2026, 0, 1, 12)
const judge = (code: SessionKitErrorCode) => judgeFailure(new SessionKitError(code, 'test'), null, NOW)

describe('given a sign-in attempt that came back without a session', () => {
  it.each(['oidc_callback_error', 'oidc_state_mismatch', 'oidc_missing_verifier'] as const)('judges %s as no session (signed out, not a sign-out)', (code) => {
    expect(judge(code)).toEqual({ action: 'no-session' })
  })
})

describe('given any other failure', () => {
  it('still signs out on the server\'s definite answer', () => {
    expect(judge('session_not_found')).toEqual({ action: 'sign-out', reason: 'revoked' })
  })

  it('still retries a network error and a server fault', () => {
    expect(judge('network_error')).toEqual({ action: 'retry', connectivity: 'offline' })
    expect(judge('server_error')).toEqual({ action: 'retry', connectivity: 'degraded' })
  })

  it('still only reports a setup error or a bad answer', () => {
    expect(judge('oidc_discovery_failed')).toEqual({ action: 'report' })
    expect(judge('invalid_response')).toEqual({ action: 'report' })
  })
})
