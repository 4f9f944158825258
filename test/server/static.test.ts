import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/config'
import { openDatabase, type Database } from '../../server/db'
import { createHandler, type SessionKitHandler } from '../../server/handler'
import { makeDataDir, removeDir, seededDataDir } from './helpers'

let root: string
let dataDir: string
let db: Database
let handler: SessionKitHandler

beforeAll(() => {
  root = makeDataDir()
  const site = path.join(root, 'site')
  fs.mkdirSync(path.join(site, 'assets'), { recursive: true })
  fs.writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>demo</title>')
  fs.writeFileSync(path.join(site, 'assets', 'app-1234.js'), 'console.log(1)')
  fs.writeFileSync(path.join(site, 'styles.css'), 'body{}')
  fs.writeFileSync(path.join(root, 'secret.txt'), 'top secret')
  fs.writeFileSync(path.join(site, '.env'), 'SECRET=top secret')
  fs.mkdirSync(path.join(site, '.git'))
  fs.writeFileSync(path.join(site, '.git', 'config'), 'top secret')
  fs.symlinkSync(path.join(root, 'secret.txt'), path.join(site, 'linked.txt'))
  fs.symlinkSync(root, path.join(site, 'outside'))
  fs.symlinkSync(path.join(site, 'styles.css'), path.join(site, 'alias.css'))
  dataDir = seededDataDir()
  db = openDatabase(dataDir)
  handler = createHandler({ config: loadConfig({ SESSIONKIT_DATA: dataDir }), db, staticDir: site, log: () => {} })
})
afterAll(() => {
  db.close()
  removeDir(dataDir)
  removeDir(root)
})

const get = (url: string, method = 'GET') => handler(new Request(`http://localhost${url}`, { method }))

describe('static files', () => {
  it('serves files with their content type', async () => {
    const js = await get('/assets/app-1234.js')
    expect(js.status).toBe(200)
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(js.headers.get('cache-control')).toContain('immutable')
    expect(await js.text()).toBe('console.log(1)')
    expect((await get('/styles.css')).headers.get('content-type')).toBe('text/css; charset=utf-8')
    const index = await get('/')
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(index.headers.get('cache-control')).toBe('no-cache')
  })

  it('falls back to index.html for client-side routes, not for missing files or API paths', async () => {
    expect(await (await get('/settings/profile')).text()).toContain('<title>demo</title>')
    expect((await get('/missing.png')).status).toBe(404)
    const api = await get('/v1/unknown')
    expect(api.status).toBe(404)
    expect(api.headers.get('content-type')).toContain('json')
  })

  it('answers HEAD without a body', async () => {
    const head = await get('/styles.css', 'HEAD')
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
  })

  it('never serves a file outside the static dir', async () => {
    for (const attempt of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/..%2fsecret.txt', '/..%5csecret.txt', '/%00']) {
      const res = await get(attempt)
      expect(res.status, attempt).toBe(404)
      expect(await res.text(), attempt).not.toContain('top secret')
    }
  })

  it('never serves dotfiles or follows a symlink out of the static dir', async () => {
    for (const attempt of ['/.env', '/.git/config', '/assets/../.env', '/%2eenv', '/linked.txt', '/outside/secret.txt']) {
      const res = await get(attempt)
      expect(res.status, attempt).toBe(404)
      expect(await res.text(), attempt).not.toContain('top secret')
    }
    // A link that stays inside the dir is served like the file it names.
    expect(await (await get('/alias.css')).text()).toBe('body{}')
  })
})
