// Page (f): a React app with no session library: a root with the same shape
// as the provider page's (a <main> and a closed <dialog>). What React itself
// costs per event (its delegated listeners on the root container run for
// real input that lands inside it), so the provider page's cost can be split
// into React's and sessionkit's.
import { createRoot } from 'react-dom/client'
import { useEffect } from 'react'

let commits = 0

function App() {
  useEffect(() => {
    commits++
    ;(window as unknown as { __pageInfo: () => unknown }).__pageInfo = () => ({ commits })
  })
  return (
    <>
      <main>Signed in as user_1</main>
      <dialog />
    </>
  )
}

const root = document.createElement('div')
document.body.append(root)
createRoot(root).render(<App />)
