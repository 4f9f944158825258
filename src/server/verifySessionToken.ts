import { errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose'
import { SessionKitError } from '../core/errors'
import { JwksReadError, localKeys, remoteKeys } from './jwks'

/**
 * The only algorithm a sessionkit server signs with (server/tokens.ts). Pinned,
 * so `alg: none` and HS256 keyed with the public key's bytes are refused
 * before any key is looked up.
 */
export const SESSION_TOKEN_ALGORITHMS = ['ES256'] as const

/** Who acts for the user when support staff signs in as them (RFC 8693 `act`). */
export interface ActorClaim {
  /** The user id of the person actually at the keyboard. */
  sub: string
  [claim: string]: unknown
}

/** The claims of a verified sessionkit token, as the reference server mints them. Times are seconds since the epoch. */
export interface SessionTokenClaims extends JWTPayload {
  /** The user the token is for. */
  sub: string
  /** The session the token belongs to. */
  sid: string
  /** Who minted it (the server's SESSIONKIT_ISSUER, `sessionkit` by default). */
  iss: string
  /** Minted at. */
  iat: number
  /** Valid until. */
  exp: number
  /** Valid from (the server sets it to `iat`). */
  nbf?: number
  /** The organization the token was minted for; absent = personal account. */
  org_id?: string
  /** That organization's slug. */
  org_slug?: string
  /** The user's role there, e.g. `org:admin`. */
  org_role?: string
  /** What that role permits, e.g. `org:invoices:read`. */
  org_permissions?: string[]
  /** Present when someone signed in as this user: the UI and audit logs should say so. */
  act?: ActorClaim
  /** Template claims (e.g. `email`, `name` from the `profile` template) and any others. */
  [claim: string]: unknown
}

/** Where the keys come from: exactly one of `jwksUrl` or `jwks`. */
export type SessionTokenKeys =
  | {
      /** The server's JWKS, e.g. `https://api.example.com/.well-known/jwks.json`. Fetched once and cached per URL (no default). */
      jwksUrl: string | URL
      jwks?: never
    }
  | {
      /** A JSON Web Key Set the app already holds (no network; no default). */
      jwks: JSONWebKeySet
      jwksUrl?: never
    }

/** Options for `verifySessionToken`; give `jwksUrl` or `jwks`. */
export type VerifySessionTokenOptions = SessionTokenKeys & {
  /** Expected `iss` (the server's SESSIONKIT_ISSUER). Default: not checked; set it when one key set serves several issuers. */
  issuer?: string | string[]
  /** Expected `aud`. Default: not checked (the reference server sets no audience). */
  audience?: string | string[]
  /** Seconds of clock difference accepted on `exp` and `nbf`. Default: 5 (the server sets `nbf` to the second it mints). */
  clockTolerance?: number
  /** The verifier's time source (ms since the epoch). Default: `Date.now`. */
  clock?: { now(): number }
}

/** Default `clockTolerance` (s): a verifier a second behind the server must not refuse a token just minted. */
export const DEFAULT_CLOCK_TOLERANCE_S = 5

const REQUIRED_CLAIMS = ['sid', 'sub', 'exp', 'iat']

const invalid = (why: string, cause?: unknown) =>
  new SessionKitError('token_invalid', `The session token ${why}; treat the request as signed out.`, cause === undefined ? {} : { cause })

/** Keeps name, code and message of jose's error: its `payload` holds the claims, which do not belong in logs. */
const summary = (error: unknown) =>
  error instanceof errors.JOSEError ? { name: error.name, code: error.code, message: error.message } : undefined

/**
 * Verifies a sessionkit session token: ES256 only, a key from the JWKS, not
 * expired, and `iss`/`aud` when asked. Resolves the claims; rejects
 * `token_expired`, `token_invalid`, `jwks_unavailable` (the key set could not
 * be read: not the token's fault) or `invalid_option`. It checks the token,
 * not the session: a token outlives a sign-out by up to its lifetime.
 */
export async function verifySessionToken(token: string, options: VerifySessionTokenOptions): Promise<SessionTokenClaims> {
  const { getKey, clockTolerance, clock } = readOptions(options)
  // Messages never quote the token: tokens must never reach logs.
  if (typeof token !== 'string' || token === '') throw invalid('is missing (expected a non-empty string)')
  try {
    const { payload } = await jwtVerify(token, getKey, {
      algorithms: [...SESSION_TOKEN_ALGORITHMS],
      requiredClaims: REQUIRED_CLAIMS,
      clockTolerance,
      currentDate: new Date(clock.now()),
      ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
      ...(options.audience === undefined ? {} : { audience: options.audience }),
    })
    return checkClaims(payload)
  } catch (error) {
    throw toVerifyError(error)
  }
}

function readOptions(options: VerifySessionTokenOptions) {
  if (options === null || typeof options !== 'object') {
    throw new SessionKitError('invalid_option', 'verifySessionToken: pass options with `jwksUrl` (or `jwks`), e.g. { jwksUrl: "https://api.example.com/.well-known/jwks.json" }.')
  }
  const hasUrl = options.jwksUrl !== undefined
  const hasSet = options.jwks !== undefined
  if (hasUrl === hasSet) {
    throw new SessionKitError('invalid_option', 'verifySessionToken: pass exactly one of `jwksUrl` (the server\'s /.well-known/jwks.json) or `jwks` (a key set object).')
  }
  const clockTolerance = options.clockTolerance ?? DEFAULT_CLOCK_TOLERANCE_S
  if (typeof clockTolerance !== 'number' || !Number.isFinite(clockTolerance) || clockTolerance < 0) {
    throw new SessionKitError('invalid_option', 'verifySessionToken: `clockTolerance` must be a number of seconds, 0 or more.')
  }
  for (const name of ['issuer', 'audience'] as const) {
    const value = options[name]
    const ok = value === undefined || typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'))
    if (!ok) throw new SessionKitError('invalid_option', `verifySessionToken: \`${name}\` must be a string or an array of strings.`)
  }
  const clock = options.clock ?? { now: () => Date.now() }
  if (typeof clock.now !== 'function') throw new SessionKitError('invalid_option', 'verifySessionToken: `clock` must have a now() method.')
  const getKey = hasUrl ? remoteKeys(options.jwksUrl!) : localKeys(options.jwks!)
  return { getKey, clockTolerance, clock }
}

const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value !== ''
const isStringArray = (value: unknown) => Array.isArray(value) && value.every((v) => typeof v === 'string')

/** jose checks the signature and times; the shape of sessionkit's own claims is checked here. */
function checkClaims(payload: JWTPayload): SessionTokenClaims {
  for (const name of ['sid', 'sub', 'iss'] as const) {
    if (!isNonEmptyString(payload[name])) throw invalid(`has no "${name}" claim (a non-empty string)`)
  }
  for (const name of ['org_id', 'org_slug', 'org_role'] as const) {
    if (payload[name] !== undefined && typeof payload[name] !== 'string') throw invalid(`has an "${name}" claim that is not a string`)
  }
  if (payload.org_permissions !== undefined && !isStringArray(payload.org_permissions)) {
    throw invalid('has an "org_permissions" claim that is not an array of strings')
  }
  const act = payload.act as { sub?: unknown } | undefined
  if (act !== undefined && (act === null || typeof act !== 'object' || !isNonEmptyString(act.sub))) {
    throw invalid('has an "act" claim without a "sub"')
  }
  return payload as SessionTokenClaims
}

function toVerifyError(error: unknown): unknown {
  if (error instanceof SessionKitError) return error
  if (error instanceof JwksReadError) {
    return new SessionKitError(
      'jwks_unavailable',
      `The key set at ${error.url} could not be read (${error.reason}). This is not the token's fault: answer 503 and retry, and check jwksUrl and that the server is reachable.`,
      { cause: summary(error.original) ?? error.original },
    )
  }
  const cause = summary(error)
  if (error instanceof errors.JWTExpired) {
    return new SessionKitError('token_expired', 'The session token has expired: the client should get a fresh one with getToken() and send it again.', { cause })
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return invalid('is not signed with ES256, the only algorithm sessionkit servers sign with', cause)
  if (error instanceof errors.JWSSignatureVerificationFailed) return invalid('has a signature that does not verify with the server\'s keys', cause)
  if (error instanceof errors.JWKSNoMatchingKey) return invalid('is signed with a key ("kid") the server\'s key set does not hold', cause)
  if (error instanceof errors.JWTClaimValidationFailed) return claimError(error, cause)
  if (error instanceof errors.JOSEError) return invalid('is not a well-formed signed JWT', cause)
  return error
}

function claimError(error: InstanceType<typeof errors.JWTClaimValidationFailed>, cause: unknown): SessionKitError {
  if (error.reason === 'missing') return invalid(`has no "${error.claim}" claim`, cause)
  switch (error.claim) {
    case 'iss':
      return invalid('was issued by another server (its "iss" is not the `issuer` option)', cause)
    case 'aud':
      return invalid('is meant for another audience (its "aud" is not the `audience` option)', cause)
    case 'nbf':
    case 'iat':
      return invalid(`is not valid yet (its "${error.claim}" is in the future): check this machine's clock, or raise clockTolerance`, cause)
    default:
      return invalid(`has an invalid "${error.claim}" claim`, cause)
  }
}
