// next-auth (v4) on the client: the provider and the hook.
export { SessionProvider, useSession } from 'next-auth/react'
