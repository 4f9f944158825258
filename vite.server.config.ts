import { builtinModules } from 'node:module'
import { defineConfig } from 'vite'

// The reference server as one Node module: `node dist-server/server.mjs`.
// Its own source and the library code it shares are bundled; Node built-ins
// and the two packages with native-ish assets (jose, the SQLite wasm) stay
// external and load from node_modules at run time.
export default defineConfig({
  publicDir: false,
  build: {
    ssr: 'server/main.ts',
    outDir: 'dist-server',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: true,
    rolldownOptions: {
      external: [/^node:/, ...builtinModules, 'jose', 'node-sqlite3-wasm'],
      output: { format: 'es', entryFileNames: 'server.mjs' },
    },
  },
  ssr: { external: ['jose', 'node-sqlite3-wasm'] },
})
