import { afterEach, describe, expect, it } from 'vitest'
import { createSessionClient } from '../../src/core/client'
import type { ClientSnapshot } from '../../src/core/types'
import { MINUTE, SECOND } from './helpers'
import { closeInputTabs, tabsWithInput, type InputTab } from './tabsWithInput'

// A tab that takes over from one that closed reports only real input the server has not heard: opening a
// tab is not input, so an idle user is still signed out for inactivity while tabs come and go.

afterEach(closeInputTabs)

const press = (target: EventTarget) => target.dispatchEvent(new Event('keydown'))

describe('given an idle user (10 min of inactivity) and tabs that come and go', () => {
  it('a new tab every 3 min taking over from the old one that closes renews nothing: signed out at 10 min', async () => {
    const { adapter, tabs, until, open } = await tabsWithInput(1)
    const sessionId = tabs[0]!.client.getState().session!.id
    adapter.resetCalls()
    let current: InputTab = tabs[0]!
    for (let at = 3 * MINUTE; at < 16 * MINUTE; at += 3 * MINUTE) {
      await until(at)
      const next = open()
      await until(at + 10 * SECOND)
      current.close()
      current = next
    }
    await until(16 * MINUTE)
    expect(adapter.calls.touchSession).toBe(0)
    expect(adapter.peek(sessionId)!.status).not.toBe('active')
    expect(current.client.getState().status).toBe('signed-out')
  })

  it('one page reloaded every 3 min from a server snapshot renews nothing: signed out after 10 min idle', async () => {
    const { clock, adapter, hub, tabs, until } = await tabsWithInput(1)
    tabs[0]!.close()
    adapter.resetCalls()
    let status = ''
    for (let i = 1; i <= 8; i++) {
      await until(i * 3 * MINUTE)
      // A server render's snapshot (GET /v1/client does not renew the session).
      const answer = await adapter.getClient()
      const initialClient: ClientSnapshot = { client: answer.data, serverNow: answer.serverNow }
      const transport = hub.tab()
      const client = createSessionClient({ adapter, clock, eventTarget: new EventTarget(), crossTab: transport, initialClient })
      const unmount = client.mount()
      await until(i * 3 * MINUTE + 10 * SECOND)
      status = client.getState().status
      unmount()
      client.destroy()
      transport.close()
    }
    expect(adapter.calls.touchSession).toBe(0)
    expect(status).toBe('signed-out')
  })

  it('input in a follower the closing leader had not reported yet is still reported by the new tab that takes over', async () => {
    const { adapter, tabs, until, open } = await tabsWithInput(2)
    const leader = tabs.find((tab) => tab.client.isLeader())!
    const other = tabs.find((tab) => tab !== leader)!
    await until(2 * MINUTE)
    press(other.input)
    await until(2 * MINUTE + 30 * SECOND)
    const late = open()
    await until(2 * MINUTE + 50 * SECOND)
    press(other.input)
    await until(2 * MINUTE + 52 * SECOND)
    adapter.resetCalls()
    leader.close()
    other.close()
    await until(4 * MINUTE)
    expect(late.client.isLeader()).toBe(true)
    expect(adapter.calls.touchSession).toBe(1)
  })
})

describe('given a leader with input it has not reported yet, and a tab opened since', () => {
  it('the leader closes before its trailing touch: the new tab reports that input', async () => {
    const { clock, adapter, tabs, until, open } = await tabsWithInput(1)
    const start = clock.now()
    const leader = tabs[0]!
    await until(2 * MINUTE)
    press(leader.input)
    await until(2 * MINUTE + 30 * SECOND)
    // Inside the touch interval: reported by the trailing touch at 3:00.
    press(leader.input)
    await until(2 * MINUTE + 40 * SECOND)
    const late = open()
    await until(2 * MINUTE + 50 * SECOND)
    adapter.resetCalls()
    leader.close()
    await until(4 * MINUTE)
    expect(late.client.isLeader()).toBe(true)
    expect(adapter.calls.touchSession).toBe(1)
    // Ten minutes after the input at 2:30 (not after the touch at 2:00).
    expect(late.client.getState().deadline! - start).toBeGreaterThanOrEqual(12 * MINUTE + 30 * SECOND)
  })
})
