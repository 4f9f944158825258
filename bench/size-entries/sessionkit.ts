// sessionkit's typical import for the size table (bench/size.mjs): the
// provider, the two hooks most apps read, the ready-made warning and the
// http adapter that talks to a sessionkit server.
export { SessionProvider, useAuth, useSession, InactivityWarning } from '../../src/react'
export { createHttpAdapter } from '../../src/adapters/http'
