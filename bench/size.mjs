// Benchmark: what sessionkit adds to an app's bundle, min+gzip and brotli,
// beside the libraries an app would otherwise pick. Every entry is bundled in
// one run with the same Vite/rolldown settings (library mode, ES, minified,
// NODE_ENV=production) with react, react-dom and zustand left external: an
// app has React anyway (zustand is sessionkit's own dependency; a row with it
// inlined shows what an app without zustand downloads).
import { existsSync } from 'node:fs'
import path from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { bundleWithModules, LIBRARY_EXTERNALS, NEXT_AUTH_DEFINES, repoRoot } from './bundle.mjs'
import { table } from './stats.mjs'

/** react and react-dom only: for the row that inlines zustand. */
const REACT_ONLY = [/^react($|\/)/, /^react-dom($|\/)/]

/**
 * One row per entry. `baseline`: the row every ratio is to. `requires`:
 * measured only once this file exists. `modules`: give the per-module breakdown.
 */
export const ENTRIES = [
  { id: 'core', label: 'sessionkit core (`sessionkit`, every export)', entry: 'src/index.ts' },
  {
    id: 'react',
    label: 'sessionkit React import only: `{ SessionProvider, useAuth, useSession, InactivityWarning }`',
    entry: 'bench/size-react-entry.ts',
    requires: 'src/react/index.ts',
  },
  {
    id: 'sessionkit',
    label: '**sessionkit typical import**: the four above + `createHttpAdapter`',
    entry: 'bench/size-entries/sessionkit.ts',
    requires: 'src/react/index.ts',
    baseline: true,
    modules: true,
  },
  {
    id: 'sessionkit+zustand',
    label: 'sessionkit typical import, zustand inlined (an app without zustand)',
    entry: 'bench/size-entries/sessionkit.ts',
    requires: 'src/react/index.ts',
    external: REACT_ONLY,
  },
  {
    id: 'server',
    label: '`sessionkit/server` in an edge bundle: `{ verifySessionToken, authenticate }`, jose inlined',
    entry: 'bench/size-entries/server.ts',
    requires: 'src/server/index.ts',
  },
  {
    id: 'react-idle-timer',
    label: 'react-idle-timer 5.7: `useIdleTimer` with `promptBeforeIdle` and `crossTab`',
    entry: 'bench/size-entries/react-idle-timer.ts',
  },
  {
    id: 'next-auth',
    label: 'next-auth 4.24 (`next-auth/react`): `SessionProvider` + `useSession`',
    entry: 'bench/size-entries/next-auth.ts',
    define: NEXT_AUTH_DEFINES,
  },
  {
    id: 'oidc',
    label: 'react-oidc-context 3.3 + oidc-client-ts 3.5: `AuthProvider` + `useAuth`',
    entry: 'bench/size-entries/react-oidc-context.ts',
  },
]

/** The goals of the issue, recorded beside the figures (never asserted). */
const GOAL_GZIP = 5_000
const TOP_MODULES = 10

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
const bytes = (n) => `${n.toLocaleString('en')} B`
const pct = (n) => `${(n * 100).toFixed(1)} %`

