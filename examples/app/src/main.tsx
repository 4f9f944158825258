import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { createHttpAdapter } from '../../../src/adapters/http'
import { SessionProvider } from '../../../src/react'
import '../../../src/react/styles.css'
import './app.css'
import { App } from './App'
import { ErrorBoundary } from './ErrorBoundary'

// Same origin as the reference server: relative URLs, first-party cookie,
// works unchanged behind a reverse proxy.
const adapter = createHttpAdapter({ baseUrl: '' })

const queryClient = new QueryClient({
  defaultOptions: {
    // The session layer already retries its own calls; one more try of the app's request is plenty.
    queries: { retry: 1, refetchOnWindowFocus: false },
  },
})

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ErrorBoundary>
      <QueryClientProvider client={queryClient}>
        <SessionProvider adapter={adapter} warnBefore={60_000}>
          <App />
        </SessionProvider>
      </QueryClientProvider>
    </ErrorBoundary>
  </StrictMode>,
)
