import { act, render } from '@testing-library/react'
import { useState } from 'react'
import { describe, expect, it } from 'vitest'
import type { SessionClient, SessionClientState } from '../../../src/core/types'
import { useSessionSelector } from '../../../src/react'
import { createWorld } from './harness'

const selectStatus = (state: SessionClientState) => state.status

/** The client, counting how often its state is read. */
function counting(client: SessionClient) {
  const counter = { reads: 0 }
  const counted = new Proxy(client, {
    get: (target, key) =>
      key === 'getState'
        ? () => {
            counter.reads++
            return target.getState()
          }
        : Reflect.get(target, key),
  })
  return { counted, counter }
}

describe('useSessionSelector', () => {
  it('hands React the same snapshot reader while the selector is the same: a re-render reads the state only while rendering', () => {
    const world = createWorld()
    const { counted, counter } = counting(world.client)
    let rerender = () => {}
    let readsWhenRendered = 0
    function Status() {
      const [, setCount] = useState(0)
      rerender = () => setCount((count) => count + 1)
      const status = useSessionSelector(selectStatus, undefined, { client: counted })
      readsWhenRendered = counter.reads
      return <p>{status}</p>
    }
    render(<Status />)
    for (let i = 0; i < 3; i++) {
      act(() => rerender())
      // A new reader each render would have React read the state again after the commit, to check it.
      expect(counter.reads - readsWhenRendered).toBe(0)
    }
  })
})
