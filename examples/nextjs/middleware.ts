// Runs before /dashboard renders, in the edge runtime. Next 16 renamed
// middleware.ts to proxy.ts, but a proxy runs on Node.js only; middleware.ts
// is what keeps the edge runtime, where sessionkit/server runs too (fetch and
// Web Crypto only).
import { NextResponse, type NextRequest } from 'next/server'
import { getClientSnapshot, isSignedIn } from 'sessionkit/server'
import { API_ORIGIN } from './lib/config'

export async function middleware(request: NextRequest) {
  let signedIn: boolean
  try {
    // Asks the server, not just whether a cookie exists: a cookie outlives a session that
    // ended by inactivity, and that user must not see the dashboard's first paint.
    // A snapshot can be signed out and still list this browser's other accounts: ask who is active.
    signedIn = isSignedIn(await getClientSnapshot(request, { baseUrl: API_ORIGIN, timeoutMs: 3_000 }))
  } catch {
    // The session server cannot be reached: not a sign-out. The page renders its loading state.
    return NextResponse.next()
  }
  if (signedIn) return NextResponse.next()
  const signIn = new URL('/sign-in', request.url)
  signIn.searchParams.set('next', request.nextUrl.pathname)
  return NextResponse.redirect(signIn)
}

export const config = {
  matcher: ['/dashboard', '/dashboard/:path*'],
}
