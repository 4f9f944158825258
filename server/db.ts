import fs from 'node:fs'
import path from 'node:path'
import sqlite from 'node-sqlite3-wasm'

type Row = Record<string, unknown>
type Params = Record<string, string | number | null> | (string | number | null)[]

const SCHEMA_VERSION = 3

const SCHEMA = `
CREATE TABLE users (
  id TEXT PRIMARY KEY, first_name TEXT, last_name TEXT, email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  image_url TEXT, password_hash TEXT NOT NULL, totp_code TEXT, can_impersonate INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE organizations (id TEXT PRIMARY KEY, name TEXT NOT NULL, slug TEXT NOT NULL);
CREATE TABLE memberships (
  user_id TEXT NOT NULL, organization_id TEXT NOT NULL, role TEXT NOT NULL, permissions TEXT NOT NULL,
  PRIMARY KEY (user_id, organization_id)
);
CREATE TABLE clients (
  id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL, last_active_session_id TEXT
);
CREATE TABLE sessions (
  id TEXT PRIMARY KEY, client_id TEXT NOT NULL, user_id TEXT NOT NULL, status TEXT NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, last_active_at INTEGER NOT NULL,
  expire_at INTEGER, abandon_at INTEGER, first_factor_at INTEGER, second_factor_at INTEGER,
  actor TEXT, last_active_org_id TEXT, device TEXT, ip TEXT, actor_session_id TEXT
);
CREATE INDEX sessions_by_client ON sessions (client_id);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE TABLE signing_keys (kid TEXT PRIMARY KEY, private_jwk TEXT NOT NULL, created_at INTEGER NOT NULL);
`

/**
 * Indexes added since schema 3, made on every open if missing: they change no
 * data, so an older server can still open the file (no version bump).
 * The hourly prune finds old clients by creation time, old sessions by their last change.
 */
const INDEXES = `
CREATE INDEX IF NOT EXISTS clients_by_created_at ON clients (created_at);
CREATE INDEX IF NOT EXISTS sessions_by_updated_at ON sessions (updated_at);
`

/** Upgrades from each older schema version (index = the version it upgrades from); a new database gets SCHEMA. */
const MIGRATIONS: Record<number, string> = {
  // 1 → 2: the device list (`/v1/me/sessions`) labels each session and finds a user's sessions on every client.
  1: `
ALTER TABLE sessions ADD COLUMN device TEXT;
ALTER TABLE sessions ADD COLUMN ip TEXT;
CREATE INDEX sessions_by_user ON sessions (user_id);
`,
  // 2 → 3: an acting session names the impersonator's own session it rides on, and ends with it. Schema 2 did not
  // record how a live acting session began, so the link is made only where the data shows it was started from an own
  // session (impersonate): that one was created no later, was still signed in then (active now, or ended after),
  // and shares its maximum-lifetime deadline, which impersonate copies and an actAs sign-in sets from its own start.
  // Without a maximum lifetime both look alike: no link, so the session lives by its own deadlines rather than
  // being ended with a session it never rode on.
  2: `
ALTER TABLE sessions ADD COLUMN actor_session_id TEXT;
UPDATE sessions SET actor_session_id = (
  SELECT own.id FROM sessions own
  WHERE own.client_id = sessions.client_id AND own.user_id = json_extract(sessions.actor, '$.sub') AND own.actor IS NULL
    AND own.created_at <= sessions.created_at AND (own.status = 'active' OR own.updated_at > sessions.created_at)
    AND own.abandon_at = sessions.abandon_at
  ORDER BY own.created_at DESC, own.rowid DESC LIMIT 1
) WHERE actor IS NOT NULL AND status IN ('active', 'pending') AND abandon_at IS NOT NULL;
`,
}

/**
 * The server's one SQLite connection. SQLite runs as WebAssembly (no native
 * build) with real file access. Every call is synchronous, so a transaction
 * callback that never awaits cannot interleave with another request.
 */
export class Database {
  private readonly statements = new Map<string, sqlite.Statement>()

  constructor(
    private readonly raw: sqlite.Database,
    private readonly pidFile: string | null = null,
  ) {}

