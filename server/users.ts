import crypto from 'node:crypto'
import { promisify } from 'node:util'
import type { OrganizationMembershipResource, PublicUserData, UserResource } from '../src/core/resources'
import type { Database } from './db'
import { DEMO_ORGANIZATIONS, DEMO_USERS, ROLE_PERMISSIONS } from './demoUsers'

export { DEMO_USERS, DEMO_ORGANIZATIONS, DEMO_PASSWORD, DEMO_TOTP_CODE } from './demoUsers'

const scrypt = promisify(crypto.scrypt) as (password: string, salt: Buffer, keylen: number, options: crypto.ScryptOptions) => Promise<Buffer>

// OWASP's scrypt minimum: N=2^15 (32 MB with r=8) and p=3, the same memory as p=1 with three times the work.
// (N=2^17 needs more than Node's default 32 MB maxmem.)
const SCRYPT = { N: 2 ** 15, r: 8, p: 3, maxmem: 64 * 1024 * 1024 }
const KEY_LENGTH = 32
const CURRENT_PREFIX = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$`

const encode = (salt: Buffer, hash: Buffer) => CURRENT_PREFIX + [salt.toString('base64'), hash.toString('base64')].join('$')

/** `scrypt$N$r$p$salt$hash`, salt unique per user, so equal passwords hash differently. */
export function hashPassword(password: string): string {
  const salt = crypto.randomBytes(16)
  return encode(salt, crypto.scryptSync(password, salt, KEY_LENGTH, SCRYPT))
}

/** `hashPassword` off the main thread, for a request (a rehash at sign-in) that must not stall the others. */
async function hashPasswordOffThread(password: string): Promise<string> {
  const salt = crypto.randomBytes(16)
  return encode(salt, await scrypt(password, salt, KEY_LENGTH, SCRYPT))
}

/**
 * After a successful sign-in: a hash written with older (weaker) parameters is
 * replaced by one with the current ones, while the password is at hand. Only
 * if nobody changed it meanwhile.
 */
export async function upgradePasswordHash(db: Database, user: UserRow, password: string): Promise<void> {
  if (user.password_hash.startsWith(CURRENT_PREFIX)) return
  const upgraded = await hashPasswordOffThread(password)
  db.run('UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?', [upgraded, user.id, user.password_hash])
}

/** Compares in constant time; runs off the main thread (libuv pool) so sign-ins don't stall other requests. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64')
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: SCRYPT.maxmem,
  })
  return crypto.timingSafeEqual(actual, expected)
}

/** Hashed once per process: checked against unknown identifiers so they take as long as known ones. */
let dummyHash: string | undefined
export const getDummyHash = () => (dummyHash ??= hashPassword(crypto.randomBytes(16).toString('hex')))

/** Constant-time comparison of short codes of possibly different lengths. */
export function safeEqual(a: string, b: string): boolean {
  const left = crypto.createHash('sha256').update(a).digest()
  const right = crypto.createHash('sha256').update(b).digest()
  return crypto.timingSafeEqual(left, right)
}

export interface UserRow {
  id: string
  first_name: string | null
  last_name: string | null
  email: string
  image_url: string | null
  password_hash: string
  totp_code: string | null
  can_impersonate: number
}

/**
 * Seeds the demo users and organizations: all of them on first start, and
 * later only the demo users a database from an older version lacks (the
 * support user came later), so an existing data dir gets them too.
 */
export function seedDemoUsers(db: Database): void {
  const known = new Set(db.all<{ id: string }>('SELECT id FROM users').map((row) => row.id))
  const missing = DEMO_USERS.filter((user) => !known.has(user.id))
  if (missing.length === 0) return
  // Hashed once per distinct password: the demo users share one (public) password, so one salt and hash for
  // them all costs one scrypt at first start instead of one per user.
  const hashes = new Map<string, string>()
  const hashOf = (password: string) => hashes.get(password) ?? hashes.set(password, hashPassword(password)).get(password)!
  db.transaction(() => {
    for (const org of DEMO_ORGANIZATIONS) {
      db.run('INSERT OR IGNORE INTO organizations (id, name, slug) VALUES (?, ?, ?)', [org.id, org.name, org.slug])
    }
    for (const user of missing) {
      db.run(
        `INSERT OR IGNORE INTO users (id, first_name, last_name, email, image_url, password_hash, totp_code, can_impersonate)
         VALUES (?, ?, ?, ?, NULL, ?, ?, ?)`,
        [user.id, user.firstName, user.lastName, user.email, hashOf(user.password), user.totpCode, user.canImpersonate ? 1 : 0],
      )
      for (const m of user.memberships) {
        db.run('INSERT OR IGNORE INTO memberships (user_id, organization_id, role, permissions) VALUES (?, ?, ?, ?)', [
          user.id,
          m.organizationId,
          m.role,
          JSON.stringify(ROLE_PERMISSIONS[m.role]),
        ])
      }
    }
  })
}

export function findUserByEmail(db: Database, email: string): UserRow | null {
  return db.get<UserRow>('SELECT * FROM users WHERE email = ?', [email.trim()])
}

export function findUser(db: Database, id: string): UserRow | null {
  return db.get<UserRow>('SELECT * FROM users WHERE id = ?', [id])
}

export function memberships(db: Database, userId: string): OrganizationMembershipResource[] {
  const rows = db.all<{ id: string; name: string; slug: string; role: string; permissions: string }>(
    `SELECT o.id, o.name, o.slug, m.role, m.permissions FROM memberships m
     JOIN organizations o ON o.id = m.organization_id WHERE m.user_id = ? ORDER BY o.name`,
    [userId],
  )
  return rows.map((row) => ({
    organization: { id: row.id, name: row.name, slug: row.slug },
    role: row.role,
    permissions: JSON.parse(row.permissions) as string[],
  }))
}

export function publicUserData(user: UserRow): PublicUserData {
  return { firstName: user.first_name, lastName: user.last_name, identifier: user.email, imageUrl: user.image_url }
}

export function userResource(db: Database, user: UserRow): UserResource {
  return { id: user.id, ...publicUserData(user), organizationMemberships: memberships(db, user.id) }
}
