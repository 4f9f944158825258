// Bundle size of sessionkit's OpenID Connect adapter beside react-oidc-context
// + oidc-client-ts, measured two ways (TOOLCHAIN.md: "measure both"):
// - esbuild over the built package (`vite build` of the library into a scratch
//   dir, then esbuild bundles `sessionkit/adapters/oidc` from it as an app's
//   bundler would take the published dist/);
// - Vite/rolldown over the sources, with bench/size.mjs's settings.
// Minified, ES, NODE_ENV=production, react/react-dom/zustand left external.
import { mkdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { build as esbuild } from 'esbuild'
import { build as viteBuild } from 'vite'
import { bundleWithModules, LIBRARY_EXTERNALS, repoRoot } from './bundle.mjs'
import { sizes } from './size.mjs'

const SCRATCH = path.join(repoRoot, 'bench/.scratch/oidc-size')
const ESBUILD_EXTERNALS = ['react', 'react/*', 'react-dom', 'react-dom/*', 'zustand', 'zustand/*']
const REACT_IMPORT = 'SessionProvider, useAuth, useSession, InactivityWarning'

/** The rows: what an app imports, from the built package (`dist`) and from the sources (`src`). */
const ROWS = [
  {
    id: 'adapter',
    label: '`createOidcAdapter` (`sessionkit/adapters/oidc`, oauth4webapi inlined)',
    dist: (dist) => `export { createOidcAdapter } from '${dist}/adapters/oidc.js'`,
    src: `export { createOidcAdapter } from '${repoRoot}src/adapters/oidc/index.ts'`,
  },
  {
    id: 'typical',
    label: `sessionkit with OIDC: \`{ ${REACT_IMPORT} }\` + \`createOidcAdapter\``,
    dist: (dist) => `export { ${REACT_IMPORT} } from '${dist}/react.js'\nexport { createOidcAdapter } from '${dist}/adapters/oidc.js'`,
    src: `export { ${REACT_IMPORT} } from '${repoRoot}src/react/index.ts'\nexport { createOidcAdapter } from '${repoRoot}src/adapters/oidc/index.ts'`,
  },
  {
    id: 'typical-http',
    label: `sessionkit typical import, for comparison: \`{ ${REACT_IMPORT} }\` + \`createHttpAdapter\``,
    dist: (dist) => `export { ${REACT_IMPORT} } from '${dist}/react.js'\nexport { createHttpAdapter } from '${dist}/adapters/http.js'`,
    src: `export { ${REACT_IMPORT} } from '${repoRoot}src/react/index.ts'\nexport { createHttpAdapter } from '${repoRoot}src/adapters/http/index.ts'`,
  },
  {
    id: 'react-oidc-context',
    label: 'react-oidc-context 3.3 + oidc-client-ts 3.5: `AuthProvider` + `useAuth`',
    dist: () => `export { AuthProvider, useAuth } from 'react-oidc-context'`,
    src: `export { AuthProvider, useAuth } from 'react-oidc-context'`,
  },
]

/** Builds the library (vite.config.ts) into the scratch dir: the same files `npm run build` puts in dist/. */
async function buildPackage(outDir) {
  await viteBuild({
    configFile: path.join(repoRoot, 'vite.config.ts'),
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true, sourcemap: false },
  })
}

async function esbuildSize(contents) {
  const result = await esbuild({
    stdin: { contents, resolveDir: repoRoot, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    legalComments: 'none',
    external: ESBUILD_EXTERNALS,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  })
  return sizes(result.outputFiles[0].text)
}

/** Sizes of every row, both ways; `oauth4webapiShare` = its part of the adapter's rolldown bundle. */
export async function measureOidcSizes({ log = () => {} } = {}) {
  await rm(SCRATCH, { recursive: true, force: true })
  await mkdir(SCRATCH, { recursive: true })
  const dist = path.join(SCRATCH, 'dist')
  try {
    await buildPackage(dist)
    const rows = []
    let oauth4webapiShare = null
    for (const row of ROWS) {
      const viaEsbuild = await esbuildSize(row.dist(dist))
      const entry = path.join(SCRATCH, `${row.id}.ts`)
      await writeFile(entry, `${row.src}\n`)
      const { code, modules } = await bundleWithModules(path.relative(repoRoot, entry), { external: LIBRARY_EXTERNALS })
      const viaRolldown = sizes(code)
      if (row.id === 'adapter') {
        const rendered = (m) => m.renderedLength
        const total = modules.reduce((n, m) => n + rendered(m), 0)
        const oauth = modules.filter((m) => m.id.includes('node_modules/oauth4webapi/')).reduce((n, m) => n + rendered(m), 0)
        oauth4webapiShare = total > 0 ? oauth / total : null
      }
      log(`  oidc size ${row.id}: esbuild/dist ${viaEsbuild.gzip} B gzip, rolldown/src ${viaRolldown.gzip} B gzip`)
      rows.push({ ...row, esbuild: viaEsbuild, rolldown: viaRolldown })
    }
    return { rows, oauth4webapiShare }
  } finally {
    await rm(SCRATCH, { recursive: true, force: true })
  }
}
