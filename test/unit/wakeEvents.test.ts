import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { watchWakeEvents, type WakeKind } from '../../src/core/wakeEvents'

let visibility: DocumentVisibilityState = 'visible'
beforeEach(() => {
  visibility = 'visible'
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility })
})
afterEach(() => {
  vi.restoreAllMocks()
  Reflect.deleteProperty(document, 'visibilityState')
})

describe('watchWakeEvents', () => {
  let wakes: WakeKind[]
  let stop: () => void
  beforeEach(() => {
    wakes = []
    stop = watchWakeEvents(window, (kind) => wakes.push(kind))
  })
  afterEach(() => stop())

  it('reports a tab becoming visible (dispatched on document)', () => {
    document.dispatchEvent(new Event('visibilitychange'))
    expect(wakes).toEqual(['visible'])
  })

  it('ignores a tab going hidden', () => {
    visibility = 'hidden'
    document.dispatchEvent(new Event('visibilitychange'))
    expect(wakes).toEqual([])
  })

  it('reports window focus, page show, online and offline', () => {
    for (const type of ['focus', 'pageshow', 'online', 'offline']) window.dispatchEvent(new Event(type))
    expect(wakes).toEqual(['focus', 'pageshow', 'online', 'offline'])
  })

  it('does not treat focus moving between fields as a wake-up', () => {
    const input = document.body.appendChild(document.createElement('input'))
    input.focus()
    input.blur()
    input.remove()
    expect(wakes).toEqual([])
  })

  it('detaches every listener, once', () => {
    stop()
    stop()
    document.dispatchEvent(new Event('visibilitychange'))
    for (const type of ['focus', 'pageshow', 'online', 'offline']) window.dispatchEvent(new Event(type))
    expect(wakes).toEqual([])
  })

  it('removes exactly what it added', () => {
    const target = new EventTarget()
    const add = vi.spyOn(target, 'addEventListener')
    const remove = vi.spyOn(target, 'removeEventListener')
    watchWakeEvents(target, () => {})()
    const added = add.mock.calls.map(([type, callback, options]) => [type, callback, Boolean((options as AddEventListenerOptions).capture)])
    const removed = remove.mock.calls.map(([type, callback, capture]) => [type, callback, capture])
    expect(removed).toEqual(added)
    expect(added.map(([type]) => type)).toEqual(['visibilitychange', 'focus', 'pageshow', 'online', 'offline'])
  })

  it('does nothing without a target (SSR)', () => {
    const detach = watchWakeEvents(null, () => wakes.push('focus'))
    detach()
    expect(wakes).toEqual([])
  })
})
