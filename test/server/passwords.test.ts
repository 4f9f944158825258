import crypto from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { hashPassword, verifyPassword } from '../../server/users'
import { ADA, makeServer, type TestServer } from './helpers'

let server: TestServer | undefined
afterEach(() => server?.close())

/** A hash as the server wrote it before: scrypt N=2^15, r=8, p=1 (below OWASP's minimum). */
function oldHash(password: string): string {
  const salt = crypto.randomBytes(16)
  const hash = crypto.scryptSync(password, salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 })
  return ['scrypt', 2 ** 15, 8, 1, salt.toString('base64'), hash.toString('base64')].join('$')
}

const storedHash = () => server!.db.get<{ password_hash: string }>("SELECT password_hash FROM users WHERE id = 'user_ada'")!.password_hash

describe('password hashes', () => {
  it("meet OWASP's scrypt minimum (N=2^15 with p=3, 32 MB)", async () => {
    const stored = hashPassword('correct horse')
    expect(stored).toMatch(/^scrypt\$32768\$8\$3\$/)
    expect(await verifyPassword('correct horse', stored)).toBe(true)
    expect(await verifyPassword('wrong horse', stored)).toBe(false)
  })

  it('from before still sign in, and are rehashed with the current parameters at the first successful sign-in', async () => {
    server = makeServer()
    const before = oldHash(ADA.password)
    server.db.run("UPDATE users SET password_hash = ? WHERE id = 'user_ada'", [before])

    expect((await server.browser().signIn({ ...ADA, password: 'wrong' })).status).toBe(422)
    expect(storedHash()).toBe(before)

    expect((await server.browser().signIn()).status).toBe(200)
    expect(storedHash()).toMatch(/^scrypt\$32768\$8\$3\$/)
    expect((await server.browser().signIn()).status).toBe(200)
    expect((await server.browser().signIn({ ...ADA, password: 'wrong' })).status).toBe(422)
  })
})
