// The stylesheet ships as its own entry (`sessionkit/styles.css`): apps opt in
// to it, and the JavaScript never imports CSS.
import { copyFileSync, existsSync } from 'node:fs'

if (existsSync('src/react/styles.css')) copyFileSync('src/react/styles.css', 'dist/styles.css')
