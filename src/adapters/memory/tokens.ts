import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import type { OrganizationMembershipResource, SessionResource, UserResource } from '../../core/resources'

/** Adds claims to a token minted with `createToken(id, { template })`. Reserved claims (sid, sub, exp, ...) win over these. */
export type TokenTemplate = (user: UserResource, session: SessionResource) => Record<string, unknown>

/** Built-in templates: `profile` adds `email` and `name`. */
export const DEFAULT_TEMPLATES: Readonly<Record<string, TokenTemplate>> = Object.freeze({
  profile: (user: UserResource) => ({
    email: user.identifier,
    name: [user.firstName, user.lastName].filter(Boolean).join(' ') || null,
  }),
})

/** The issuer claim of every memory adapter token. */
export const MEMORY_ISSUER = 'sessionkit-memory'

/** What goes into one token. Times are server-clock milliseconds. */
export interface TokenClaimsInput {
  session: SessionResource
  issuedAt: number
  lifetimeMs: number
  /** The organization the token is for, or null for none. */
  membership: OrganizationMembershipResource | null
  /** Claims from the template, if one was asked for. */
  templateClaims: Record<string, unknown>
}

/**
 * Clerk's session token claims, with the organization in the flat `org_*`
 * claims of its v1 tokens. Reserved claims are written last so a template
 * cannot forge them.
 */
export function tokenClaims({ session, issuedAt, lifetimeMs, membership, templateClaims }: TokenClaimsInput) {
  const iat = Math.floor(issuedAt / 1000)
  const claims: Record<string, unknown> = {
    ...templateClaims,
    iss: MEMORY_ISSUER,
    sub: session.userId,
    sid: session.id,
    iat,
    nbf: iat,
    exp: iat + Math.floor(lifetimeMs / 1000),
    // Unique per mint: a fresh token never equals the one a server refused.
    jti: crypto.randomUUID(),
  }
  for (const reserved of ['org_id', 'org_role', 'org_slug', 'org_permissions', 'act']) delete claims[reserved]
  if (membership) {
    claims.org_id = membership.organization.id
    claims.org_role = membership.role
    claims.org_slug = membership.organization.slug
    claims.org_permissions = [...membership.permissions]
  }
  if (session.actor) claims.act = { ...session.actor }
  return claims
}

/**
 * Signs compact HS256 JWTs with a random key made on first use. Signing is
 * synchronous (audited @noble/hashes rather than WebCrypto, which finishes on
 * real time off the main thread), so a virtual clock alone decides when a
 * token arrives: tests and stories stay deterministic.
 */
export class TokenSigner {
  #key: Uint8Array | undefined

  key(): Uint8Array {
    this.#key ??= crypto.getRandomValues(new Uint8Array(32))
    return this.#key
  }

  sign(claims: Record<string, unknown>): string {
    const header = base64url(encode(JSON.stringify({ alg: 'HS256', typ: 'JWT' })))
    const payload = base64url(encode(JSON.stringify(claims)))
    const signingInput = `${header}.${payload}`
    return `${signingInput}.${base64url(hmac(sha256, this.key(), encode(signingInput)))}`
  }
}

function encode(text: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(text) as Uint8Array<ArrayBuffer>
}

function base64url(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')
}
