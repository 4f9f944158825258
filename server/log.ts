/**
 * One structured entry per line. Entries carry only what is listed in
 * RequestLogEntry: never headers, bodies or query strings, which is where
 * tokens, cookies and passwords travel.
 */
export type Logger = (entry: LogEntry) => void

export interface RequestLogEntry {
  level: 'info' | 'warn' | 'error'
  msg: 'request'
  method: string
  /** The path only: a query string may carry secrets. */
  path: string
  status: number
  /** Wall-clock handling time (real time, even under the test clock). */
  ms: number
}

export interface EventLogEntry {
  level: 'info' | 'warn' | 'error'
  msg: string
  [field: string]: unknown
}

export type LogEntry = RequestLogEntry | EventLogEntry

/** Writes JSON lines to stdout with a timestamp. */
export const jsonLineLogger: Logger = (entry) => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`)
}

export const silentLogger: Logger = () => {}
