import type { SessionAdapter, TokenResource } from './adapter'
import { isSessionKitError } from './errors'
import type { ServerLink } from './serverLink'
import type { TokenFetchParams } from './tokenCache'
import { toCreateTokenParams, type TokenKey } from './tokenKey'
import type { TabSync } from './tabs/tabSync'
import { parseTokenResponse } from './validate'

/** What `tokenSource` needs. */
export interface TokenSourceParts {
  tabs: TabSync | null
  /** One adapter call through the server link (skew, validation). */
  request: ServerLink['request']
  /** The adapter's createToken; throws `not_supported` when it has none. */
  createToken: () => NonNullable<SessionAdapter['createToken']>
}

/**
 * Where a token comes from: a follower tab asks the leading tab first; the
 * leader (or a tab alone) asks the server and shares the answer with every
 * tab, so three tabs cost the server one mint. With `skipCache` a follower
 * asks the server itself: the leader would hand over its cached token, the one
 * the caller distrusts.
 */
export const tokenSource =
  ({ tabs, request, createToken }: TokenSourceParts): ((key: TokenKey, params: TokenFetchParams) => Promise<TokenResource>) =>
  async (key, { leewayInSeconds, skipCache, isFresh }) => {
    const mint = createToken()
    if (tabs && !tabs.isLeader && !skipCache) {
      try {
        const handedOver = await tabs.requestToken(key, leewayInSeconds)
        // A leader of an older version serves with its own leeway, which may be shorter than this caller's: then fetch it ourselves.
        if (isFresh(handedOver)) return handedOver
      } catch (error) {
        // The session was signed out in the leading tab: this tab hears it too, and no token is wanted.
        if (isSessionKitError(error, 'signed_out')) throw error
        // No leader answered in time (frozen, closing): fetch it ourselves.
      }
    }
    const token = await request(() => mint(key.sessionId, toCreateTokenParams(key)), parseTokenResponse)
    tabs?.post({ type: 'token', requestId: null, ...key, ...token })
    return token
  }
