// The package as an app receives it, for the size figures (bench/size.mjs, bench/oidcSize.mjs):
// built the way `npm run build` builds it, packed with `npm pack`, the tarball extracted into a
// scratch app's node_modules/sessionkit; then esbuild bundles `import … from 'sessionkit/react'`
// from that app, resolving through the package's "exports" exactly as the app's bundler would.
//
// The build goes to a scratch copy of the package (bench/.scratch/packed/pkg, git-ignored), not to
// dist/: other tools (the Next example, test:types) read dist/, and a bench run must not change it
// under them. Its steps are package.json's "build" script, one by one, with the output dir moved;
// BUILD_SCRIPT below must equal that script, so a changed build cannot go unnoticed here.
// Also here: the per-module breakdown of such a bundle (dist has one file per source module).
import { execFile } from 'node:child_process'
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { build as esbuild } from 'esbuild'
import { build as viteBuild } from 'vite'
import { repoRoot } from './bundle.mjs'

const exec = promisify(execFile)

/** package.json's "build" script, which `buildInto` performs step by step. */
const BUILD_SCRIPT =
  'vite build && tsc -p tsconfig.build.json && node scripts/fix-dts-imports.mjs && node scripts/copy-styles.mjs'

export const PACKED_DIR = path.join(repoRoot, 'bench/.scratch/packed')

/** Left as imports in every esbuild bundle: React (the app has it) and zustand (sessionkit's own dependency). */
export const ESBUILD_EXTERNALS = ['react', 'react/*', 'react-dom', 'react-dom/*', 'zustand', 'zustand/*']

/**
 * `npm run build` with dist/ moved to `pkgDir/dist` (the commands of BUILD_SCRIPT, in order).
 * Returns the build's warnings: a type error makes `npm run build` stop, but tsc still writes the
 * declarations and the JavaScript (Vite's) is not affected, so the sizes are measured anyway and the
 * error is reported beside them instead of hiding every figure (others may be mid-edit).
 */
async function buildInto(pkgDir) {
  const warnings = []
  const outDir = path.join(pkgDir, 'dist')
  // vite build
  await viteBuild({
    root: repoRoot,
    configFile: path.join(repoRoot, 'vite.config.ts'),
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true },
  })
  // tsc -p tsconfig.build.json (declarations into dist/types)
  const types = path.join(outDir, 'types')
  try {
    await run(path.join(repoRoot, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json', '--outDir', types], 'tsc -p tsconfig.build.json')
  } catch (error) {
    if (!existsSync(types)) throw error
    warnings.push({ step: 'tsc -p tsconfig.build.json', first: error.message.split('\n')[1] ?? '' })
  }
  // node scripts/fix-dts-imports.mjs
  await run(process.execPath, [path.join(repoRoot, 'scripts/fix-dts-imports.mjs'), types], 'scripts/fix-dts-imports.mjs')
  // node scripts/copy-styles.mjs (copies src/react/styles.css when it exists, with its empty declaration)
  const styles = path.join(repoRoot, 'src/react/styles.css')
  if (existsSync(styles)) {
    await copyFile(styles, path.join(outDir, 'styles.css'))
    await writeFile(path.join(outDir, 'styles.css.d.ts'), 'export {}\n')
  }
  return warnings
}

async function run(command, args, what) {
  try {
    return await exec(command, args, { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 << 20 })
  } catch (error) {
    const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim().split('\n').slice(0, 8).join('\n')
    throw new Error(`${what} failed, so \`npm run build\` would too:\n${output || error.message}`)
  }
}

let packed = null

/**
 * Builds, packs and installs the package once per process (the size and oidc parts share it).
 * Returns `{ appDir, tarball, tarballBytes, fileCount, warnings }`: `appDir` has node_modules/sessionkit;
 * `warnings` (`{ step, first }`: the step and its first error), what failed in the build without
 * changing the JavaScript (a type error).
 */
export function packedPackage({ log = () => {} } = {}) {
  packed ??= pack(log)
  return packed
}

async function pack(log) {
  const manifest = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8'))
  if (manifest.scripts?.build !== BUILD_SCRIPT) {
    throw new Error(`package.json's "build" script changed; make bench/packedSize.mjs's buildInto do what it does:\n  ${manifest.scripts?.build}`)
  }
  const t0 = performance.now()
  await rm(PACKED_DIR, { recursive: true, force: true })
  const pkgDir = path.join(PACKED_DIR, 'pkg')
  const appDir = path.join(PACKED_DIR, 'app')
  const installed = path.join(appDir, 'node_modules/sessionkit')
  await mkdir(pkgDir, { recursive: true })
  await mkdir(installed, { recursive: true })
  // What `npm pack` takes from the repo besides "files": package.json, the README, a licence.
  for (const name of ['package.json', 'README.md', 'LICENSE', 'LICENSE.md']) {
    if (existsSync(path.join(repoRoot, name))) await copyFile(path.join(repoRoot, name), path.join(pkgDir, name))
  }
  const warnings = await buildInto(pkgDir)
  for (const w of warnings) log(`  packed package: ${w.step} failed (the package is packed anyway): ${w.first}`)
  const { stdout } = await exec('npm', ['pack', '--json', '--silent', '--pack-destination', PACKED_DIR], { cwd: pkgDir, encoding: 'utf8' })
  const [info] = JSON.parse(stdout)
  const tarball = path.join(PACKED_DIR, info.filename)
  await exec('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1'])
  // The app's own package.json: without one, the nearest is the repo's (name "sessionkit"), and a
  // bundler would resolve `sessionkit/…` to the repo itself (package self-reference), not to node_modules.
  await writeFile(path.join(appDir, 'package.json'), `${JSON.stringify({ name: 'size-app', private: true, type: 'module' }, null, 2)}\n`)
  // And its own tsconfig.json: the repo's maps `sessionkit/*` to src/ ("paths"), which esbuild follows.
  await writeFile(path.join(appDir, 'tsconfig.json'), '{ "compilerOptions": {} }\n')
  log(`  packed ${info.filename}: ${info.size.toLocaleString('en')} B, ${info.entryCount} files (${((performance.now() - t0) / 1000).toFixed(1)} s)`)
  return { appDir, tarball, tarballBytes: info.size, fileCount: info.entryCount, warnings }
}

