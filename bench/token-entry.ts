// What the getToken benchmark needs, bundled for Node by bench/token.mjs.
export { createSessionClient, createVirtualClock, decodeJwt } from '../src/index'
export { createMemoryAdapter } from '../src/adapters/memory'
export { TokenCache } from '../src/core/tokenCache'
export { cacheKeyOf } from '../src/core/tokenKey'
