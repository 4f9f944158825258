// Types of demo-next.mjs, for the Next.js e2e setup and fixtures (test/e2e/nextjs*.ts).
import type { ChildProcess } from 'node:child_process'

/** The example's folder: examples/nextjs. */
export declare const NEXT_DIR: string

/** True when examples/nextjs has its dependencies (next, and the link to this package). */
export declare function hasNextDeps(): boolean

/** `npm ci` in examples/nextjs when its dependencies are missing; resolves true when it installed them. */
export declare function ensureNextDeps(): Promise<boolean>

/** The library's dist/ (`npm run build`). */
export declare function buildLibrary(): Promise<void>

/** dist-server/server.mjs. */
export declare function buildServer(): Promise<void>

/** `next build` of examples/nextjs for the reference server at `apiOrigin`, into `distDir` (default .next). */
export declare function buildNextApp(options: { apiOrigin: string; distDir?: string }): Promise<void>

/** What the build in `distDir` was made for, or null when there is none. */
export declare function readNextBuild(distDir?: string): { apiOrigin: string } | null

/** A running `next start`. */
export interface NextApp {
  /** e.g. http://127.0.0.1:40123 */
  url: string
  child: ChildProcess
  /** Its last lines of output. */
  output: string[]
  stop(): Promise<void>
}

/** `next start` on `host`:`port` (default 127.0.0.1:0, a free port) for the build in `distDir`. */
export declare function startNextApp(options?: { port?: number; host?: string; distDir?: string; stdout?: ((chunk: string) => void) | null }): Promise<NextApp>
