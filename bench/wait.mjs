// Waits for a condition in a page without Playwright's `waitForFunction`:
// that runs Playwright's injected script in the page's own JS world, which
// adds listeners on `window` (mousemove, pointerdown, click, …) that then run
// for every event the benchmark dispatches, on every page, the "bare" one
// included. `page.evaluate` adds none.

/** Polls `predicate` (a function run in the page) every `everyMs` until it returns true; throws after `timeoutMs`. */
export async function waitInPage(page, predicate, { timeoutMs = 15_000, everyMs = 20, arg } = {}) {
  const t0 = Date.now()
  for (;;) {
    if (await page.evaluate(predicate, arg)) return
    if (Date.now() - t0 > timeoutMs) throw new Error(`waitInPage: still false after ${timeoutMs} ms: ${String(predicate)}`)
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}
