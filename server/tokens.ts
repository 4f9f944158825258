import crypto from 'node:crypto'
import { SignJWT, jwtVerify, type JWK, type JWTPayload } from 'jose'
import type { Database } from './db'

/** The server's ES256 key pair; generated once, then read back from the database. */
export interface SigningKey {
  kid: string
  privateKey: crypto.KeyObject
  publicKey: crypto.KeyObject
  /** Public JWK with `kid`, `alg` and `use`, as published in the JWKS. */
  publicJwk: JWK
}

/** RFC 7638 thumbprint: a stable `kid` derived from the public key itself. */
function thumbprint(jwk: JWK): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })
  return crypto.createHash('sha256').update(canonical).digest('base64url')
}

function fromPrivateJwk(kid: string, privateJwk: JWK): SigningKey {
  const privateKey = crypto.createPrivateKey({ key: privateJwk as crypto.JsonWebKey, format: 'jwk' })
  const publicKey = crypto.createPublicKey(privateKey)
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' }) as JWK
  return { kid, privateKey, publicKey, publicJwk: { kty, crv, x, y, kid, alg: 'ES256', use: 'sig' } }
}

/**
 * Loads the signing key, creating it on first start. Persisting it means
 * tokens and cached JWKS stay valid across restarts.
 */
export function loadSigningKey(db: Database, now: number): SigningKey {
  return db.transaction(() => {
    const row = db.get<{ kid: string; private_jwk: string }>(
      'SELECT kid, private_jwk FROM signing_keys ORDER BY created_at DESC LIMIT 1',
    )
    if (row) return fromPrivateJwk(row.kid, JSON.parse(row.private_jwk) as JWK)
    const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const privateJwk = privateKey.export({ format: 'jwk' }) as JWK
    const kid = thumbprint(privateJwk)
    db.run('INSERT INTO signing_keys (kid, private_jwk, created_at) VALUES (?, ?, ?)', [kid, JSON.stringify(privateJwk), now])
    return fromPrivateJwk(kid, privateJwk)
  })
}

export interface MintParams {
  key: SigningKey
  issuer: string
  now: number
  lifetimeMs: number
  /** The session's own end (earliest of expireAt/abandonAt), if any: a token never outlives it. */
  sessionEndsAt: number | null
  claims: JWTPayload & { sid: string; sub: string }
}

export async function mintToken({ key, issuer, now, lifetimeMs, sessionEndsAt, claims }: MintParams): Promise<string> {
  const iat = Math.floor(now / 1000)
  let exp = iat + Math.round(lifetimeMs / 1000)
  // ceil keeps exp > iat while the session is still alive.
  if (sessionEndsAt !== null) exp = Math.min(exp, Math.ceil(sessionEndsAt / 1000))
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
    .setIssuer(issuer)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(exp)
    .sign(key.privateKey)
}

/**
 * Verifies one of our own tokens: our key only, ES256 only (so `alg: none`
 * and HMAC-with-the-public-key tricks fail), our issuer, current by the
 * server's clock.
 */
export async function verifyToken(token: string, key: SigningKey, issuer: string, now: number): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, key.publicKey, {
    algorithms: ['ES256'],
    issuer,
    currentDate: new Date(now),
    requiredClaims: ['sid', 'sub', 'exp', 'iat'],
  })
  return payload
}
