import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// The demo app (examples/app) built into examples/app/dist, which the
// reference server serves on the same origin as the API. The app imports the
// library from source (relative imports into src/), so a change there shows
// up in the next build without `npm run build`.
// `--mode oidc` builds the app against an OpenID provider instead (main.tsx
// reads `import.meta.env.MODE`) into examples/app/dist-oidc: npm run demo:oidc.
export default defineConfig(({ mode }) => ({
  root: fileURLToPath(new URL('./examples/app', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: mode === 'oidc' ? 'dist-oidc' : 'dist',
    emptyOutDir: true,
    sourcemap: true,
  },
}))