/**
 * esbuild over the packed package, as an app builds for production: `--bundle --minify --format=esm`,
 * `process.env.NODE_ENV` = "production", `external` left as imports. `contents` is the app's entry
 * (e.g. `export { useAuth } from 'sessionkit/react'`), resolved from the scratch app, or `entryFile`
 * (another library's entry in bench/size-entries, resolved from the repo's node_modules).
 * Returns `{ code, metafile }`; metafile inputs are relative to the app dir.
 */
export async function esbuildPacked({ contents, entryFile, external = ESBUILD_EXTERNALS, define = {}, log } = {}) {
  const { appDir } = await packedPackage({ log })
  const result = await esbuild({
    ...(entryFile
      ? { entryPoints: [path.resolve(repoRoot, entryFile)] }
      : { stdin: { contents, resolveDir: appDir, sourcefile: 'entry.js', loader: 'js' } }),
    absWorkingDir: appDir,
    tsconfig: path.join(appDir, 'tsconfig.json'),
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    external,
    define: { 'process.env.NODE_ENV': '"production"', ...define },
    logLevel: 'silent',
  })
  const inputs = Object.keys(result.metafile.inputs)
  const fromPackage = inputs.some((i) => i.startsWith('node_modules/sessionkit/dist/'))
  const fromSources = inputs.some((i) => i.includes('../src/'))
  if (contents?.includes("'sessionkit") && (!fromPackage || fromSources)) {
    throw new Error(`esbuild did not take sessionkit from the packed package: ${inputs.slice(0, 5).join(', ')}`)
  }
  return { code: result.outputFiles[0].text, metafile: result.metafile }
}

const PACKAGE_DIST = 'node_modules/sessionkit/dist/'

/**
 * The source file a packed module comes from: dist has one file per source module
 * (preserveModules), `dist/core/client.js` ↔ `src/core/client.ts`, and an entry
 * `dist/react.js` ↔ `src/react/index.ts`. Falls back to the dist path.
 */
function sourceOf(input) {
  if (!input.startsWith(PACKAGE_DIST)) return input.replace(/^(\.\.\/)+/, '').replace(/^node_modules\//, '')
  const rel = input.slice(PACKAGE_DIST.length).replace(/\.js$/, '')
  for (const candidate of [`${rel}.ts`, `${rel}.tsx`, `${rel}/index.ts`, `${rel}/index.tsx`]) {
    if (existsSync(path.join(repoRoot, 'src', candidate))) return `src/${candidate}`
  }
  return `dist/${rel}.js`
}

/**
 * Every module of an esbuild bundle (`esbuildPacked`'s metafile) with the bytes it put in the
 * output (`bytesInOutput`: its minified code as it sits in the bundle), named by its source
 * file, largest first; their sum; and the package's modules esbuild read but put no byte of
 * in the bundle (unused, or only re-exports).
 */
export function moduleBreakdown(metafile) {
  const output = Object.values(metafile.outputs)[0]
  const rows = Object.entries(output.inputs)
    .filter(([, v]) => v.bytesInOutput > 0)
    .map(([input, v]) => ({ id: sourceOf(input), bytes: v.bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes || a.id.localeCompare(b.id))
  const dropped = Object.keys(metafile.inputs)
    .filter((input) => input.startsWith(PACKAGE_DIST) && !(output.inputs[input]?.bytesInOutput > 0))
    .map(sourceOf)
    .sort()
  const sum = rows.reduce((n, r) => n + r.bytes, 0)
  return { rows, dropped, sum }
}

/**
 * The area a module belongs to (`src/core`, `src/react`, `src/adapters/http`; a dependency's
 * package) and its own folder when deeper (`src/core/tabs`), for the by-folder table.
 */
export function placeOf(id) {
  const parts = id.split('/')
  if (parts[0] === 'src' || parts[0] === 'dist') {
    const area = parts.slice(0, parts[1] === 'adapters' ? 3 : 2).join('/')
    const folder = parts.slice(0, -1).join('/')
    return { area, sub: folder.length > area.length ? folder : null }
  }
  return { area: parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0], sub: null }
}
