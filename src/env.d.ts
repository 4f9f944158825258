// `process.env.NODE_ENV`, which an app's bundler replaces with a string at
// build time (as it does for React). Written at each use, never through a
// shared constant: a bundler drops a development-only branch only when it
// sees the literal expression, while it still parses the module. Declared the
// way @types/node declares it, so the two merge where both are present.
declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV?: string
  }
  interface Process {
    env: ProcessEnv
  }
}
declare var process: NodeJS.Process
