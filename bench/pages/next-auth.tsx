// next-auth (v4) page for the network benchmark: its real SessionProvider with
// the defaults (refetchInterval 0, refetchOnWindowFocus true,
// refetchWhenOffline unset) and one useSession consumer, as an app mounts it.
// The loopback server (bench/network.mjs) answers /api/auth/session and
// counts every request. One page is one tab; tabs share localStorage, which is
// how next-auth tells other tabs to refetch.
import { createRoot } from 'react-dom/client'
import { useEffect } from 'react'
import { SessionProvider, useSession } from 'next-auth/react'

type Win = typeof window & {
  __status?: string
  __api?: () => Promise<void>
  __input?: () => void
  __visibilityChange?: () => void
}
const win = window as Win

function App() {
  const { data, status } = useSession()
  useEffect(() => {
    win.__status = status
  })
  return <main>{status === 'authenticated' ? `Signed in as ${data?.user?.email}` : status}</main>
}

// A tab switch as the page sees it: hidden, then visible again. next-auth
// refetches on the visible one (and tells the other tabs to refetch too).
// Outside a simulated switch the browser's own state shows through.
const real = Object.getOwnPropertyDescriptor(Document.prototype, 'visibilityState')!
let simulated: DocumentVisibilityState | null = null
Object.defineProperty(document, 'visibilityState', {
  configurable: true,
  get: () => simulated ?? (real.get!.call(document) as DocumentVisibilityState),
})
win.__visibilityChange = () => {
  simulated = 'hidden'
  document.dispatchEvent(new Event('visibilitychange'))
  window.dispatchEvent(new Event('blur'))
  simulated = 'visible'
  document.dispatchEvent(new Event('visibilitychange'))
  window.dispatchEvent(new Event('focus'))
  simulated = null
}
// An API call: with next-auth the session cookie goes along; nothing asks the auth endpoint.
win.__api = async () => {
  await fetch('/api/data')
}
win.__input = () => {
  document.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, key: 'a' }))
  document.dispatchEvent(new PointerEvent('pointermove', { bubbles: true }))
}
/**
 * The scenario on the page's own (fake) clock: input and an API call every
 * `apiEveryMs` from `apiOffsetMs`, a tab switch every `switchEveryMs` from
 * `switchOffsetMs`. The bench moves the clock; the timers do the rest.
 */
;(win as Win & { __schedule?: unknown }).__schedule = (s: { apiEveryMs: number; apiOffsetMs: number; switchEveryMs: number; switchOffsetMs: number }) => {
  let apiCalls = 0
  let switches = 0
  setTimeout(function api() {
    win.__input!()
    void win.__api!()
    apiCalls++
    setTimeout(api, s.apiEveryMs)
  }, s.apiOffsetMs)
  setTimeout(function tabSwitch() {
    win.__visibilityChange!()
    switches++
    setTimeout(tabSwitch, s.switchEveryMs)
  }, s.switchOffsetMs)
  ;(win as Win & { __done?: () => unknown }).__done = () => ({ apiCalls, switches })
}

const root = document.createElement('div')
document.body.append(root)
createRoot(root).render(
  <SessionProvider>
    <App />
  </SessionProvider>,
)
