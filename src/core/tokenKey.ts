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

/** The cache key of one token. JSON keeps the parts apart whatever they hold, and null apart from "null" and "". */
export const cacheKeyOf = (key: TokenKey): string => JSON.stringify([key.sessionId, key.template, key.organizationId])

/** The one conversion to what an adapter's `createToken` takes: no template key at all for the default token. */
export const toCreateTokenParams = ({ template, organizationId }: TokenKey): CreateTokenParams => ({
  ...(template !== null && { template }),
  organizationId,
})
