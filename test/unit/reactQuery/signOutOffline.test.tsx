import { onlineManager } from '@tanstack/react-query'
import { act } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { SessionQueryBoundary } from '../../../src/react-query'
import { createQueryWorld, renderWithQueries, SECOND } from './harness'

afterEach(() => {
  onlineManager.setOnline(true)
})

describe('given a sign-out while the session server is down', () => {
  it('queries on the signed-out page run again once the server is back and heard the sign-out, without a browser event', async () => {
    const world = createQueryWorld()
    await renderWithQueries(world, <SessionQueryBoundary />)
    world.adapter.fail('offline')
    await act(() => world.client.load().catch(() => undefined))
    await act(() => world.client.signOut())
    expect(world.client.getState().status).toBe('signed-out')
    expect(onlineManager.isOnline()).toBe(false)
    world.adapter.fail(null)
    await world.advance(30 * SECOND)
    await world.advance(0)
    expect(onlineManager.isOnline()).toBe(true)
  })
})
