/**
 * The memory adapter: an in-process backend with Clerk's session semantics,
 * for tests, stories and prototypes. Not for production.
 */
export { createMemoryAdapter, type MemoryAdapter } from './adapter'
export type { AdapterMethod, FailOptions, FailureMode } from './failures'
export type { MemoryAdapterOptions } from './options'
export { DEFAULT_TEMPLATES, MEMORY_ISSUER, type TokenTemplate } from './tokens'
export { DEMO_PASSWORD, DEMO_TOTP_CODE, DEMO_USERS, type MemoryUser } from './users'
