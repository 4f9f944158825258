import type { TokenParams } from './tokenCache'

// Which token: one key per (session, template, organization).

/** The params with defaults applied and nothing else: the shape stored with a cache entry. */
export function pickParams(params: TokenParams): TokenParams {
  const picked: TokenParams = { organizationId: params.organizationId ?? null }
  if (params.template !== undefined) picked.template = params.template
  return picked
}

/** The cache key of one token. */
export function keyOf(sessionId: string, params: TokenParams): string {
  // A NUL keeps the parts apart: ids and template names are printable. The
  // marks tell "no template/organization" from an empty name. Built on every
  // get, so plain concatenation rather than JSON.
  const template = params.template === undefined ? '-' : `+${params.template}`
  const organization = params.organizationId === null ? '-' : `+${params.organizationId}`
  return `${sessionId}\u0000${template}\u0000${organization}`
}
