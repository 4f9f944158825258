// Bundles one entry with Vite (rolldown inside) in library mode, in memory.
// Used for the browser pages, the Node token bench and the size table, so all
// three see the code the way an app's production build would.
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { build } from 'vite'
import react from '@vitejs/plugin-react'

export const repoRoot = fileURLToPath(new URL('..', import.meta.url))

/** Peers and sessionkit's own dependency that an app already has: left out of the size figures. */
export const LIBRARY_EXTERNALS = [/^react($|\/)/, /^react-dom($|\/)/, /^zustand($|\/)/]

/**
 * What a Next.js app's build replaces in next-auth/react: the NEXTAUTH_* / VERCEL_URL
 * variables it reads at module load. Left undefined, next-auth falls back to
 * `/api/auth` on the page's own origin. Without them the module throws
 * "process is not defined" in a browser.
 */
export const NEXT_AUTH_DEFINES = {
  'process.env.NEXTAUTH_URL': 'undefined',
  'process.env.NEXTAUTH_URL_INTERNAL': 'undefined',
  'process.env.VERCEL_URL': 'undefined',
}

/**
 * Returns the minified ES-module code of `entry` (a path relative to the repo root).
 * `external`: module ids left as imports ([] = bundle everything, for pages and Node).
 * `nodeEnv`: what `process.env.NODE_ENV` is replaced with, as an app's bundler does.
 * `define`: more replacements (e.g. NEXT_AUTH_DEFINES). `alias`: Vite resolve aliases
 * (e.g. react-dom/client → react-dom/profiling, so `<Profiler onRender>` works in production).
 */
export async function bundle(entry, options = {}) {
  return (await bundleWithModules(entry, options)).code
}

/**
 * Like `bundle`, plus `modules`: each bundled module's id and rendered
 * (tree-shaken, not yet minified) code, for a per-module breakdown.
 */
export async function bundleWithModules(entry, { external = [], minify = true, nodeEnv = 'production', define = {}, alias = [] } = {}) {
  const result = await build({
    root: repoRoot,
    configFile: false,
    logLevel: 'silent',
    plugins: [react()],
    resolve: { alias },
    // nodeEnv null leaves `process.env.NODE_ENV` to be read at run time (Node without a bundler).
    define: { ...(nodeEnv === null ? {} : { 'process.env.NODE_ENV': JSON.stringify(nodeEnv) }), ...define },
    build: {
      write: false,
      emptyOutDir: false,
      minify: minify ? 'oxc' : false,
      sourcemap: false,
      reportCompressedSize: false,
      copyPublicDir: false,
      lib: { entry: path.resolve(repoRoot, entry), formats: ['es'], fileName: 'entry' },
      // Vite keeps whitespace in ES library builds (so apps can still read
      // pure annotations); an app's own production build removes it, so we do too.
      rolldownOptions: { external, output: minify ? { minify: true, comments: false } : {} },
    },
  })
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output ?? [])
  const chunks = outputs.filter((o) => o.type === 'chunk')
  if (chunks.length !== 1) {
    throw new Error(`bundle(${entry}): expected one chunk, got ${chunks.map((c) => c.fileName).join(', ') || 'none'}`)
  }
  const chunk = chunks[0]
  const modules = Object.entries(chunk.modules ?? {}).map(([id, m]) => ({ id, code: m.code ?? '', renderedLength: m.renderedLength }))
  return { code: chunk.code, modules }
}
