import { describe, expect, it, vi } from 'vitest'

// If anything under src/core imported React, loading it would throw here.
vi.mock('react', () => {
  throw new Error('src/core must not import react')
})
vi.mock('react-dom', () => {
  throw new Error('src/core must not import react-dom')
})

describe('the core entry point', () => {
  it('loads and runs a whole sign-in → token → sign-out cycle with React mocked away', async () => {
    const core = await import('../../src/index')
    const { createMemoryAdapter } = await import('../../src/adapters/memory')
    const clock = core.createVirtualClock()
    const client = core.createSessionClient({
      adapter: createMemoryAdapter({ clock }),
      clock,
      eventTarget: null,
    })
    client.mount()
    await clock.advanceAsync(0)
    await client.signIn({ identifier: 'ada@example.com', password: 'password' })
    const token = await client.getToken()
    expect(core.decodeJwt(token!).sub).toBe('user_ada')
    await client.signOut()
    expect(client.getState().status).toBe('signed-out')
    client.destroy()
  })
})
