import path from 'node:path'
import type { NextConfig } from 'next'

// The reference server (npm run build:server) this app talks to. The browser
// reaches it through the rewrites below, on this app's own origin, so its
// client cookie is first-party; the Next server (middleware, server
// components, route handlers) asks it directly. Rewrites are fixed when
// `next build` runs, so the origin is too: it is inlined into every bundle
// through `env`, and one build serves one API origin.
const apiOrigin = (process.env.SESSIONKIT_API_ORIGIN ?? 'http://127.0.0.1:3001').replace(/\/+$/, '')
const issuer = process.env.SESSIONKIT_ISSUER ?? 'sessionkit'

const nextConfig: NextConfig = {
  // The end-to-end tests build into their own folder (read by `next start` too), so a demo keeps its build.
  distDir: process.env.SESSIONKIT_NEXT_DIST_DIR ?? '.next',
  env: { SESSIONKIT_API_ORIGIN: apiOrigin, SESSIONKIT_ISSUER: issuer },
  // sessionkit is linked from the repository root (file:../..): Turbopack resolves only inside its root.
  turbopack: { root: path.join(__dirname, '../..') },
  outputFileTracingRoot: path.join(__dirname, '../..'),
  reactStrictMode: true,
  poweredByHeader: false,
  async rewrites() {
    return [
      // The sessionkit protocol (the http adapter's calls) and the key set.
      { source: '/v1/:path*', destination: `${apiOrigin}/v1/:path*` },
      { source: '/.well-known/:path*', destination: `${apiOrigin}/.well-known/:path*` },
      // The reference server's own demo API, for comparison with app/api/hello.
      { source: '/api/me', destination: `${apiOrigin}/api/me` },
      { source: '/api/sensitive', destination: `${apiOrigin}/api/sensitive` },
    ]
  },
}

export default nextConfig
