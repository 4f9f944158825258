/** A virtual-clock timestamp as `HH:MM:SS` (stories start at 00:00:00 UTC on 2026-01-01). */
export function clockTime(ms: number | null): string {
  return ms === null ? 'null' : new Date(ms).toISOString().slice(11, 19)
}
