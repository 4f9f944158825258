import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose'
import { SessionKitError } from '../core/errors'

/**
 * Thrown by a key getter when the key set itself could not be read, so the
 * verifier can tell "the JWKS is down" (jwks_unavailable) from "the token is
 * bad" (token_invalid). Internal: never leaves this entry.
 */
export class JwksReadError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
    readonly original: unknown,
  ) {
    super(reason)
  }
}

// A token whose `kid` is not in the set is the token's problem, not the set's.
const isKeyMatchError = (error: unknown) =>
  error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys

/** Why a JWKS read failed, in words, without echoing anything a client sent. */
function readFailure(error: unknown): string {
  if (error instanceof errors.JWKSTimeout) return 'it did not answer in time'
  if (error instanceof errors.JWKSInvalid) return 'its answer is not a JSON Web Key Set'
  if (error instanceof errors.JOSEError) return error.message
  return 'it could not be reached'
}

/**
 * One remote set per URL, for the life of the process (an edge isolate): jose
 * caches the keys (10 min), refetches once on an unknown `kid` at most every
 * 30 s, and shares one fetch among concurrent calls. Bounded, so an app that
 * builds URLs per tenant does not grow it without end.
 */
const remoteSets = new Map<string, JWTVerifyGetKey>()
const MAX_REMOTE_SETS = 32

/** The key getter for `jwksUrl`, created on first use and reused after. */
export function remoteKeys(jwksUrl: string | URL): JWTVerifyGetKey {
  let url: URL
  try {
    url = new URL(jwksUrl)
  } catch {
    throw new SessionKitError('invalid_option', 'verifySessionToken: `jwksUrl` must be an absolute URL, such as https://example.com/.well-known/jwks.json.')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new SessionKitError('invalid_option', 'verifySessionToken: `jwksUrl` must be an http: or https: URL.')
  }
  const href = url.href
  const cached = remoteSets.get(href)
  if (cached) return cached
  const remote = createRemoteJWKSet(url)
  const getKey: JWTVerifyGetKey = async (header, token) => {
    try {
      return await remote(header, token)
    } catch (error) {
      if (isKeyMatchError(error)) throw error
      throw new JwksReadError(href, readFailure(error), error)
    }
  }
  if (remoteSets.size >= MAX_REMOTE_SETS) remoteSets.delete(remoteSets.keys().next().value!)
  remoteSets.set(href, getKey)
  return getKey
}

const localSets = new WeakMap<object, JWTVerifyGetKey>()

/** The key getter for a JWKS object the app already holds; built once per object. */
export function localKeys(jwks: JSONWebKeySet): JWTVerifyGetKey {
  if (jwks === null || typeof jwks !== 'object') {
    throw new SessionKitError('invalid_option', 'verifySessionToken: `jwks` must be a JSON Web Key Set object: { keys: [...] }.')
  }
  const cached = localSets.get(jwks)
  if (cached) return cached
  let getKey: JWTVerifyGetKey
  try {
    getKey = createLocalJWKSet(jwks)
  } catch {
    throw new SessionKitError('invalid_option', 'verifySessionToken: `jwks` must be a JSON Web Key Set object: { keys: [...] }.')
  }
  localSets.set(jwks, getKey)
  return getKey
}
