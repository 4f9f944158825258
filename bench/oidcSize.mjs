// Bundle size of sessionkit's OpenID Connect adapter beside react-oidc-context
// + oidc-client-ts, measured two ways (TOOLCHAIN.md: "measure both"):
// - esbuild over the packed package (bench/packedSize.mjs: built as `npm run build`
//   builds it, `npm pack`ed and installed in a scratch app, the same package as
//   bench/size.mjs's), bundling `sessionkit/adapters/oidc` as an app's bundler would;
// - Vite/rolldown over the sources, with bench/size.mjs's settings.
// Minified, ES, NODE_ENV=production, react/react-dom/zustand left external.
import { mkdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { bundleWithModules, LIBRARY_EXTERNALS, repoRoot } from './bundle.mjs'
import { esbuildPacked } from './packedSize.mjs'
import { sizes } from './size.mjs'

const SCRATCH = path.join(repoRoot, 'bench/.scratch/oidc-size')
const REACT_IMPORT = 'SessionProvider, useAuth, useSession, InactivityWarning'

/** The rows: what an app imports, from the packed package (`packed`) and from the sources (`src`). */
const ROWS = [
  {
    id: 'adapter',
    label: '`createOidcAdapter` (`sessionkit/adapters/oidc`, oauth4webapi inlined)',
    packed: `export { createOidcAdapter } from 'sessionkit/adapters/oidc'`,
    src: `export { createOidcAdapter } from '${repoRoot}src/adapters/oidc/index.ts'`,
  },
  {
    id: 'typical',
    label: `sessionkit with OIDC: \`{ ${REACT_IMPORT} }\` + \`createOidcAdapter\``,
    packed: `export { ${REACT_IMPORT} } from 'sessionkit/react'\nexport { createOidcAdapter } from 'sessionkit/adapters/oidc'`,
    src: `export { ${REACT_IMPORT} } from '${repoRoot}src/react/index.ts'\nexport { createOidcAdapter } from '${repoRoot}src/adapters/oidc/index.ts'`,
  },
  {
    id: 'typical-http',
    label: `sessionkit typical import, for comparison: \`{ ${REACT_IMPORT} }\` + \`createHttpAdapter\``,
    packed: `export { ${REACT_IMPORT} } from 'sessionkit/react'\nexport { createHttpAdapter } from 'sessionkit/adapters/http'`,
    src: `export { ${REACT_IMPORT} } from '${repoRoot}src/react/index.ts'\nexport { createHttpAdapter } from '${repoRoot}src/adapters/http/index.ts'`,
  },
  {
    id: 'react-oidc-context',
    label: 'react-oidc-context 3.3 + oidc-client-ts 3.5: `AuthProvider` + `useAuth`',
    packed: `export { AuthProvider, useAuth } from 'react-oidc-context'`,
    src: `export { AuthProvider, useAuth } from 'react-oidc-context'`,
  },
]

/** Sizes of every row, both ways; `oauth4webapiShare` = its part of the adapter's rolldown bundle. */
export async function measureOidcSizes({ log = () => {} } = {}) {
  await rm(SCRATCH, { recursive: true, force: true })
  await mkdir(SCRATCH, { recursive: true })
  try {
    const rows = []
    let oauth4webapiShare = null
    for (const row of ROWS) {
      const viaEsbuild = sizes((await esbuildPacked({ contents: `${row.packed}\n`, log })).code)
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
      log(`  oidc size ${row.id}: esbuild/packed ${viaEsbuild.gzip} B gzip, rolldown/src ${viaRolldown.gzip} B gzip`)
      rows.push({ ...row, esbuild: viaEsbuild, rolldown: viaRolldown })
    }
    return { rows, oauth4webapiShare }
  } finally {
    await rm(SCRATCH, { recursive: true, force: true })
  }
}
