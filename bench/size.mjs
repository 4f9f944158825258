// Benchmark: what sessionkit adds to an app's bundle, min+gzip and brotli,
// beside the libraries an app would otherwise pick. Every entry is bundled two ways:
// - esbuild over the packed package (bench/packedSize.mjs: built as `npm run build`
//   builds it, `npm pack`ed, installed in a scratch app, imported as
//   `sessionkit/react`): what an app's bundler gets, and the figure of issue 13;
// - Vite/rolldown over the sources (library mode, ES, minified), as before.
// Both minified with NODE_ENV=production and react, react-dom and zustand left
// external: an app has React anyway (zustand is sessionkit's own dependency; a
// row with it inlined shows what an app without zustand downloads). The other
// libraries are bundled from their installed (published) packages both ways.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { bundleWithModules, LIBRARY_EXTERNALS, NEXT_AUTH_DEFINES, repoRoot } from './bundle.mjs'
import { esbuildPacked, moduleBreakdown, packedPackage, placeOf } from './packedSize.mjs'
import { table } from './stats.mjs'

/** react and react-dom only: for the row that inlines zustand (Vite, esbuild). */
const REACT_ONLY = [/^react($|\/)/, /^react-dom($|\/)/]
const REACT_ONLY_ESBUILD = ['react', 'react/*', 'react-dom', 'react-dom/*']

const REACT_IMPORT = 'SessionProvider, useAuth, useSession, InactivityWarning'
const TYPICAL_PACKED = `export { ${REACT_IMPORT} } from 'sessionkit/react'\nexport { createHttpAdapter } from 'sessionkit/adapters/http'\n`

/**
 * One row per entry. `entry`: the file Vite bundles (sessionkit's from src/).
 * `packed`: what an app writes, bundled by esbuild from the packed package
 * (sessionkit's rows); without it esbuild bundles `entry` too (the other
 * libraries, from their installed packages). `baseline`: the row every ratio
 * is to. `requires`: measured only once this file exists. `modules`: give the
 * per-module breakdown.
 */
