/**
 * The http adapter: talks to a server that speaks the sessionkit protocol
 * (v1), such as the reference server in `server/`.
 */
export { createHttpAdapter, type HttpSessionAdapter } from './adapter'
export { DEFAULT_RETRIES, DEFAULT_TIMEOUT_MS, type FetchFunction, type HttpAdapterOptions } from './options'
