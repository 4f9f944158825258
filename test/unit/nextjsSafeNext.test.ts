// The Next example's `?next=` after sign-in: only a path on this site may
// follow, however the URL parser would read the rest.
import { describe, expect, it } from 'vitest'
import { safeNext } from '../../examples/nextjs/lib/config'

describe('safeNext (the Next example goes on to `next` after sign-in)', () => {
  it('keeps a path on this site, with its query and hash', () => {
    expect(safeNext('/dashboard')).toBe('/dashboard')
    expect(safeNext('/dashboard/settings?tab=devices#security')).toBe('/dashboard/settings?tab=devices#security')
    expect(safeNext(['/dashboard/a', '/elsewhere'])).toBe('/dashboard/a')
  })

  it.each([
    ['a tab the URL parser strips', '/\t/evil.com'],
    ['a newline the URL parser strips', '/\n/evil.com'],
    ['a carriage return', '/\r/evil.com'],
    ['a backslash read as a slash', '/\\evil.com'],
    ['a backslash, then a tab', '\\\t\\evil.com'],
    ['two backslashes', '\\\\evil.com'],
    ['a protocol-relative URL', '//evil.com'],
    ['a protocol-relative URL with a path', '//evil.com/dashboard'],
    ['a scheme without slashes', 'https:evil.com'],
    ['an absolute URL', 'https://evil.com/'],
    ['javascript:', 'javascript:alert(1)'],
    ['a leading space', ' //evil.com'],
    ['a path that parses to two slashes', '/a/..//evil.com'],
    ['a dot segment, then a backslash', '/./\\evil.com'],
  ])('sends %s to /dashboard, never to another origin (%j)', (_name, next) => {
    const target = safeNext(next)
    expect(target).toBe('/dashboard')
    // What router.push / redirect would make of it, against this site.
    expect(new URL(target, 'https://app.example').origin).toBe('https://app.example')
  })

  it('sends nothing, an empty value and a relative path to /dashboard', () => {
    expect(safeNext(undefined)).toBe('/dashboard')
    expect(safeNext('')).toBe('/dashboard')
    expect(safeNext([])).toBe('/dashboard')
    expect(safeNext('dashboard')).toBe('/dashboard')
  })
})
