import type { RequestContext } from '../context'
import { badRequest, readJsonBody } from '../http'
import { route, type Route } from './route'

/**
 * A clock that runs with its base clock plus an offset that tests move.
 * It keeps running between moves, like the browser's clock in an e2e test.
 */
export class AdjustableClock {
  private offset = 0

  constructor(private readonly base: { now(): number }) {}

  now(): number {
    return this.base.now() + this.offset
  }

  advance(ms: number): void {
    this.offset += ms
  }

  set(at: number): void {
    this.offset = at - this.base.now()
  }
}

const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value)

async function moveClock(ctx: RequestContext, clock: AdjustableClock) {
  const body = await readJsonBody(ctx.request)
  if (isTime(body.advanceMs)) clock.advance(body.advanceMs)
  else if (isTime(body.set) && body.set >= 0) clock.set(body.set)
  else throw badRequest('Send { "advanceMs": <ms> } or { "set": <ms since epoch> }.')
  return { now: clock.now() }
}

function stats(ctx: RequestContext) {
  const routes = Object.fromEntries(ctx.app.stats)
  return {
    routes,
    tokenMints: ctx.app.stats.get('POST /v1/client/sessions/:id/tokens') ?? 0,
    touches: ctx.app.stats.get('POST /v1/client/sessions/:id/touch') ?? 0,
  }
}

/** Only mounted when SESSIONKIT_TEST_CLOCK=1; otherwise these paths are 404 like any unknown one. */
export function testRoutes(clock: AdjustableClock): Route[] {
  return [
    route('GET', '/__test/clock', 'GET /__test/clock', () => ({ now: clock.now() })),
    route('POST', '/__test/clock', 'POST /__test/clock', (ctx) => moveClock(ctx, clock)),
    route('GET', '/__test/stats', 'GET /__test/stats', stats),
    route('DELETE', '/__test/stats', 'DELETE /__test/stats', (ctx) => {
      ctx.app.stats.clear()
      return stats(ctx)
    }),
  ]
}
