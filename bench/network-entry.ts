// What the network benchmark's sessionkit side needs, bundled for Node by bench/network.mjs.
export { createSessionClient } from '../src/core/client'
export { createVirtualClock } from '../src/core/virtualClock'
export { createMemoryTabHub } from '../src/core/tabs/memoryTransport'
export { createMemoryAdapter } from '../src/adapters/memory'
export { DEFAULT_POLICY } from '../src/core/lifetimes'
