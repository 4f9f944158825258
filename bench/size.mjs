// Benchmark 3: what sessionkit adds to an app's bundle, min+gzip and brotli.
// Each entry is bundled with Vite/rolldown in library mode (ES, minified,
// NODE_ENV=production) with react, react-dom and zustand left external: an
// app has those anyway (zustand is sessionkit's own dependency; see notes).
import { existsSync } from 'node:fs'
import path from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { bundle, LIBRARY_EXTERNALS, repoRoot } from './bundle.mjs'
import { table } from './stats.mjs'

/** One row per entry; `requires`: the entry is measured only once this file exists. */
export const ENTRIES = [
  { label: 'core: `sessionkit` (`src/index.ts`, every export)', entry: 'src/index.ts' },
  {
    label: 'typical React import: `{ SessionProvider, useAuth, useSession, InactivityWarning }`',
    entry: 'bench/size-react-entry.ts',
    requires: 'src/react/index.ts',
  },
]

export function sizes(code) {
  const bytes = Buffer.from(code)
  return {
    min: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length,
  }
}

const kb = (n) => `${(n / 1024).toFixed(2)} kB`

export async function run({ log = () => {} } = {}) {
  const rows = []
  const data = []
  for (const e of ENTRIES) {
    if (e.requires && !existsSync(path.join(repoRoot, e.requires))) {
      rows.push([e.label, 'not yet built', '', '', ''])
      continue
    }
    try {
      const code = await bundle(e.entry, { external: LIBRARY_EXTERNALS })
      const s = sizes(code)
      const imports = [...new Set([...code.matchAll(/\bfrom\s*["']([^"']+)["']/g)].map((m) => m[1]))]
      data.push({ ...e, ...s, imports })
      rows.push([e.label, `${s.min.toLocaleString('en')} B`, `**${s.gzip.toLocaleString('en')} B** (${kb(s.gzip)})`, `${s.brotli.toLocaleString('en')} B (${kb(s.brotli)})`, imports.map((i) => `\`${i}\``).join(', ')])
      log(`  size ${e.entry}: ${s.min} min, ${s.gzip} gzip, ${s.brotli} brotli`)
    } catch (error) {
      rows.push([e.label, `build failed: ${String(error.message).split('\n')[0]}`, '', '', ''])
    }
  }
  const notes =
    `These are the bytes sessionkit itself adds to an app that already ships React. ` +
    `zustand (sessionkit's own dependency) is left out like the peers: the last column lists what each bundle still imports, and an app that does not use zustand yet downloads those modules too. ` +
    `Gzip is level 9, brotli quality 11: what a static host serves precompressed; on-the-fly compression is usually a little larger.` +
    `\n\n*Method.* Vite ${await viteVersion()} (rolldown) in library mode, ES format, \`process.env.NODE_ENV\` = "production", fully minified ` +
    `(Vite keeps whitespace in ES library builds so apps can read pure annotations; an app's own production build removes it, so the bench asks rolldown for full minification). ` +
    `The React row bundles \`bench/size-react-entry.ts\`, which re-exports the four names, so tree-shaking keeps what they need and nothing else.`
  return {
    title: 'Bundle size',
    markdownTable: table(['entry', 'minified', 'min+gzip', 'min+brotli', 'external imports left'], rows, ['l', 'r', 'r', 'r', 'l']),
    notes,
    data,
  }
}

async function viteVersion() {
  const { version } = await import('vite')
  return version
}