export const ENTRIES = [
  { id: 'core', label: 'sessionkit core (`sessionkit`, every export)', entry: 'src/index.ts', packed: `export * from 'sessionkit'\n` },
  {
    id: 'react',
    label: 'sessionkit React import only: `{ SessionProvider, useAuth, useSession, InactivityWarning }`',
    entry: 'bench/size-react-entry.ts',
    packed: `export { ${REACT_IMPORT} } from 'sessionkit/react'\n`,
    requires: 'src/react/index.ts',
  },
  {
    id: 'sessionkit',
    label: '**sessionkit typical import**: the four above + `createHttpAdapter`',
    entry: 'bench/size-entries/sessionkit.ts',
    packed: TYPICAL_PACKED,
    requires: 'src/react/index.ts',
    baseline: true,
    modules: true,
  },
  {
    id: 'sessionkit+zustand',
    label: 'sessionkit typical import, zustand inlined (an app without zustand)',
    entry: 'bench/size-entries/sessionkit.ts',
    packed: TYPICAL_PACKED,
    requires: 'src/react/index.ts',
    external: REACT_ONLY,
    esbuildExternal: REACT_ONLY_ESBUILD,
  },
  {
    id: 'server',
    label: '`sessionkit/server` in an edge bundle: `{ verifySessionToken, authenticate }`, jose inlined',
    entry: 'bench/size-entries/server.ts',
    packed: `export { verifySessionToken, authenticate } from 'sessionkit/server'\n`,
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

/** The goals of the issues, recorded beside the figures (never asserted). */
const GOAL_ESBUILD_GZIP = 9_000 // issue 13: esbuild over the packed package
const GOAL_VITE_GZIP = 5_000 // an earlier issue: Vite over the sources

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
const times = (a, b) => `${(a / b).toFixed(2)}×`

function breakdownTables(b) {
  const groups = new Map()
  const add = (key, r) => {
    const g = groups.get(key) ?? { modules: 0, bytes: 0 }
    g.modules += 1
    g.bytes += r.bytes
    groups.set(key, g)
  }
  for (const r of b.rows) {
    const { area, sub } = placeOf(r.id)
    add(area, r)
    if (sub) add(`${area}\0${sub}`, r)
  }
  const areas = [...groups].filter(([k]) => !k.includes('\0')).sort((x, y) => y[1].bytes - x[1].bytes)
  const folderRows = []
  for (const [area, g] of areas) {
    folderRows.push([`\`${area}/\``, String(g.modules), bytes(g.bytes), pct(g.bytes / b.sum)])
    const subs = [...groups].filter(([k]) => k.startsWith(`${area}\0`)).sort((x, y) => y[1].bytes - x[1].bytes)
    for (const [k, s] of subs) folderRows.push([`of which \`${k.split('\0')[1]}/\``, String(s.modules), bytes(s.bytes), pct(s.bytes / b.sum)])
  }
  folderRows.push(['**all modules**', `**${b.rows.length}**`, `**${bytes(b.sum)}**`, '100 %'])
  folderRows.push([
    'the bundle (modules + import/export statements)',
    '',
    `${bytes(b.total.min)} (${bytes(b.total.min - b.sum)} of statements)`,
    `min+gzip **${bytes(b.total.gzip)}**`,
  ])
  let cumulative = 0
  const moduleRows = b.rows.map((r, i) => {
    cumulative += r.bytes
    return [String(i + 1), `\`${r.id}\``, bytes(r.bytes), pct(r.bytes / b.sum), pct(cumulative / b.sum)]
  })
  moduleRows.push(['', `**all ${b.rows.length} modules**`, `**${bytes(b.sum)}**`, '100 %', ''])
  return (
    `#### Where the typical import's bytes go: by folder (esbuild over the packed package)\n\n` +
    table(['folder', 'modules', 'minified bytes in the bundle', 'share'], folderRows, ['l', 'r', 'r', 'r']) +
    `\n\n#### Every module of the typical import, by minified bytes in the bundle (esbuild metafile \`bytesInOutput\`)\n\n` +
    table(['#', 'module', 'bytes in the bundle', 'share', 'cumulative'], moduleRows, ['r', 'l', 'r', 'r', 'r'])
  )
}

/** ES imports, plus the externals a CJS package (next-auth) still loads with a `require` helper: `t(\`react\`)`. */
function importsLeft(code) {
  const esImports = [...code.matchAll(/\bfrom\s*["']([^"']+)["']/g)].map((m) => m[1])
  const required = [...code.matchAll(/\(\s*[`"']((?:react|react-dom|zustand)(?:\/[\w/-]+)?)[`"']\s*\)/g)].map((m) => m[1])
  return [...new Set([...esImports, ...required])]
}

export async function run({ log = () => {} } = {}) {
  const data = []
  let breakdown = null
  const pkg = await packedPackage({ log })
  for (const e of ENTRIES) {
    if (e.requires && !existsSync(path.join(repoRoot, e.requires))) {
      data.push({ ...e, missing: 'not yet built' })
      continue
    }
    const d = { ...e }
    try {
      const { code, modules } = await bundleWithModules(e.entry, { external: e.external ?? LIBRARY_EXTERNALS, define: e.define })
      d.vite = { ...sizes(code), imports: importsLeft(code), moduleCount: modules.length }
    } catch (error) {
      d.viteError = `Vite build failed: ${String(error.message).split('\n')[0]}`
    }
    try {
      const { code, metafile } = await esbuildPacked({
        ...(e.packed ? { contents: e.packed } : { entryFile: e.entry }),
        ...(e.esbuildExternal ? { external: e.esbuildExternal } : {}),
        define: e.define,
      })
      d.esbuild = sizes(code)
      if (e.modules) breakdown = { ...moduleBreakdown(metafile), total: d.esbuild }
    } catch (error) {
      d.esbuildError = `esbuild failed: ${String(error.message).split('\n')[0]}`
    }
    if (!d.vite && !d.esbuild) d.missing = [d.viteError, d.esbuildError].join('; ')
    data.push(d)
    log(
      `  size ${e.id}: Vite ${d.vite ? `${d.vite.min} min, ${d.vite.gzip} gzip (${d.vite.moduleCount} modules)` : d.viteError}; ` +
        `esbuild ${d.esbuild ? `${d.esbuild.min} min, ${d.esbuild.gzip} gzip` : d.esbuildError}`,
    )
  }

  const base = data.find((d) => d.baseline && !d.missing)
  const ratio = (d, how, key) => (base?.[how] && d[how] ? times(d[how][key], base[how][key]) : '')
  const rows = data.map((d) => {
    if (d.missing) return [d.label, d.missing, '', '', '', '', '', '', '', '']
    const v = d.vite
    const x = d.esbuild
    const isBase = d === base
    return [
      d.label,
      v ? bytes(v.min) : d.viteError,
      v ? `**${bytes(v.gzip)}** (${kb(v.gzip)})` : '',
      x ? `**${bytes(x.gzip)}** (${kb(x.gzip)})` : d.esbuildError,
      x ? bytes(x.min) : '',
      v ? bytes(v.brotli) : '',
      isBase ? '1 (baseline)' : `**${ratio(d, 'vite', 'gzip')}**`,
      isBase ? '1 (baseline)' : ratio(d, 'vite', 'brotli'),
      isBase ? '1 (baseline)' : `**${ratio(d, 'esbuild', 'gzip')}**`,
      v ? v.imports.map((i) => `\`${i}\``).join(', ') || '—' : '',
    ]
  })
  const header = [
    'entry',
    'Vite: minified',
    'Vite: min+gzip',
    'esbuild over the packed package: min+gzip',
    'esbuild: minified',
    'Vite: min+brotli',
    'gzip vs sessionkit (Vite)',
    'brotli vs sessionkit (Vite)',
    'gzip vs sessionkit (esbuild)',
    'external imports left (Vite)',
  ]
  let markdownTable = table(header, rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'])
  if (breakdown) markdownTable += `\n\n${breakdownTables(breakdown)}`

  const get = (id) => data.find((d) => d.id === id && !d.missing)
  const sk = get('sessionkit')
  const rit = get('react-idle-timer')
  const nextAuth = get('next-auth')
  const paragraphs = []
  if (pkg.warnings.length) {
    paragraphs.push(
      `**The build was not clean**: ${pkg.warnings.map((w) => `\`${w.step}\` failed (first error: \`${w.first}\`)`).join('; ')}, so \`npm run build\` would stop there. ` +
        `The package was packed anyway with the declarations tsc wrote; the JavaScript, and so every figure here, does not depend on them.`,
    )
  }
  const goals = []
  if (sk?.esbuild) {
    const g = sk.esbuild.gzip
    const met = g <= GOAL_ESBUILD_GZIP
    let text = met
      ? `**Goal met** (issue 13): the typical import is ${bytes(g)} min+gzip as esbuild bundles it from the packed package (goal ≤ ${bytes(GOAL_ESBUILD_GZIP)}; ${bytes(GOAL_ESBUILD_GZIP - g)} to spare).`
      : `**Goal missed** (issue 13): the typical import is ${bytes(g)} min+gzip as esbuild bundles it from the packed package, ${times(g, GOAL_ESBUILD_GZIP)} the ≤ ${bytes(GOAL_ESBUILD_GZIP)} goal (${bytes(g - GOAL_ESBUILD_GZIP)} over).`
    if (nextAuth?.esbuild) {
      const n = nextAuth.esbuild.gzip
      text += ` The goal is meant to put it below next-auth/react's \`SessionProvider\` + \`useSession\`, ${bytes(n)} bundled the same way; the typical import is ${times(g, n)} that (${g < n ? `${bytes(n - g)} smaller` : `${bytes(g - n)} larger`}).`
    }
    if (sk.vite) text += ` Vite over the sources gives ${bytes(sk.vite.gzip)} (${g >= sk.vite.gzip ? `esbuild over the package is ${bytes(g - sk.vite.gzip)} larger` : `esbuild over the package is ${bytes(sk.vite.gzip - g)} smaller`}).`
    paragraphs.push(text)
    goals.push({ goal: `sessionkit typical import ≤ ${bytes(GOAL_ESBUILD_GZIP)} min+gzip, esbuild over the packed package (issue 13)`, measured: bytes(g), met })
  }
  if (sk?.vite) {
    const g = sk.vite.gzip
    const older = [
      g <= GOAL_VITE_GZIP
        ? `the typical import through Vite is ${bytes(g)} min+gzip, within ≤ ${bytes(GOAL_VITE_GZIP)} (met)`
        : `the typical import through Vite is ${bytes(g)} min+gzip, ${times(g, GOAL_VITE_GZIP)} ≤ ${bytes(GOAL_VITE_GZIP)} (missed by ${bytes(g - GOAL_VITE_GZIP)})`,
    ]
    goals.push({ goal: `sessionkit typical import ≤ ${bytes(GOAL_VITE_GZIP)} min+gzip, Vite over the sources (earlier issue)`, measured: bytes(g), met: g <= GOAL_VITE_GZIP })
    if (rit?.vite) {
      older.push(
        g < rit.vite.gzip
          ? `it is smaller than react-idle-timer alone (${bytes(rit.vite.gzip)}, ${times(rit.vite.gzip, g)}; met)`
          : `it is not smaller than react-idle-timer alone (${bytes(rit.vite.gzip)}): ${times(g, rit.vite.gzip)} its size (missed by ${bytes(g - rit.vite.gzip)})`,
      )
      goals.push({ goal: 'smaller than react-idle-timer alone (min+gzip, Vite)', measured: `${times(g, rit.vite.gzip)} react-idle-timer (${bytes(rit.vite.gzip)})`, met: g < rit.vite.gzip })
    }
    paragraphs.push(`Earlier goals, measured through Vite: ${older.join('; ')}.`)
  }
  if (breakdown) {
    const share = (prefix) => breakdown.rows.filter((r) => r.id.startsWith(prefix)).reduce((n, r) => n + r.bytes, 0) / breakdown.sum
    const [first, second, third] = breakdown.rows
    paragraphs.push(
      `Where the bytes go: \`src/core\` ${pct(share('src/core/'))} (the cross-tab code \`src/core/tabs\` ${pct(share('src/core/tabs/'))} of the whole), \`src/react\` ${pct(share('src/react/'))}, \`src/adapters/http\` ${pct(share('src/adapters/http/'))}; ` +
        `the largest modules are \`${first.id}\` (${bytes(first.bytes)}), \`${second?.id}\` (${bytes(second?.bytes ?? 0)}) and \`${third?.id}\` (${bytes(third?.bytes ?? 0)}). ` +
        `Each figure is the module's minified code as it sits in the bundle (esbuild's metafile), so the modules add up to the bundle less its import and export statements; ` +
        `gzip works on the whole bundle, so a module's share of min+gzip is close to, not exactly, its share of these bytes. ` +
        (breakdown.dropped.length
          ? `esbuild also read ${breakdown.dropped.length} modules of the package that put no byte in the bundle (unused by these imports, or only re-exports): ${breakdown.dropped.map((d) => `\`${d}\``).join(', ')}.`
          : 'Every module esbuild read is in the bundle.'),
    )
  }
  paragraphs.push(
    `Ratios divide each row by the sessionkit typical import, so above 1 is larger than sessionkit. ` +
      `These are the bytes each library adds to an app that already ships React; the last column lists what each bundle still imports. ` +
      `Gzip is level 9, brotli quality 11: what a static host serves precompressed.`,
  )
  paragraphs.push(
    `*Method.* **esbuild over the packed package** (the figure of issue 13): the package is built as \`npm run build\` builds it (vite build, the declarations by tsc, their import fix, the stylesheet) into a scratch copy, ` +
      `\`npm pack\`ed (${bytes(pkg.tarballBytes)} tarball, ${pkg.fileCount} files) and the tarball extracted into a scratch app's \`node_modules/sessionkit\` (bench/packedSize.mjs, in bench/.scratch, git-ignored); ` +
      `esbuild ${await esbuildVersion()} then bundles what the app writes (\`import { … } from 'sessionkit/react'\`, \`'sessionkit/adapters/http'\`) resolving through the package's "exports", as \`--bundle --minify --format=esm\` with \`process.env.NODE_ENV\` = "production" ` +
      `and react/react-dom/zustand external (react/react-dom only for the zustand row); the app has its own package.json and tsconfig.json, so neither the repo's self-reference nor its tsconfig "paths" lead esbuild back to src/. ` +
      `The other libraries are bundled by esbuild the same way, from the entries named below, out of their installed (published) packages. ` +
      `**Vite over the sources**: Vite ${await viteVersion()} (rolldown) in library mode, every row in the same run with the same settings: ES format, \`process.env.NODE_ENV\` = "production", fully minified ` +
      `(Vite keeps whitespace in ES library builds; an app's build removes it), the same externals. ` +
      `Each row bundles a tiny entry in \`bench/size-entries/\` (or \`bench/size-react-entry.ts\`) that re-exports or calls what an app imports, so tree-shaking keeps what those need and nothing else; ` +
      `react-idle-timer's entry calls \`useIdleTimer\` with \`timeout\`, \`promptBeforeIdle\`, \`crossTab\` and the three callbacks. ` +
      `next-auth reads \`process.env.NEXTAUTH_URL\`/\`VERCEL_URL\` at load; they are replaced by \`undefined\`, as a Next.js build does when they are unset. ` +
      `next-auth's CJS build pulls in its \`@babel/runtime\` helpers and regenerator, which count towards it.`,
  )
  return {
    title: 'Bundle size',
    markdownTable,
    notes: paragraphs.join('\n\n'),
    goals,
    data: { rows: data, breakdown, package: pkg },
  }
}

async function viteVersion() {
  const { version } = await import('vite')
  return version
}

async function esbuildVersion() {
  const { version } = await import('esbuild')
  return version
}
