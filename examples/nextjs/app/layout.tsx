import type { Metadata } from 'next'
import type { ReactNode } from 'react'
import 'sessionkit/styles.css'
import './globals.css'
import { readSnapshot } from '../lib/session'
import { Providers } from './providers'

export const metadata: Metadata = { title: 'sessionkit + Next.js' }

/**
 * Every page renders with the session the server knows of: the snapshot goes
 * to the client's SessionProvider, so the first paint (server HTML and
 * hydration alike) is already signed in or out.
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const snapshot = await readSnapshot()
  return (
    <html lang="en">
      <body>
        <Providers initialClient={snapshot}>{children}</Providers>
      </body>
    </html>
  )
}
