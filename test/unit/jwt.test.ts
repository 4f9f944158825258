import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { isSessionKitError } from '../../src/core/errors'
import { decodeJwt } from '../../src/core/jwt'

// Built with the global constructor: jsdom's TextEncoder returns a Uint8Array jose does not recognise.
const key = new Uint8Array(32).fill(7)
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url')
const part = (value: unknown) => b64(JSON.stringify(value))
const HEADER = part({ alg: 'HS256', typ: 'JWT' })
const CLAIMS = { sid: 'sess_1', sub: 'user_1', iat: 1_767_225_600, exp: 1_767_225_660 }
const token = (payload: string, header = HEADER, signature = 'c2lnbmF0dXJl') => `${header}.${payload}.${signature}`

function decodeError(input: string): Error {
  try {
    decodeJwt(input)
  } catch (error) {
    return error as Error
  }
  throw new Error('decodeJwt accepted a malformed token')
}

describe('decodeJwt', () => {
  it('reads the claims of a token signed by a real JWT library', async () => {
    const jwt = await new SignJWT({ sid: 'sess_1', org_id: 'org_1', role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('user_1')
      .setIssuedAt(CLAIMS.iat)
      .setExpirationTime(CLAIMS.exp)
      .sign(key)
    expect(decodeJwt(jwt)).toEqual({ ...CLAIMS, org_id: 'org_1', role: 'admin' })
  })

  it('decodes UTF-8 claims (names outside ASCII)', async () => {
    const jwt = await new SignJWT({ ...CLAIMS, name: 'Zoë 東京 🙂' }).setProtectedHeader({ alg: 'HS256' }).sign(key)
    expect(decodeJwt(jwt).name).toBe('Zoë 東京 🙂')
  })

  it('accepts org_id null and a payload whose base64url needs padding', () => {
    for (const extra of [{ org_id: null }, { x: 'a' }, { x: 'ab' }, { x: 'abc' }]) {
      expect(decodeJwt(token(part({ ...CLAIMS, ...extra })))).toEqual({ ...CLAIMS, ...extra })
    }
  })

  const cases: [string, string][] = [
    ['two parts', `${HEADER}.${part(CLAIMS)}`],
    ['four parts', `${token(part(CLAIMS))}.extra`],
    ['an empty string', ''],
    ['no signature', token(part(CLAIMS), HEADER, '')],
    ['a signature that is not base64url', token(part(CLAIMS), HEADER, 'sig/nature')],
    ['an empty payload', token('')],
    ['a payload with base64 (not base64url) characters', token(part(CLAIMS).slice(0, -1) + '+')],
    ['a payload with padding', token(`${part(CLAIMS)}==`)],
    ['a payload of impossible length (4n+1)', token('abcde')],
    ['a payload that is not UTF-8', token(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64url'))],
    ['a payload that is not JSON', token(b64('not json'))],
    ['a payload that is a JSON array', token(part([CLAIMS]))],
    ['a payload that is JSON null', token(part(null))],
    ['a payload that is a JSON string', token(part('claims'))],
    ['a header that is not JSON', token(part(CLAIMS), b64('{alg'))],
    ['a header that is not an object', token(part(CLAIMS), part(42))],
    ['an empty header', token(part(CLAIMS), '')],
    ['no exp', token(part({ ...CLAIMS, exp: undefined }))],
    ['a string exp', token(part({ ...CLAIMS, exp: String(CLAIMS.exp) }))],
    ['no iat', token(part({ ...CLAIMS, iat: undefined }))],
    ['a null iat', token(part({ ...CLAIMS, iat: null }))],
    ['no sid', token(part({ ...CLAIMS, sid: undefined }))],
    ['a numeric sid', token(part({ ...CLAIMS, sid: 42 }))],
    ['an empty sid', token(part({ ...CLAIMS, sid: '' }))],
    ['no sub', token(part({ ...CLAIMS, sub: undefined }))],
    ['an org_id that is not a string', token(part({ ...CLAIMS, org_id: 7 }))],
    ['exp equal to iat', token(part({ ...CLAIMS, exp: CLAIMS.iat }))],
    ['exp before iat', token(part({ ...CLAIMS, exp: CLAIMS.iat - 1 }))],
  ]

  it.each(cases)('rejects a token with %s as invalid_token, without quoting it', (_, input) => {
    const error = decodeError(input)
    expect(isSessionKitError(error, 'invalid_token')).toBe(true)
    expect(error.message).toMatch(/^The session token .+\. Check that the adapter/)
    // Tokens must never reach logs: no piece of the input appears in the message.
    for (const piece of input.split('.')) if (piece.length > 3) expect(error.message).not.toContain(piece)
  })

  it('rejects something that is not a string', () => {
    expect(isSessionKitError(decodeError(undefined as unknown as string), 'invalid_token')).toBe(true)
  })

  it('says which claim is wrong', () => {
    expect(decodeError(token(part({ ...CLAIMS, exp: undefined }))).message).toContain('"exp"')
    expect(decodeError(token(part({ ...CLAIMS, sid: undefined }))).message).toContain('"sid"')
    expect(decodeError(`${HEADER}.${part(CLAIMS)}`).message).toContain('2 parts instead of 3')
  })
})