/** Where a module comes from, short: `src/core/client.ts`, `zustand/esm/vanilla.mjs`. */
function shortId(id) {
  const rel = path.relative(repoRoot, id.replace(/^\0/, '').replace(/\?.*$/, ''))
  return rel.replace(/^node_modules\//, '')
}

/**
 * Each module's rendered (tree-shaken) code minified on its own with the
 * same minifier (oxc, through rolldown), top-level names mangled, unused code
 * kept (alone, every top-level binding looks unused). Falls back to the
 * rendered length when the minifier cannot be loaded.
 */
async function moduleBreakdown(modules) {
  let minifySync = null
  try {
    ;({ minifySync } = await import('rolldown/utils'))
  } catch {
    // rolldown is Vite's own dependency; without it we report rendered sizes only.
  }
  const rows = modules.map((m) => {
    let min = m.renderedLength
    if (minifySync) {
      try {
        min = minifySync('module.js', m.code, { compress: { unused: false }, mangle: { toplevel: true } }).code.length
      } catch {
        // keep the rendered length
      }
    }
    return { id: shortId(m.id), rendered: m.renderedLength, min, gzip: gzipSync(Buffer.from(m.code), { level: 9 }).length }
  })
  return { rows: rows.sort((a, b) => b.min - a.min), minified: Boolean(minifySync) }
}

export async function run({ log = () => {} } = {}) {
  const rows = []
  const data = []
  let breakdown = null
  for (const e of ENTRIES) {
    if (e.requires && !existsSync(path.join(repoRoot, e.requires))) {
      data.push({ ...e, missing: 'not yet built' })
      continue
    }
    try {
      const { code, modules } = await bundleWithModules(e.entry, { external: e.external ?? LIBRARY_EXTERNALS, define: e.define })
      const s = sizes(code)
      // ES imports, plus the externals a CJS package (next-auth) still loads with a `require` helper: `t(\`react\`)`.
      const esImports = [...code.matchAll(/\bfrom\s*["']([^"']+)["']/g)].map((m) => m[1])
      const required = [...code.matchAll(/\(\s*[`"']((?:react|react-dom|zustand)(?:\/[\w/-]+)?)[`"']\s*\)/g)].map((m) => m[1])
      const imports = [...new Set([...esImports, ...required])]
      data.push({ ...e, ...s, imports, moduleCount: modules.length })
      if (e.modules) breakdown = { ...(await moduleBreakdown(modules)), total: s }
      log(`  size ${e.id}: ${s.min} min, ${s.gzip} gzip, ${s.brotli} brotli (${modules.length} modules)`)
    } catch (error) {
      data.push({ ...e, missing: `build failed: ${String(error.message).split('\n')[0]}` })
    }
  }

  const base = data.find((d) => d.baseline && !d.missing)
  const ratio = (d, key) => (base && !d.missing ? `${(d[key] / base[key]).toFixed(2)}×` : '')
  for (const d of data) {
    if (d.missing) {
      rows.push([d.label, d.missing, '', '', '', '', ''])
      continue
    }
    rows.push([
      d.label,
      bytes(d.min),
      `**${bytes(d.gzip)}** (${kb(d.gzip)})`,
      bytes(d.brotli),
      d === base ? '1 (baseline)' : `**${ratio(d, 'gzip')}**`,
      d === base ? '1 (baseline)' : ratio(d, 'brotli'),
      d.imports.map((i) => `\`${i}\``).join(', ') || '—',
    ])
  }
  const header = ['entry', 'minified', 'min+gzip', 'min+brotli', 'gzip vs sessionkit', 'brotli vs sessionkit', 'external imports left']
  let markdownTable = table(header, rows, ['l', 'r', 'r', 'r', 'r', 'r', 'l'])

  if (breakdown) {
    const sum = breakdown.rows.reduce((n, r) => n + r.min, 0)
    const top = breakdown.rows.slice(0, TOP_MODULES)
    const rest = breakdown.rows.slice(TOP_MODULES)
    const moduleRows = top.map((r, i) => [String(i + 1), `\`${r.id}\``, bytes(r.rendered), bytes(r.min), pct(r.min / sum), bytes(r.gzip)])
    moduleRows.push([
      '',
      `${rest.length} other modules`,
      bytes(rest.reduce((n, r) => n + r.rendered, 0)),
      bytes(rest.reduce((n, r) => n + r.min, 0)),
      pct(rest.reduce((n, r) => n + r.min, 0) / sum),
      '',
    ])
    markdownTable +=
      `\n\n#### Where sessionkit's bytes go: top ${TOP_MODULES} of ${breakdown.rows.length} modules of the typical import, by minified size\n\n` +
      table(
        ['#', 'module', 'rendered (tree-shaken, unminified)', breakdown.minified ? 'minified alone' : 'rendered', 'share of minified', 'gzip alone (unminified)'],
        moduleRows,
        ['r', 'l', 'r', 'r', 'r', 'r'],
      )
  }

  const get = (id) => data.find((d) => d.id === id && !d.missing)
  const sk = get('sessionkit')
  const rit = get('react-idle-timer')
  const paragraphs = []
  if (sk) {
    const goals = []
    goals.push(
      sk.gzip <= GOAL_GZIP
        ? `**Goal met**: the typical import is ${bytes(sk.gzip)} min+gzip (goal ≤ ${bytes(GOAL_GZIP)}).`
        : `**Goal missed**: the typical import is ${bytes(sk.gzip)} min+gzip, ${(sk.gzip / GOAL_GZIP).toFixed(1)}× the ≤ ${bytes(GOAL_GZIP)} goal (${bytes(sk.gzip - GOAL_GZIP)} over).`,
    )
    if (rit) {
      goals.push(
        sk.gzip < rit.gzip
          ? `It is smaller than react-idle-timer alone (${bytes(rit.gzip)}, ${(rit.gzip / sk.gzip).toFixed(2)}×): goal met.`
          : `It is **not** smaller than react-idle-timer alone (${bytes(rit.gzip)}): sessionkit is ${(sk.gzip / rit.gzip).toFixed(2)}× its size, goal missed by ${bytes(sk.gzip - rit.gzip)}.`,
      )
    }
    paragraphs.push(goals.join(' '))
  }
  if (breakdown && sk) {
    const sum = breakdown.rows.reduce((n, r) => n + r.min, 0)
    const share = (prefix) => breakdown.rows.filter((r) => r.id.startsWith(prefix)).reduce((n, r) => n + r.min, 0) / sum
    paragraphs.push(
      `By folder (minified alone): \`src/core\` ${pct(share('src/core/'))}, \`src/react\` ${pct(share('src/react/'))}, \`src/adapters/http\` ${pct(share('src/adapters/http/'))}` +
        (share('src/core/tabs/') > 0 ? ` (of the core, the cross-tab code \`src/core/tabs\` is ${pct(share('src/core/tabs/'))} of the whole)` : '') +
        `. A per-module figure is the module minified on its own (top-level names mangled, nothing dropped), so the column sums to a little more than the bundle's ${bytes(sk.min)}; the shares are what to read.`,
    )
  }
  paragraphs.push(
    `Ratios divide each row by the sessionkit typical import, so above 1 is larger than sessionkit. ` +
      `These are the bytes each library adds to an app that already ships React; the last column lists what each bundle still imports. ` +
      `Gzip is level 9, brotli quality 11: what a static host serves precompressed.`,
  )
  paragraphs.push(
    `*Method.* Vite ${await viteVersion()} (rolldown) in library mode, every row in the same run with the same settings: ES format, \`process.env.NODE_ENV\` = "production", fully minified ` +
      `(Vite keeps whitespace in ES library builds; an app's build removes it), react/react-dom/zustand external (react/react-dom only for the zustand row). ` +
      `Each row bundles a tiny entry in \`bench/size-entries/\` (or \`bench/size-react-entry.ts\`) that re-exports or calls what an app imports, so tree-shaking keeps what those need and nothing else; ` +
      `react-idle-timer's entry calls \`useIdleTimer\` with \`timeout\`, \`promptBeforeIdle\`, \`crossTab\` and the three callbacks. ` +
      `next-auth reads \`process.env.NEXTAUTH_URL\`/\`VERCEL_URL\` at load; they are replaced by \`undefined\`, as a Next.js build does when they are unset. ` +
      `next-auth's CJS build pulls in its \`@babel/runtime\` helpers and regenerator, which count towards it.`,
  )
  const goals = sk
    ? [
        { goal: `sessionkit typical import ≤ ${bytes(GOAL_GZIP)} min+gzip`, measured: bytes(sk.gzip), met: sk.gzip <= GOAL_GZIP },
        ...(rit ? [{ goal: 'smaller than react-idle-timer alone (min+gzip)', measured: `${(sk.gzip / rit.gzip).toFixed(2)}× react-idle-timer (${bytes(rit.gzip)})`, met: sk.gzip < rit.gzip }] : []),
      ]
    : []
  return {
    title: 'Bundle size',
    markdownTable,
    notes: paragraphs.join('\n\n'),
    goals,
    data: { rows: data, breakdown },
  }
}

async function viteVersion() {
  const { version } = await import('vite')
  return version
}