  /** Prepared statements are cached: re-preparing per request costs more than the query. */
  private statement(sql: string): sqlite.Statement {
    let statement = this.statements.get(sql)
    if (!statement) {
      statement = this.raw.prepare(sql)
      this.statements.set(sql, statement)
    }
    return statement
  }

  all<T = Row>(sql: string, params: Params = []): T[] {
    return this.statement(sql).all(params) as T[]
  }

  get<T = Row>(sql: string, params: Params = []): T | null {
    return (this.statement(sql).get(params) as T | null) ?? null
  }

  /** Runs a write; returns the number of rows changed. */
  run(sql: string, params: Params = []): number {
    return this.statement(sql).run(params).changes
  }

  /** Runs `fn` in one transaction (joining an outer one); rolls back if it throws. */
  transaction<T>(fn: () => T): T {
    if (this.raw.inTransaction) return fn()
    this.raw.exec('BEGIN IMMEDIATE')
    try {
      const result = fn()
      this.raw.exec('COMMIT')
      return result
    } catch (error) {
      if (this.raw.inTransaction) this.raw.exec('ROLLBACK')
      throw error
    }
  }

  get isOpen(): boolean {
    return this.raw.isOpen
  }

  /** Finalizes cached statements first: the WebAssembly heap leaks them otherwise. */
  close(): void {
    if (!this.raw.isOpen) return
    for (const statement of this.statements.values()) statement.finalize()
    this.statements.clear()
    this.raw.close()
    if (this.pidFile) fs.rmSync(this.pidFile, { force: true })
  }
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * The WebAssembly VFS locks with a `<db>.lock` directory, which a crashed
 * process leaves behind, and we hold it for the server's lifetime (see
 * below). A pid file tells a stale lock from a live server.
 */
function claimDataDir(dataDir: string, file: string): string {
  const pidFile = path.join(dataDir, 'server.pid')
  const lock = `${file}.lock`
  if (fs.existsSync(lock)) {
    const pid = Number.parseInt(fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8') : '', 10)
    if (pid === process.pid || (Number.isInteger(pid) && pid > 0 && isAlive(pid))) {
      throw new Error(
        `Another sessionkit server (pid ${pid}) is using ${dataDir}: stop it first, or give this one its own SESSIONKIT_DATA.`,
      )
    }
    // Left by a server that died without closing: nobody holds it.
    fs.rmSync(lock, { recursive: true, force: true })
  }
  fs.writeFileSync(pidFile, String(process.pid), { mode: 0o600 })
  return pidFile
}

/** Opens (creating if needed) `<dataDir>/sessionkit.db` and brings its schema up to date. */
export function openDatabase(dataDir: string): Database {
  // 0700: the database holds the private signing key and client-token hashes.
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const file = path.join(dataDir, 'sessionkit.db')
  const pidFile = claimDataDir(dataDir, file)
  let raw: sqlite.Database
  try {
    raw = new sqlite.Database(file)
  } catch (error) {
    fs.rmSync(pidFile, { force: true })
    throw error
  }
  const db = new Database(raw, pidFile)
  try {
    // One process owns the file, so exclusive locking lets SQLite use WAL without shared memory
    // (which this VFS lacks). WAL + synchronous=NORMAL commits without an fsync: about 100x
    // faster per write than the default rollback journal; a crash loses no committed data, a
    // power cut at most the last moments of activity.
    raw.exec('PRAGMA locking_mode = EXCLUSIVE')
    raw.exec('PRAGMA journal_mode = WAL')
    raw.exec('PRAGMA synchronous = NORMAL')
    const version = (raw.get('PRAGMA user_version') as { user_version: number }).user_version
    if (version > SCHEMA_VERSION) {
      throw new Error(`The database in ${dataDir} was written by a newer sessionkit server (schema ${version}).`)
    }
    if (version < SCHEMA_VERSION) {
      db.transaction(() => {
        if (version === 0) raw.exec(SCHEMA)
        else for (let from = version; from < SCHEMA_VERSION; from++) raw.exec(MIGRATIONS[from]!)
        raw.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`)
      })
    }
    raw.exec(INDEXES)
  } catch (error) {
    db.close()
    throw error
  }
  return db
}
