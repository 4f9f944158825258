// Every public export of sessionkit/react is documented on a Storybook docs
// page, and every API page has the same outline.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

// Under jsdom `import.meta.url` is not a file URL; Vitest still gives each module its `__dirname`.
const root = resolve(__dirname, '../..')
const OUTLINE = ['Signature', 'Parameters', 'Usage', 'Troubleshooting']

/** The names `source` exports: `export { a, type B, c as d }`, `export type { … }`, `export const/function/class …`. */
export function exportedNames(source: string): string[] {
  const names = new Set<string>()
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')
  for (const [, list] of code.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const entry of list!.split(',')) {
      const name = entry.trim().replace(/^type\s+/, '').split(/\s+as\s+/).pop()!.trim()
      if (name) names.add(name)
    }
  }
  for (const [, name] of code.matchAll(/export\s+(?:declare\s+)?(?:const|let|function|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/g)) {
    names.add(name!)
  }
  return [...names]
}

function mdxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return mdxFiles(path)
    return entry.name.endsWith('.mdx') ? [path] : []
  })
}

const exports = exportedNames(readFileSync(join(root, 'src/react/index.ts'), 'utf8'))
const pages = mdxFiles(join(root, 'stories')).map((path) => ({ path: relative(root, path), text: readFileSync(path, 'utf8') }))

describe('the docs of sessionkit/react', () => {
  it('reads the exports of src/react/index.ts', () => {
    expect(exports).toEqual(expect.arrayContaining(['SessionProvider', 'useAuth', 'InactivityWarning', 'SessionProviderProps']))
  })

  it('mention every export on some docs page', () => {
    const missing = exports.filter(
      (name) => !pages.some(({ text }) => new RegExp(`(^|[^\\w$])${name.replace(/\$/g, '\\$')}($|[^\\w$])`).test(text)),
    )
    expect(missing, `exports of src/react/index.ts on no page under stories/**/*.mdx: ${missing.join(', ')}`).toEqual([])
  })

  it('give every API page the outline Signature, Parameters, Usage, Troubleshooting', () => {
    const apiPages = pages.filter(({ text }) => !/<Meta\s+title="Introduction\//.test(text))
    expect(apiPages.length).toBeGreaterThan(0)
    for (const { path, text } of apiPages) {
      const headings = [...text.matchAll(/^##\s+(.+?)\s*$/gm)].map(([, heading]) => heading)
      expect(headings.filter((heading) => OUTLINE.includes(heading!)), path).toEqual(OUTLINE)
    }
  })
})
