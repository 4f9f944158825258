// `npm run bench`: runs every benchmark and writes bench/RESULTS.md.
// `node bench/run.mjs activity size` runs only those parts and prints their
// sections without touching RESULTS.md. Not part of `npm test`.
import { execFileSync } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import os from 'node:os'
import { chromiumPath } from '../scripts/chromium.mjs'
import { table } from './stats.mjs'

/**
 * Each part is a module exporting `async run({ log }) → { title, markdownTable, notes }`.
 * Listed in the order of RESULTS.md; `runOrder` runs the short Node parts
 * first, before a browser has been started on the machine.
 */
const PARTS = [
  { name: 'size', module: './size.mjs', runOrder: 2 },
  { name: 'activity', module: './activity.mjs', runOrder: 3 },
  { name: 'renders', module: './renders.mjs', runOrder: 4 },
  { name: 'network', module: './network.mjs', runOrder: 5 },
  { name: 'memory', module: './memory.mjs', runOrder: 6 },
  { name: 'token', module: './token.mjs', runOrder: 1 },
  { name: 'server', module: './server-load.mjs', runOrder: 7 },
  { name: 'oidc', module: './oidc.mjs', runOrder: 8 },
]

function chromiumVersion() {
  try {
    return execFileSync(chromiumPath, ['--version'], { encoding: 'utf8', timeout: 20_000 }).trim()
  } catch {
    return `unknown (${chromiumPath} --version failed)`
  }
}

function machine() {
  const cpus = os.cpus()
  return [
    `- CPU: ${cpus[0]?.model ?? 'unknown'}, ${cpus.length} cores`,
    `- Node: ${process.version} (${process.platform} ${process.arch})`,
    `- Browser: ${chromiumVersion()}, headless`,
    `- Load average at start (1/5/15 min): ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')}`,
    `- Date: ${new Date().toISOString()}`,
  ].join('\n')
}

async function main() {
  const wanted = process.argv.slice(2)
  const unknown = wanted.filter((w) => !PARTS.some((p) => p.name === w))
  if (unknown.length) {
    console.error(`Unknown part(s): ${unknown.join(', ')}. Parts: ${PARTS.map((p) => p.name).join(', ')}.`)
    process.exit(2)
  }
  const parts = wanted.length ? PARTS.filter((p) => wanted.includes(p.name)) : PARTS
  const startedAt = performance.now()
  const header = machine()
  console.log(header)
  const sectionOf = new Map()
  /** Every part's goals, for the summary at the top: { part, goal, measured, met }. */
  const goals = []
  let failed = false
  for (const part of [...parts].sort((a, b) => a.runOrder - b.runOrder)) {
    const t0 = performance.now()
    // Other work on the machine shows up in every figure: keep a trace of it.
    const load = os.loadavg()[0].toFixed(2)
    console.log(`\n${part.name}… (load average ${load})`)
    try {
      const { run } = await import(part.module)
      const result = await run({ log: (line) => console.log(line) })
      const seconds = ((performance.now() - t0) / 1000).toFixed(1)
      for (const g of result.goals ?? []) goals.push({ part: result.title, ...g })
      sectionOf.set(
        part,
        `## ${result.title}\n\n${result.markdownTable}\n\n**What this means.** ${result.notes}\n\n*(${seconds} s; 1-minute load average ${load} at the start)*`,
      )
      console.log(`${part.name}: done in ${seconds} s`)
    } catch (error) {
      failed = true
      console.error(error)
      sectionOf.set(part, `## ${part.name}\n\nFailed: \`${String(error?.message ?? error).split('\n')[0]}\``)
    }
  }
  const sections = parts.map((p) => sectionOf.get(p))
  const total = ((performance.now() - startedAt) / 1000).toFixed(1)
  const summary = goals.length
    ? table(
        ['part', 'goal (from the issues)', 'measured', ''],
        goals.map((g) => [g.part, g.goal, g.measured, g.met ? 'met' : '**missed**']),
        ['l', 'l', 'l', 'l'],
      )
    : 'No goals were measured in this run.'
  const doc = [
    '# sessionkit benchmarks',
    `Written by \`npm run bench\` (bench/run.mjs); see bench/README.md for what each figure means. Whole run: ${total} s.`,
    '## Machine',
    header,
    '## Goals at a glance',
    `${summary}\n\nRecorded, never asserted; each section below says by how much and why.`,
    ...sections,
  ].join('\n\n')
  if (parts === PARTS) {
    await writeFile(new URL('./RESULTS.md', import.meta.url), `${doc}\n`)
    console.log(`\nWrote bench/RESULTS.md (${total} s).`)
  } else {
    console.log(`\n${summary}\n\n${sections.join('\n\n')}\n\n(${total} s; RESULTS.md is written only by a full run.)`)
  }
  if (failed) process.exitCode = 1
}

await main()
