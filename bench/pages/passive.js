// Page (b): the cheapest always-on activity listener there is: one passive
// capture listener per event type that only stores Date.now(). The floor of
// "a JS listener is invoked for every event".
let last = 0
const record = () => {
  last = Date.now()
}
for (const type of ['pointermove', 'mousemove', 'keydown']) {
  window.addEventListener(type, record, { capture: true, passive: true })
}
window.__pageInfo = () => ({ last })
