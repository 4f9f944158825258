// Diagnostic page, not in the comparison: counts which DOM events a workload
// actually delivers (real input coalesces mouse moves per frame).
const counts = { pointermove: 0, mousemove: 0, keydown: 0 }
for (const type of Object.keys(counts)) {
  window.addEventListener(type, () => counts[type]++, { capture: true, passive: true })
}
window.__pageInfo = () => ({ ...counts })
