import type { CreateTokenParams } from './adapter'

/**
 * Which token: one shape from `getToken` to the adapter. The default session
 * token has no template (null); a token for no organization has none (null).
 */
export interface TokenKey {
  sessionId: string
  template: string | null
  organizationId: string | null
}

/** The cache key of one token. */
export function cacheKeyOf({ sessionId, template, organizationId }: TokenKey): string {
  // JSON keeps the parts apart whatever they hold, and null apart from "null" and "".
  return JSON.stringify([sessionId, template, organizationId])
}

/** The one conversion to what an adapter's `createToken` takes. */
export function toCreateTokenParams({ template, organizationId }: TokenKey): CreateTokenParams {
  // No template key at all for the default token.
  return { ...(template !== null && { template }), organizationId }
}
