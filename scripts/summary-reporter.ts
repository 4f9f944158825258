// Vitest prints no plain "N passed, N failed" line; CI reads one. This reporter
// counts test results and writes them where scripts/test.mjs adds them up.
import { writeFileSync } from 'node:fs'
import type { Reporter, TestCase, TestModule } from 'vitest/node'

export default class SummaryReporter implements Reporter {
  #passed = 0
  #failed = 0
  #skipped = 0

  onTestCaseResult(test: TestCase) {
    const state = test.result().state
    if (state === 'passed') this.#passed++
    else if (state === 'failed') this.#failed++
    else this.#skipped++
  }

  onTestRunEnd(modules: readonly TestModule[], errors: readonly unknown[]) {
    // An error outside any test (a file that failed to import, an unhandled
    // rejection) is a failure too.
    const brokenModules = modules.filter((module) => module.errors().length > 0).length
    const failed = this.#failed + brokenModules + errors.length
    const line = `vitest: ${this.#passed} passed, ${failed} failed, ${this.#skipped} skipped`
    console.log(line)
    const out = process.env.SESSIONKIT_SUMMARY_FILE
    if (out) writeFileSync(out, JSON.stringify({ passed: this.#passed, failed, skipped: this.#skipped }))
  }
}
