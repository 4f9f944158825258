import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { createHttpAdapter } from '../../../src/adapters/http'
import { SessionProvider } from '../../../src/react'
import { SessionQueryBoundary, sessionRetry, sessionRetryDelay } from '../../../src/react-query'
import '../../../src/react/styles.css'
import './app.css'
import { App } from './App'
import { saveDraftBeforeSignOut } from './DraftNote'
import { ErrorBoundary } from './ErrorBoundary'
import { createDemoOidcAdapter, oidcConfig } from './oidc'

// Same origin as the reference server: relative URLs, first-party cookie,
// works unchanged behind a reverse proxy. Built with --mode oidc: an OpenID provider.
const adapter = oidcConfig ? createDemoOidcAdapter(oidcConfig) : createHttpAdapter({ baseUrl: '' })

const queryClient = new QueryClient({
  defaultOptions: {
    // Network failures, 408, 429 and 5xx are retried with sessionkit's backoff;
    // 401, 403 and "signed out" are definite answers and are not.
    queries: { retry: sessionRetry, retryDelay: sessionRetryDelay, refetchOnWindowFocus: false },
  },
})

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ErrorBoundary>
      <QueryClientProvider client={queryClient}>
        {/* beforeSignOut: the draft note is saved before a deadline (or a sign-out elsewhere) ends the session. */}
        <SessionProvider adapter={adapter} warnBefore={60_000} beforeSignOut={saveDraftBeforeSignOut}>
          {/* Inside both providers: sign-out drops every query, a switch drops the previous account's. */}
          <SessionQueryBoundary>
            <App />
          </SessionQueryBoundary>
        </SessionProvider>
      </QueryClientProvider>
    </ErrorBoundary>
  </StrictMode>,
)
