// The stylesheet ships as its own entry (`sessionkit/styles.css`): apps opt in
// to it, and the JavaScript never imports CSS. It gets an empty declaration file
// too: TypeScript 6+ checks side-effect imports (`noUncheckedSideEffectImports`),
// so `import 'sessionkit/styles.css'` would fail to type-check in an app whose
// tsconfig knows no `*.css` module (one without vite/client or Next's types).
import { copyFileSync, existsSync, writeFileSync } from 'node:fs'

if (existsSync('src/react/styles.css')) {
  copyFileSync('src/react/styles.css', 'dist/styles.css')
  writeFileSync('dist/styles.css.d.ts', '// sessionkit/styles.css is a stylesheet: importing it only adds its rules to the page.\nexport {}\n')
}
