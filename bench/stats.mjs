// Small statistics and formatting helpers shared by the benchmarks.

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

export const min = (values) => Math.min(...values)
export const max = (values) => Math.max(...values)

/** Significant-ish digits: 3 below 10, fewer above. */
export function fmt(value, digits) {
  if (!Number.isFinite(value)) return String(value)
  if (digits !== undefined) return value.toFixed(digits)
  const abs = Math.abs(value)
  if (abs >= 100) return value.toFixed(0)
  if (abs >= 10) return value.toFixed(1)
  if (abs >= 1) return value.toFixed(2)
  return value.toFixed(3)
}

export const fmtRange = (values, digits) => `${fmt(min(values), digits)}–${fmt(max(values), digits)}`

export const fmtRatio = (value) => `${value.toFixed(2)}×`

/** A GitHub markdown table. `align`: per column 'l' or 'r'. */
export function table(header, rows, align = header.map((_, i) => (i === 0 ? 'l' : 'r'))) {
  const line = (cells) => `| ${cells.join(' | ')} |`
  return [line(header), line(align.map((a) => (a === 'r' ? '---:' : ':---'))), ...rows.map(line)].join('\n')
}
