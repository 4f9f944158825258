'use client'
// sessionkit/react-query: TanStack Query integration. Only apps that import
// this entry load @tanstack/react-query; nothing in sessionkit or
// sessionkit/react imports it.

export {
  createAuthFetch,
  type AuthFetch,
  type AuthFetchInit,
  type AuthFetchOptions,
  type AuthTokenOptions,
} from './authFetch'
export { useAuthFetch, type UseAuthFetchOptions } from './useAuthFetch'
export { fetchJson, readJson, type FetchLike } from './fetchJson'
export { HttpError, isHttpError, type HttpErrorDetails } from './httpError'
export {
  sessionKey,
  sessionIdInKey,
  type SessionKey,
  type SessionKeyOptions,
  type SessionKeySource,
  type SessionTag,
} from './sessionKey'
export { useSessionKey } from './useSessionKey'
export { connectQueryClient, type SessionQueryCacheOptions } from './connectQueryClient'
export { useSessionQueryCache, type UseSessionQueryCacheOptions } from './useSessionQueryCache'
export { SessionQueryBoundary, type SessionQueryBoundaryProps } from './SessionQueryBoundary'
export { connectOnlineManager } from './onlineManager'
export { sessionRetry, sessionRetryDelay, isRetryableError, SESSION_RETRY_LIMIT } from './retry'
