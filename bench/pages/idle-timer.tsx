// Page (e): react-idle-timer as an app uses it for the same job: useIdleTimer
// with the same 15-minute timeout, a prompt 60 s before (a closed dialog
// rendered by the app) and cross-tab replication, as sessionkit has it on.
import { createRoot } from 'react-dom/client'
import { useEffect, useState } from 'react'
import { useIdleTimer } from 'react-idle-timer'

const TIMEOUT_MS = 15 * 60_000

let commits = 0

function App() {
  const [prompt, setPrompt] = useState(false)
  const [idle, setIdle] = useState(false)
  const timer = useIdleTimer({
    timeout: TIMEOUT_MS,
    promptBeforeIdle: 60_000,
    crossTab: true,
    onPrompt: () => setPrompt(true),
    onIdle: () => setIdle(true),
    onActive: () => setPrompt(false),
  })
  useEffect(() => {
    commits++
    ;(window as unknown as { __pageInfo: () => unknown }).__pageInfo = () => ({ commits, idle })
  })
  return (
    <>
      <main>{idle ? 'Signed out' : 'Signed in'}</main>
      {prompt ? (
        <dialog open>
          <p>Still there?</p>
          <button type="button" onClick={() => timer.activate()}>
            Stay signed in
          </button>
        </dialog>
      ) : null}
    </>
  )
}

const root = document.createElement('div')
document.body.append(root)
createRoot(root).render(<App />)
