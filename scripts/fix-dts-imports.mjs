#!/usr/bin/env node
// After `tsc -p tsconfig.build.json`: give every relative specifier in dist/types/**/*.d.ts the file it
// really names (`./core/index` → `./core/index.js`, `./core` → `./core/index.js`), so the declarations
// resolve under node16/nodenext as well as bundler resolution.
//
// Why a post-build rewrite: the sources import without extensions (bundler style) and many people edit
// them, so switching src/ to `.js` specifiers is a repo-wide churn; `rewriteRelativeImportExtensions` only
// rewrites specifiers that already end in `.ts`; bundling the declarations needs a tool with TypeScript's
// JS API, which TypeScript 7 does not have. Each specifier is checked against the emitted files: one that
// names no declaration fails the build instead of shipping a broken import.
import { readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const typesDir = resolve(root, process.argv[2] ?? 'dist/types')

// `from '…'` (import/export … from), `import('…')` (inline type imports tsc writes) and `import '…'`.
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|^\s*import\s*)(['"])(\.\.?(?:\/[^'"]*)?)\2/gm

function declarationFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return declarationFiles(path)
    return name.endsWith('.d.ts') ? [path] : []
  })
}

/** The specifier with the extension node16 needs, or undefined when it names no emitted declaration. */
function fixSpecifier(file, specifier) {
  const target = resolve(dirname(file), specifier)
  if (/\.js$/.test(specifier) && existsSync(target.replace(/\.js$/, '.d.ts'))) return specifier
  if (existsSync(`${target}.d.ts`)) return `${specifier}.js`
  if (existsSync(join(target, 'index.d.ts'))) return `${specifier.replace(/\/$/, '')}/index.js`
  return undefined
}

if (!existsSync(typesDir)) {
  console.error(`fix-dts-imports: ${relative(root, typesDir)} does not exist; run tsc -p tsconfig.build.json first.`)
  process.exit(1)
}

const unresolved = []
let rewritten = 0
for (const file of declarationFiles(typesDir)) {
  const text = readFileSync(file, 'utf8')
  const fixed = text.replace(SPECIFIER, (match, lead, quote, specifier) => {
    const next = fixSpecifier(file, specifier)
    if (next === undefined) {
      unresolved.push(`${relative(root, file)}: '${specifier}'`)
      return match
    }
    if (next !== specifier) rewritten += 1
    return `${lead}${quote}${next}${quote}`
  })
  if (fixed !== text) writeFileSync(file, fixed)
}

if (unresolved.length > 0) {
  console.error(
    `fix-dts-imports: these relative imports name no emitted declaration; fix the source import:\n  ${unresolved.join('\n  ')}`,
  )
  process.exit(1)
}
console.log(`fix-dts-imports: ${rewritten} relative specifiers now name their .js file`)
