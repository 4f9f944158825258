import fs from 'node:fs/promises'
import path from 'node:path'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
}

/** The file's bytes if it is a regular file whose real path (symlinks resolved) is inside `realRoot`. */
async function readFileIfAny(file: string, realRoot: string): Promise<Buffer | null> {
  try {
    const real = await fs.realpath(file)
    if (real !== realRoot && !real.startsWith(realRoot + path.sep)) return null
    const stat = await fs.stat(real)
    return stat.isFile() ? await fs.readFile(real) : null
  } catch {
    return null
  }
}

/** `.env`, `.git/`, `.DS_Store`...: a dot segment is never part of a built app's public files. */
const hasDotSegment = (pathname: string) => pathname.split('/').some((segment) => segment.startsWith('.'))

function fileResponse(file: string, body: Buffer, method: string): Response {
  const ext = path.extname(file).toLowerCase()
  const hashedAsset = file.includes(`${path.sep}assets${path.sep}`)
  return new Response(method === 'HEAD' ? null : new Uint8Array(body), {
    status: 200,
    headers: {
      'content-type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
      'content-length': String(body.length),
      'x-content-type-options': 'nosniff',
      // Vite's assets/ names carry a content hash: cache them forever; anything else revalidates.
      'cache-control': hashedAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
    },
  })
}

const notFound = () =>
  new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } })

/**
 * Serves a built single-page app: the file if it exists inside `root`, else
 * `index.html` for extension-less paths (client-side routes), else 404.
 * The resolved path must stay inside `root`: `..`, encoded `%2e%2e`,
 * backslashes and symlinks pointing elsewhere cannot escape it, and no path
 * segment may start with a dot (dotfiles are 404, never the index fallback).
 */
export async function serveStatic(root: string, url: URL, method: string): Promise<Response> {
  let pathname: string
  try {
    pathname = decodeURIComponent(url.pathname)
  } catch {
    return notFound()
  }
  if (pathname.includes('\0') || pathname.includes('\\') || hasDotSegment(pathname)) return notFound()
  const base = path.resolve(root)
  const file = path.resolve(base, `.${pathname}`)
  if (file !== base && !file.startsWith(base + path.sep)) return notFound()
  const candidate = pathname.endsWith('/') ? path.join(file, 'index.html') : file
  let realBase: string
  try {
    realBase = await fs.realpath(base)
  } catch {
    return notFound()
  }
  const body = await readFileIfAny(candidate, realBase)
  if (body) return fileResponse(candidate, body, method)
  if (path.extname(pathname) === '') {
    const index = path.join(base, 'index.html')
    const html = await readFileIfAny(index, realBase)
    if (html) return fileResponse(index, html, method)
  }
  return notFound()
}
