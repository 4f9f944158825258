import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// Library build: one ES module per public entry point; peers and dependencies
// stay external so the app's own copies (React, zustand, @noble/hashes, oauth4webapi, jose) are used.
export default defineConfig({
  plugins: [react()],
  build: {
    lib: {
      formats: ['es'],
      entry: {
        index: 'src/index.ts',
        react: 'src/react/index.ts',
        'react-query': 'src/react-query/index.ts',
        'adapters/memory': 'src/adapters/memory/index.ts',
        'adapters/http': 'src/adapters/http/index.ts',
        'adapters/oidc': 'src/adapters/oidc/index.ts',
        server: 'src/server/index.ts',
      },
    },
    sourcemap: true,
    minify: false,
    rolldownOptions: {
      // One output file per source module: an app's bundler drops whole unused
      // modules (package.json "sideEffects"), which it cannot do inside a merged chunk.
      // Top-level `const` stays `const` (rolldown would write `var`): esbuild inlines
      // a primitive `const` imported from another module, never a `var`.
      output: { preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js', topLevelVar: false },
      external: [/^react($|\/)/, /^react-dom($|\/)/, /^zustand($|\/)/, /^@tanstack\//, /^@noble\//, /^oauth4webapi$/, /^jose$/],
    },
  },
})
