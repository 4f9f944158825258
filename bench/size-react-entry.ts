// The typical React import, for the size table (bench/size.mjs).
export { SessionProvider, useAuth, useSession, InactivityWarning } from '../src/react'
