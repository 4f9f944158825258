#!/usr/bin/env node
// `npm test`: type-check, the published types, then every test project, then the Playwright e2e flows, then one
// plain closing line "N passed, N failed, N skipped" that CI reads.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromiumPath, hasChromium } from './chromium.mjs'

if (!hasChromium()) {
  console.error(
    `No Chromium at ${chromiumPath}: install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium binary.`,
  )
  process.exit(1)
}

const totals = { passed: 0, failed: 0, skipped: 0 }
const tmp = mkdtempSync(join(tmpdir(), 'sessionkit-test-'))

function run(label, command, args, env = {}) {
  console.log(`\n> ${label}: ${command} ${args.join(' ')}`)
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } })
  return result.status ?? 1
}

function addSummary(file, status, label) {
  if (existsSync(file)) {
    const counts = JSON.parse(readFileSync(file, 'utf8'))
    totals.passed += counts.passed
    totals.failed += counts.failed
    totals.skipped += counts.skipped
  }
  // A runner that exits non-zero without counting a failure (a crash, a config error) still fails the run.
  if (status !== 0 && (!existsSync(file) || JSON.parse(readFileSync(file, 'utf8')).failed === 0)) {
    console.error(`${label} exited with status ${status}`)
    totals.failed += 1
  }
}

const typecheck = run('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit'])
if (typecheck !== 0) {
  totals.failed += 1
  console.error('typecheck failed')
}

// The published types as an app gets them: build, pack, attw, publint, a consumer under nodenext and bundler.
const typesSummary = join(tmp, 'types.json')
const types = run('types', 'node', ['scripts/typesCheck.mjs'], { SESSIONKIT_SUMMARY_FILE: typesSummary })
addSummary(typesSummary, types, 'types')

const vitestSummary = join(tmp, 'vitest.json')
const vitest = run('vitest', 'npx', ['vitest', 'run'], { SESSIONKIT_SUMMARY_FILE: vitestSummary })
addSummary(vitestSummary, vitest, 'vitest')

// End to end: the demo app against the reference server in Chromium (builds both once, in its global setup),
// and the Next.js example under `next start` (its global setup runs `npm ci` in examples/nextjs when missing, then `next build`).
const e2eReport = join(tmp, 'e2e-report.json')
const e2eSummary = join(tmp, 'e2e.json')
const e2e = run('e2e', 'npx', ['playwright', 'test'], { SESSIONKIT_E2E_JSON: e2eReport })
if (existsSync(e2eReport)) {
  try {
    const { stats, errors = [] } = JSON.parse(readFileSync(e2eReport, 'utf8'))
    // expected = passed (or failed as declared), flaky = passed on a retry, unexpected = failed;
    // an error outside any test (global setup, a file that does not load) is a failure too.
    const counts = {
      passed: stats.expected + stats.flaky,
      failed: stats.unexpected + errors.length,
      skipped: stats.skipped,
    }
    console.log(`e2e: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`)
    writeFileSync(e2eSummary, JSON.stringify(counts))
  } catch (error) {
    console.error(`e2e: unreadable Playwright report (${error instanceof Error ? error.message : String(error)})`)
  }
}
addSummary(e2eSummary, e2e, 'e2e')

rmSync(tmp, { recursive: true, force: true })
console.log(`\ntotal: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`)
process.exit(totals.failed > 0 ? 1 : 0)
