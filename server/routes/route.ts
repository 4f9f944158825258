import type { RequestContext } from '../context'

/** A handler returns the `data` payload (wrapped in the envelope) or a finished Response. */
export type RouteHandler = (ctx: RequestContext, params: (string | undefined)[]) => unknown

export interface Route {
  method: 'GET' | 'POST' | 'DELETE'
  /** Anchored; capture groups become `params`. */
  pattern: RegExp
  /** The route's name in logs-free stats (`POST /v1/client/sessions/:id/touch`). */
  name: string
  handle: RouteHandler
}

/** Ids we issue are short base64url strings; anything else cannot match a row. */
export const ID = '([A-Za-z0-9_-]{1,64})'

export const route = (method: Route['method'], path: string, name: string, handle: RouteHandler): Route => ({
  method,
  pattern: new RegExp(`^${path}$`),
  name,
  handle,
})
